import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { subtreeTag, typeTag } from '../../graphql/answer-tags';
import { Tagged } from '../../graphql/answer-tags';
import { Context } from '../../graphql/context';
import {
  connectionComplexity,
  countAsked,
  listComplexity,
  Page,
  pageQuery,
} from '../../graphql/connection';
import { requireUuid, uuidOf } from '../node/global-id';
import { checkText } from '../../graphql/arguments';
import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';
import { MissionConnection, MissionsArgs } from './mission.types';
import { loadOwner, Owner, whereOwner } from './owner';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { SourcesResolver } from '../source/sources.resolver';
import { missionLoaders } from './mission.loaders';
import { unitLoaders } from '../org-unit/org-unit.loaders';
import { postLoaders } from '../post/post.loaders';

/** Queries of missions and the fields of `Mission` that need loading. */
@Resolver(() => Mission)
export class MissionResolver extends SourcesResolver(Mission, 'mission') {
  @Tagged()
  @Query(() => Mission, {
    nullable: true,
    description: 'One mission by global id; null when none matches.',
  })
  mission(
    @Arg('id', () => ID, { description: 'Global id of the mission.' }) id: string,
    @Ctx() ctx: Context,
  ) {
    const uuid = uuidOf(id, 'Mission');
    return uuid ? missionLoaders(ctx).mission.load(uuid) : null;
  }

  @Tagged()
  @Query(() => MissionConnection, {
    complexity: connectionComplexity,
    description: 'Missions, filtered and paged, by position then title.',
  })
  missions(
    @Args() args: MissionsArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<Mission>> {
    const filter = args.filter ?? {};
    // Note: every filter reads missions alone (their columns and search documents).
    ctx.answerTags.add(typeTag('Mission'));
    const qb = ctx.db
      .getRepository(Mission)
      .createQueryBuilder('m')
      .orderBy('m.position')
      .addOrderBy('m.title')
      .addOrderBy('m.uuid');
    if (filter.ownerId != null) whereOwner(qb, 'm', filter.ownerId);
    if (filter.carriedOutById != null) {
      qb.andWhere('m.carriedOutById = :carrier', {
        carrier: requireUuid(filter.carriedOutById, 'OrgUnit', 'filter.carriedOutById'),
      });
    }
    if (filter.text != null) {
      const m = ctx.services.search.matchCondition(
        'm.id',
        'Mission',
        checkText(ctx, filter.text, 'filter.text'),
        'text',
      );
      qb.andWhere(m.sql, m.params);
    }
    return pageQuery(qb, args, countAsked(info));
  }

  @Tagged()
  @FieldResolver(() => Owner, { description: 'The unit or post whose mission this is.' })
  owner(@Root() mission: Mission, @Ctx() ctx: Context): Promise<OrgUnit | Post> {
    return loadOwner(ctx, mission);
  }

  @Tagged()
  @FieldResolver(() => OrgUnit, {
    nullable: true,
    description: 'The unit that carries the mission out, when it is not the owner itself.',
  })
  carriedOutBy(@Root() mission: Mission, @Ctx() ctx: Context) {
    return mission.carriedOutById ? unitLoaders(ctx).unit.load(mission.carriedOutById) : null;
  }

  @Tagged()
  @FieldResolver(() => [Responsibility], {
    complexity: listComplexity,
    description: 'The concrete responsibilities of the mission.',
  })
  async responsibilities(@Root() mission: Mission, @Ctx() ctx: Context): Promise<Responsibility[]> {
    // A mission's responsibilities take its owner, their change-log anchor: the owner unit's
    // subtree tag covers any write that adds one, changes one or takes one away.
    const unit = mission.ownerUnitId
      ? mission.ownerUnitId
      : mission.ownerPostId
        ? (await postLoaders(ctx).post.load(mission.ownerPostId))?.unitId
        : undefined;
    ctx.answerTags.add(unit ? subtreeTag(unit) : typeTag('Responsibility'));
    return missionLoaders(ctx).responsibilitiesByMission.load(mission.uuid);
  }
}
