import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { typeTag } from '../../graphql/answer-tags';
import { Tagged } from '../../graphql/answer-tags';
import { Context } from '../../graphql/context';
import { connectionComplexity, countAsked, Page, pageQuery } from '../../graphql/connection';
import { requireUuid, uuidOf } from '../node/global-id';
import { checkText } from '../../graphql/arguments';
import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';
import { ResponsibilitiesArgs, ResponsibilityConnection } from './mission.types';
import { loadOwner, Owner, whereOwner } from './owner';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { SourcesResolver } from '../source/sources.resolver';
import { missionLoaders } from './mission.loaders';

/** Queries of responsibilities and the fields of `Responsibility` that need loading. */
@Resolver(() => Responsibility)
export class ResponsibilityResolver extends SourcesResolver(Responsibility, 'responsibility') {
  @Tagged()
  @Query(() => Responsibility, {
    nullable: true,
    description: 'One responsibility by global id; null when none matches.',
  })
  responsibility(
    @Arg('id', () => ID, { description: 'Global id of the responsibility.' }) id: string,
    @Ctx() ctx: Context,
  ) {
    const uuid = uuidOf(id, 'Responsibility');
    return uuid ? missionLoaders(ctx).responsibility.load(uuid) : null;
  }

  @Tagged()
  @Query(() => ResponsibilityConnection, {
    complexity: connectionComplexity,
    description: 'Responsibilities, filtered and paged, by position then title.',
  })
  responsibilities(
    @Args() args: ResponsibilitiesArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<Responsibility>> {
    const filter = args.filter ?? {};
    // Note: every filter reads responsibilities alone (their columns and search documents).
    ctx.answerTags.add(typeTag('Responsibility'));
    const qb = ctx.db
      .getRepository(Responsibility)
      .createQueryBuilder('r')
      .orderBy('r.position')
      .addOrderBy('r.title')
      .addOrderBy('r.uuid');
    if (filter.ownerId != null) whereOwner(qb, 'r', filter.ownerId);
    if (filter.missionId != null) {
      qb.andWhere('r.missionId = :mission', {
        mission: requireUuid(filter.missionId, 'Mission', 'filter.missionId'),
      });
    }
    if (filter.reference != null)
      qb.andWhere('r.reference = :reference', {
        reference: checkText(ctx, filter.reference, 'filter.reference'),
      });
    if (filter.text != null) {
      const m = ctx.services.search.matchCondition(
        'r.id',
        'Responsibility',
        checkText(ctx, filter.text, 'filter.text'),
        'text',
      );
      qb.andWhere(m.sql, m.params);
    }
    return pageQuery(qb, args, countAsked(info));
  }

  @Tagged()
  @FieldResolver(() => Mission, {
    nullable: true,
    description: 'The mission this responsibility belongs to, if any.',
  })
  mission(@Root() r: Responsibility, @Ctx() ctx: Context) {
    return r.missionId ? missionLoaders(ctx).mission.load(r.missionId) : null;
  }

  @Tagged()
  @FieldResolver(() => Owner, {
    description:
      'The unit or post that holds the responsibility (the mission’s owner when it belongs to one).',
  })
  owner(@Root() r: Responsibility, @Ctx() ctx: Context): Promise<OrgUnit | Post> {
    return loadOwner(ctx, r);
  }
}
