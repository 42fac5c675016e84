import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { typeTag } from '../../graphql/answer-tags';
import { Tagged } from '../../graphql/answer-tags';
import { Context } from '../../graphql/context';
import {
  connectionComplexity,
  countAsked,
  listComplexity,
  Page,
  pageQuery,
} from '../../graphql/connection';
import { uuidOf } from '../node/global-id';
import { checkText } from '../../graphql/arguments';
import { Person } from './person.entity';
import { Appointment } from './appointment.entity';
import { PeopleArgs, PersonConnection } from './person.types';
import { AtDateArgs } from '../post/post.types';
import { Post } from '../post/post.entity';
import { SourcesResolver } from '../source/sources.resolver';
import { personLoaders } from './person.loaders';
import { postLoaders } from '../post/post.loaders';

/** Queries of people and the fields of `Person` that need loading. */
@Resolver(() => Person)
export class PersonResolver extends SourcesResolver(Person, 'person') {
  @Tagged()
  @Query(() => Person, {
    nullable: true,
    description: 'One person by global id; null when none matches.',
  })
  person(
    @Arg('id', () => ID, { description: 'Global id of the person.' }) id: string,
    @Ctx() ctx: Context,
  ) {
    const uuid = uuidOf(id, 'Person');
    return uuid ? personLoaders(ctx).person.load(uuid) : null;
  }

  @Tagged()
  @Query(() => PersonConnection, {
    complexity: connectionComplexity,
    description: 'People, filtered and paged, by family then given name.',
  })
  people(
    @Args() args: PeopleArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<Person>> {
    const filter = args.filter ?? {};
    // Note: every filter reads people alone (their columns and search documents).
    ctx.answerTags.add(typeTag('Person'));
    const qb = ctx.db
      .getRepository(Person)
      .createQueryBuilder('p')
      .orderBy('p.familyName')
      .addOrderBy('p.givenName')
      .addOrderBy('p.uuid');
    if (filter.grade != null)
      qb.andWhere('p.grade = :grade', { grade: checkText(ctx, filter.grade, 'filter.grade') });
    if (filter.text != null) {
      const m = ctx.services.search.matchCondition(
        'p.id',
        'Person',
        checkText(ctx, filter.text, 'filter.text'),
        'text',
      );
      qb.andWhere(m.sql, m.params);
    }
    return pageQuery(qb, args, countAsked(info));
  }

  @Tagged()
  @FieldResolver(() => [Post], {
    complexity: listComplexity,
    description: 'The posts the person holds at a date (default today).',
  })
  async posts(
    @Root() person: Person,
    @Args() args: AtDateArgs,
    @Ctx() ctx: Context,
  ): Promise<Post[]> {
    const day = args.at ?? ctx.today;
    const current = (await personLoaders(ctx).appointmentsByPerson.load(person.uuid)).filter((a) =>
      a.covers(day),
    );
    const posts = await Promise.all(current.map((a) => postLoaders(ctx).post.load(a.postId)));
    return posts.filter((p): p is Post => p !== null);
  }

  @Tagged()
  @FieldResolver(() => [Appointment], {
    complexity: listComplexity,
    description:
      'Every appointment of the person, the latest first: their career in this directory.',
  })
  appointments(@Root() person: Person, @Ctx() ctx: Context): Promise<Appointment[]> {
    return personLoaders(ctx).appointmentsByPerson.load(person.uuid);
  }
}

/** The fields of `Appointment` that need loading. */
@Resolver(() => Appointment)
export class AppointmentResolver extends SourcesResolver(Appointment, 'appointment') {
  @Tagged()
  @FieldResolver(() => Post, { description: 'The post held.' })
  async post(@Root() appointment: Appointment, @Ctx() ctx: Context): Promise<Post> {
    return (await postLoaders(ctx).post.load(appointment.postId))!;
  }

  @Tagged()
  @FieldResolver(() => Person, {
    nullable: true,
    description: 'Who held it; null when the directory does not name the holder.',
  })
  person(@Root() appointment: Appointment, @Ctx() ctx: Context) {
    return appointment.personId ? personLoaders(ctx).person.load(appointment.personId) : null;
  }

  @Tagged()
  @FieldResolver(() => Boolean, {
    description: 'True when the appointment covers the date (default today).',
  })
  isCurrent(
    @Root() appointment: Appointment,
    @Args() args: AtDateArgs,
    @Ctx() ctx: Context,
  ): boolean {
    return appointment.covers(args.at ?? ctx.today);
  }
}
