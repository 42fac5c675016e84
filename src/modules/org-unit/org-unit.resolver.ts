import { Args, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { below, selectedAt } from '../../graphql/selection';
import { subtreeTag } from '../../graphql/answer-tags';
import { Tagged } from '../../graphql/answer-tags';
import { Context } from '../../graphql/context';
import {
  asksTotalCount,
  connectionComplexity,
  countAsked,
  listComplexity,
  pageOf,
  Page,
} from '../../graphql/connection';
import { BadUserInputError } from '../../graphql/errors';
import { treeComplexity } from '../../graphql/limits';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitKind } from './org-unit-kind';
import {
  ChildrenArgs,
  DescendantsArgs,
  OrgChart,
  OrgChartArgs,
  OrgUnitConnection,
  UnitLookupArgs,
  UnitRelation,
  UnitsArgs,
} from './org-unit.types';
import { listUnits, orgChart, topUnits, unitsPage } from './org-unit.queries';
import { uuidOf } from '../node/global-id';
import { checkText } from '../../graphql/arguments';
import { Post } from '../post/post.entity';
import { Mission } from '../mission/mission.entity';
import { Responsibility } from '../mission/responsibility.entity';
import { SourcesResolver } from '../source/sources.resolver';
import { ExternalId } from '../source/external-identifier.types';
import { unitByExternalId } from './org-unit.queries';
import { ChangeLogConnection, ChangeLogEntry } from '../changelog/change-log.types';
import { historyOf } from '../changelog/change-log.queries';
import { RelationDirection } from '../relation/relation-type';
import { subtree } from './org-unit.tree';
import { PagingArgs } from '../../graphql/connection';
import { missionLoaders } from '../mission/mission.loaders';
import { postLoaders } from '../post/post.loaders';
import { relationLoaders } from '../relation/relation.loaders';
import { sourceLoaders } from '../source/source.loaders';
import { unitLoaders } from './org-unit.loaders';

/** Queries of units and the fields of `OrgUnit` that need loading. */
@Resolver(() => OrgUnit)
export class OrgUnitResolver extends SourcesResolver(OrgUnit, 'unit') {
  @Tagged()
  @Query(() => OrgUnit, {
    nullable: true,
    description:
      'One unit, by global `id`, by `slug` or by an identifier in another system (give one). Null when none matches.',
  })
  unit(@Args() args: UnitLookupArgs, @Ctx() ctx: Context): Promise<OrgUnit | null> {
    const given = [args.id, args.slug, args.externalId].filter((a) => a != null).length;
    if (given !== 1) throw new BadUserInputError('Give one of id, slug or externalId.', 'id');
    if (args.id != null) {
      const uuid = uuidOf(args.id, 'OrgUnit');
      return uuid ? unitLoaders(ctx).unit.load(uuid) : Promise.resolve(null);
    }
    if (args.externalId != null) return unitByExternalId(ctx, args.externalId);
    return unitLoaders(ctx).unitBySlug.load(checkText(ctx, args.slug!, 'slug'));
  }

