import { Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { subtreeTag, typeTag } from '../../graphql/answer-tags';
import { Tagged } from '../../graphql/answer-tags';
import { Context } from '../../graphql/context';
import { PagingArgs } from '../../graphql/connection';
import {
  connectionComplexity,
  countAsked,
  listComplexity,
  Page,
  pageQuery,
} from '../../graphql/connection';
import { BadUserInputError } from '../../graphql/errors';
import { requireUuid, uuidOf } from '../node/global-id';
import { checkText } from '../../graphql/arguments';
import { ArgumentsAtOnce } from '../../graphql/schema';
import { Post } from './post.entity';
import { AtDateArgs, HolderStatus, PostConnection, PostLookupArgs, PostsArgs } from './post.types';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Person } from '../person/person.entity';
import { Appointment } from '../person/appointment.entity';
import { Mission } from '../mission/mission.entity';
import { Responsibility } from '../mission/responsibility.entity';
import { SourcesResolver } from '../source/sources.resolver';
import { ChangeLogConnection, ChangeLogEntry } from '../changelog/change-log.types';
import { historyOf } from '../changelog/change-log.queries';
import { Relation } from '../relation/relation.entity';
import { missionLoaders } from '../mission/mission.loaders';
import { personLoaders } from '../person/person.loaders';
import { postLoaders } from './post.loaders';
import { relationLoaders } from '../relation/relation.loaders';
import { unitLoaders } from '../org-unit/org-unit.loaders';

/**
 * Tags the answer for a group of records hanging from `post` (its appointments, missions,
 * responsibilities, the relations to it): each has the post's unit as its change-log anchor, so
 * `sub:<unit>` covers any write that adds one to the group, changes one or takes one out; a
 * post that moves to another unit is logged with its old unit in scope. Note: tagged `type:…`
 * before, a write to any appointment in the country invalidated every cached chart.
 */
function tagPostGroup(ctx: Context, post: Post): void {
  ctx.answerTags.add(subtreeTag(post.unitId));
}

/**
 * `then` of the appointment covering a day, if any: at once when the post's appointments are
 * already loaded (read ahead with a chart), else once loaded. For the request's day, from the
 * appointments covering it alone, unless the whole history is already loaded; the first of
 * either in the history's order is the same appointment.
 */
function appointmentAt<R>(
  ctx: Context,
  post: Post,
  at: string | null | undefined,
  then: (appointment: Appointment | null) => R | Promise<R>,
): R | Promise<R> {
  const day = at ?? ctx.today;
  tagPostGroup(ctx, post);
  const loaders = personLoaders(ctx);
  const loader =
    day === ctx.today && !loaders.appointmentsByPost.hasSettled(post.uuid)
      ? loaders.appointmentsByPostToday
      : loaders.appointmentsByPost;
  return loader.now(post.uuid, (list) => then(list.find((a) => a.covers(day)) ?? null));
}

/** Queries of posts and the fields of `Post` that need loading. */
@Resolver(() => Post)
export class PostResolver extends SourcesResolver(Post, 'post') {
  @Tagged()
  @Query(() => Post, {
    nullable: true,
    description: 'One post, by global `id` or by `slug` (give one). Null when none matches.',
  })
  post(@Args() args: PostLookupArgs, @Ctx() ctx: Context): Promise<Post | null> | null {
    if ((args.id == null) === (args.slug == null))
      throw new BadUserInputError('Give id or slug, not both.', 'id');
    if (args.id != null) {
      const uuid = uuidOf(args.id, 'Post');
      return uuid ? postLoaders(ctx).post.load(uuid) : null;
    }
    return postLoaders(ctx).postBySlug.load(checkText(ctx, args.slug!, 'slug'));
  }

  @Tagged()
  @Query(() => PostConnection, {
    complexity: connectionComplexity,
    description: 'Posts, filtered and paged, by title.',
  })
  posts(
    @Args() args: PostsArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<Post>> {
    const filter = args.filter ?? {};
    // Note: a post's search document holds its unit's name, re-indexed when the unit is renamed.
    ctx.answerTags.add(typeTag('Post'));
    ctx.answerTags.add(typeTag('OrgUnit'));
    const qb = ctx.db
      .getRepository(Post)
      .createQueryBuilder('p')
      .orderBy('p.title')
      .addOrderBy('p.uuid');
    if (!filter.includeArchived) qb.andWhere('p.archivedAt IS NULL');
    if (filter.unitId != null)
      qb.andWhere('p.unitId = :unit', {
        unit: requireUuid(filter.unitId, 'OrgUnit', 'filter.unitId'),
      });
    if (filter.isHead != null) qb.andWhere('p.isHead = :isHead', { isHead: filter.isHead });
    if (filter.text != null) {
      const m = ctx.services.search.matchCondition(
        'p.id',
        'Post',
        checkText(ctx, filter.text, 'filter.text'),
        'text',
      );
      qb.andWhere(m.sql, m.params);
    }
    return pageQuery(qb, args, countAsked(info));
  }

  @Tagged()
  @FieldResolver(() => OrgUnit, { description: 'The unit the post belongs to.' })
  async unit(@Root() post: Post, @Ctx() ctx: Context): Promise<OrgUnit> {
    return (await unitLoaders(ctx).unit.load(post.unitId))!;
  }

  @Tagged()
  @FieldResolver(() => Post, {
    nullable: true,
    description: 'The post this one reports to (post-to-post authority).',
  })
  reportsTo(@Root() post: Post, @Ctx() ctx: Context): Promise<Post | null> | null {
    return post.reportsToId ? postLoaders(ctx).post.load(post.reportsToId) : null;
  }

  @Tagged()
  @FieldResolver(() => [Post], {
    complexity: listComplexity,
    description: 'The posts that report to this one.',
  })
  subordinates(@Root() post: Post, @Ctx() ctx: Context): Promise<Post[]> {
    return postLoaders(ctx).postsByReportsTo.load(post.uuid);
  }

  @Tagged()
  @ArgumentsAtOnce()
  @FieldResolver(() => Person, {
    nullable: true,
    description:
      'Who holds the post at a date (default today). Null when vacant or when the holder is not named: see `holderStatus`.',
  })
  holder(
    @Root() post: Post,
    @Args() args: AtDateArgs,
    @Ctx() ctx: Context,
  ): Person | null | Promise<Person | null> {
    return appointmentAt(ctx, post, args.at, (appointment) =>
      appointment?.personId
        ? personLoaders(ctx).person.now(appointment.personId, (person) => person)
        : null,
    );
  }

  @Tagged()
  @ArgumentsAtOnce()
  @FieldResolver(() => HolderStatus, {
    description:
      'Whether the post is held at a date (default today), and whether the holder is named.',
  })
  holderStatus(
    @Root() post: Post,
    @Args() args: AtDateArgs,
    @Ctx() ctx: Context,
  ): HolderStatus | Promise<HolderStatus> {
    return appointmentAt(ctx, post, args.at, (appointment) => {
      if (!appointment) return HolderStatus.VACANT;
      return appointment.personId ? HolderStatus.HELD : HolderStatus.HELD_BY_UNKNOWN;
    });
  }

  @Tagged()
  @FieldResolver(() => [Appointment], {
    complexity: listComplexity,
    description: 'Every appointment to the post, the latest first: its history.',
  })
  appointments(@Root() post: Post, @Ctx() ctx: Context): Promise<Appointment[]> {
    tagPostGroup(ctx, post);
    return personLoaders(ctx).appointmentsByPost.load(post.uuid);
  }

  @Tagged()
  @FieldResolver(() => [Mission], {
    complexity: listComplexity,
    description: 'The missions of the post.',
  })
  missions(@Root() post: Post, @Ctx() ctx: Context): Promise<Mission[]> {
    tagPostGroup(ctx, post);
    return missionLoaders(ctx).missionsByOwnerPost.load(post.uuid);
  }

  @Tagged()
  @FieldResolver(() => [Responsibility], {
    complexity: listComplexity,
    description: 'The responsibilities of the post, held directly or through its missions.',
  })
  responsibilities(@Root() post: Post, @Ctx() ctx: Context): Promise<Responsibility[]> {
    tagPostGroup(ctx, post);
    return missionLoaders(ctx).responsibilitiesByOwnerPost.load(post.uuid);
  }

  @Tagged()
  @FieldResolver(() => [Relation], {
    complexity: listComplexity,
    description: 'Relations that point to this post, e.g. units placed under its authority.',
  })
  relations(@Root() post: Post, @Ctx() ctx: Context): Promise<Relation[]> {
    tagPostGroup(ctx, post);
    return relationLoaders(ctx).relationsToPost.load(post.uuid);
  }

  @FieldResolver(() => ChangeLogConnection, {
    complexity: connectionComplexity,
    description:
      'Every change of this post and of its appointments, newest first, from the change log. Open to all; private fields are left out for the public.',
  })
  history(
    @Root() post: Post,
    @Args() args: PagingArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<ChangeLogEntry>> {
    return historyOf(ctx, post.uuid, args, {
      withAppointments: true,
      counted: countAsked(info),
    });
  }
}