  @Tagged()
  @Query(() => OrgUnitConnection, {
    complexity: connectionComplexity,
    description: 'Units, filtered and paged, by position then name.',
  })
  units(
    @Args() args: UnitsArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<OrgUnit>> {
    const page = selectedAt(info, []);
    return unitsPage(
      ctx,
      args,
      args.filter ?? {},
      [...below(below(page, 'edges'), 'node'), ...below(page, 'nodes')],
      asksTotalCount(page),
    );
  }

  @Tagged()
  @Query(() => OrgUnitConnection, {
    complexity: connectionComplexity,
    description: 'Units of kind DIRECTORATE, paged.',
  })
  directorates(
    @Args() args: PagingArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<OrgUnit>> {
    return listUnits(ctx, args, { kind: OrgUnitKind.DIRECTORATE }, countAsked(info));
  }

  @Tagged()
  @Query(() => OrgUnitConnection, {
    complexity: connectionComplexity,
    description: 'Units of kind BUREAU, paged.',
  })
  bureaus(
    @Args() args: PagingArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<OrgUnit>> {
    return listUnits(ctx, args, { kind: OrgUnitKind.BUREAU }, countAsked(info));
  }

  @Tagged()
  @Query(() => [OrgUnit], {
    complexity: listComplexity,
    description:
      'The active units with no parent, by position then name: the roots of the directory, each the `root` of an org chart. `orgChart` without `root` draws the first.',
  })
  topUnits(@Ctx() ctx: Context): Promise<OrgUnit[]> {
    return topUnits(ctx);
  }

  @Tagged()
  @Query(() => OrgChart, {
    complexity: treeComplexity(),
    description:
      'A flat org chart from a root unit down to `maxDepth`: one round trip draws a whole chart; another call with `root` expands a subtree.',
  })
  orgChart(
    @Args() args: OrgChartArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<OrgChart> {
    return orgChart(ctx, args.root ?? null, args.maxDepth ?? 3, selectedAt(info, []));
  }

  @Tagged()
  @FieldResolver(() => OrgUnit, {
    nullable: true,
    description: 'The parent unit; null for a top unit.',
  })
  parent(@Root() unit: OrgUnit, @Ctx() ctx: Context): OrgUnit | null | Promise<OrgUnit | null> {
    return unit.parentId ? unitLoaders(ctx).unit.now(unit.parentId, (parent) => parent) : null;
  }

  @Tagged()
  @FieldResolver(() => OrgUnitConnection, {
    complexity: connectionComplexity,
    description: 'The direct children, by position then name, paged.',
  })
  async children(
    @Root() unit: OrgUnit,
    @Args() args: ChildrenArgs,
    @Ctx() ctx: Context,
  ): Promise<Page<OrgUnit>> {
    const all = await unitLoaders(ctx).unitChildren.load(unit.uuid);
    return pageOf(args.kind ? all.filter((u) => u.kind === args.kind) : all, args);
  }

  @Tagged()
  @FieldResolver(() => Boolean, { description: 'True when the unit has at least one child.' })
  async hasChildren(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<boolean> {
    return (await unitLoaders(ctx).unitChildCount.load(unit.uuid)) > 0;
  }

  @Tagged()
  @FieldResolver(() => Int, { description: 'Number of direct children.' })
  childCount(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<number> {
    return unitLoaders(ctx).unitChildCount.load(unit.uuid);
  }

  @Tagged()
  @FieldResolver(() => [OrgUnit], {
    complexity: listComplexity,
    description: 'Every unit above this one, the top unit first, the parent last.',
  })
  ancestors(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<OrgUnit[]> {
    return unitLoaders(ctx).unitAncestors.load(unit.uuid);
  }

  @Tagged()
  @FieldResolver(() => Int, { description: 'Number of ancestors: 0 for a top unit.' })
  async depth(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<number> {
    return (await unitLoaders(ctx).unitAncestors.load(unit.uuid)).length;
  }

  // Note: without maxDepth the depth limit applies, ORG_CHART_MAX_DEPTH, 20 by default.
  @Tagged()
  @FieldResolver(() => [OrgUnit], {
    complexity: treeComplexity(),
    description:
      'Every unit below this one down to `maxDepth`, in depth-first order, in one statement.',
  })
  async descendants(
    @Root() unit: OrgUnit,
    @Args() args: DescendantsArgs,
    @Ctx() ctx: Context,
  ): Promise<OrgUnit[]> {
    const cap = ctx.config.limits.orgChartMaxDepth;
    const maxDepth = args.maxDepth ?? cap;
    if (maxDepth < 1 || maxDepth > cap)
      throw new BadUserInputError(`maxDepth must be between 1 and ${cap}.`, 'maxDepth', {
        max: cap,
      });
    ctx.answerTags.add(subtreeTag(unit.uuid));
    const tree = await subtree(ctx.db, unit.uuid, maxDepth);
    ctx.answerTags.coverSubtree(
      unit.uuid,
      tree.map((t) => t.unit.uuid),
    );
    return tree
      .filter((t) => t.depth > 0 && (!args.kind || t.unit.kind === args.kind))
      .map((t) => t.unit);
  }

  @Tagged()
  @FieldResolver(() => Post, {
    nullable: true,
    description: 'The post that heads the unit, if one is recorded.',
  })
  head(@Root() unit: OrgUnit, @Ctx() ctx: Context): Post | null | Promise<Post | null> {
    return postLoaders(ctx).headsByUnit.now(unit.uuid, (heads) => heads[0] ?? null);
  }

  @Tagged()
  @FieldResolver(() => [Post], {
    complexity: listComplexity,
    description: 'The posts of the unit, the head first.',
  })
  posts(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<Post[]> {
    return postLoaders(ctx).postsByUnit.load(unit.uuid);
  }

  @Tagged()
  @FieldResolver(() => [Mission], {
    complexity: listComplexity,
    description: 'The missions of the unit.',
  })
  missions(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<Mission[]> {
    return missionLoaders(ctx).missionsByOwnerUnit.load(unit.uuid);
  }

  @Tagged()
  @FieldResolver(() => [Mission], {
    complexity: listComplexity,
    description: 'Missions of other units or posts that this unit carries out.',
  })
  carriesOut(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<Mission[]> {
    return missionLoaders(ctx).missionsByCarrier.load(unit.uuid);
  }

  @Tagged()
  @FieldResolver(() => [Responsibility], {
    complexity: listComplexity,
    description: 'The responsibilities of the unit, held directly or through its missions.',
  })
  responsibilities(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<Responsibility[]> {
    return missionLoaders(ctx).responsibilitiesByOwnerUnit.load(unit.uuid);
  }

  @Tagged()
  @FieldResolver(() => [UnitRelation], {
    complexity: listComplexity,
    description: 'Non-hierarchical relations in both directions, outgoing first.',
  })
  async relations(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<UnitRelation[]> {
    const [outgoing, incoming] = await Promise.all([
      relationLoaders(ctx).relationsFromUnit.load(unit.uuid),
      relationLoaders(ctx).relationsToUnit.load(unit.uuid),
    ]);
    const other = (uuid: string | null, post: string | null) =>
      post ? postLoaders(ctx).post.load(post) : unitLoaders(ctx).unit.load(uuid!);
    const sides = [
      ...outgoing.map((relation) => ({
        relation,
        direction: RelationDirection.OUTGOING,
        other: other(relation.toUnitId, relation.toPostId),
      })),
      ...incoming.map((relation) => ({
        relation,
        direction: RelationDirection.INCOMING,
        other: unitLoaders(ctx).unit.load(relation.fromUnitId),
      })),
    ];
    const others = await Promise.all(sides.map((s) => s.other));
    const result: UnitRelation[] = [];
    sides.forEach((s, i) => {
      const found = others[i];
      if (found)
        result.push({
          relation: s.relation,
          type: s.relation.type,
          direction: s.direction,
          other: found,
        });
    });
    return result;
  }

  @FieldResolver(() => ChangeLogConnection, {
    complexity: connectionComplexity,
    description:
      'Every change of this unit, newest first, from the change log. Open to all; private fields are left out for the public.',
  })
  history(
    @Root() unit: OrgUnit,
    @Args() args: PagingArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<ChangeLogEntry>> {
    return historyOf(ctx, unit.uuid, args, { counted: countAsked(info) });
  }

  @Tagged()
  @FieldResolver(() => [ExternalId], {
    description:
      'Identifiers of the unit in other systems (the national directory, SIRET, SIREN), sorted by scheme and value; empty for units that have none.',
    complexity: listComplexity,
  })
  async externalIds(@Root() unit: OrgUnit, @Ctx() ctx: Context): Promise<ExternalId[]> {
    const rows = await sourceLoaders(ctx).identifiersOf.load(unit.uuid);
    return rows.map(({ scheme, value }) => ({ scheme, value }));
  }
}
