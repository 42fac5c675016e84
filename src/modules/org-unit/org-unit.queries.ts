import type { Context } from '../../graphql/context';
import { Page, pageQuery, PagingArgs } from '../../graphql/connection';
import { BadUserInputError } from '../../graphql/errors';
import { requireUuid, toGlobalId, uuidOf } from '../node/global-id';
import { checkText } from '../../graphql/arguments';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitFilter, OrgChart } from './org-unit.types';
import { subtree, TREE_DEPTH_LIMIT } from './org-unit.tree';
import { recordsByIdentifier } from '../source/external-identifiers';
import { unitLoaders } from './org-unit.loaders';
import { subtreeTag, typeTag } from '../../graphql/answer-tags';
import { below, type Selection } from '../../graphql/selection';
import { readAheadHeads } from '../post/post.loaders';

/** A unit by global id, or else by slug; null when neither matches. */
export async function unitByIdOrSlug(ctx: Context, idOrSlug: string): Promise<OrgUnit | null> {
  const uuid = uuidOf(idOrSlug, 'OrgUnit');
  if (uuid) return unitLoaders(ctx).unit.load(uuid);
  return idOrSlug.length <= 120 ? unitLoaders(ctx).unitBySlug.load(idOrSlug) : null;
}

/**
 * The unit that an identifier in another system names; null when none does. A SIRET or SIREN
 * shared by several units is refused, pointing to `units(filter: { externalId })`.
 */
export async function unitByExternalId(
  ctx: Context,
  { scheme, value }: { scheme: string; value: string },
): Promise<OrgUnit | null> {
  // Note: identifiers are logged on their unit; any unit may take or drop this one.
  ctx.answerTags.add(typeTag('OrgUnit'));
  const found = await recordsByIdentifier(
    ctx.db.manager,
    checkText(ctx, scheme, 'externalId.scheme'),
    checkText(ctx, value, 'externalId.value'),
    'OrgUnit',
  );
  if (found.length > 1)
    throw new BadUserInputError(
      `${scheme} ${value} names ${found.length} units; list them with units(filter: { externalId }).`,
      'externalId',
      { units: found.length },
    );
  return found.length ? unitLoaders(ctx).unit.load(found[0]) : null;
}

/** One page of units matching a filter, ordered by position, name and uuid. */
export function listUnits(
  ctx: Context,
  paging: PagingArgs,
  filter: OrgUnitFilter,
  counted = true,
): Promise<Page<OrgUnit>> {
  // Note: every filter reads units alone: columns, tree, identifiers, search documents.
  ctx.answerTags.add(typeTag('OrgUnit'));
  const qb = ctx.db
    .getRepository(OrgUnit)
    .createQueryBuilder('u')
    .orderBy('u.position')
    .addOrderBy('u.name')
    .addOrderBy('u.uuid');
  if (!filter.includeArchived) qb.andWhere('u.archivedAt IS NULL');
  if (filter.kind) qb.andWhere('u.kind = :kind', { kind: filter.kind });
  if (filter.parentId != null) {
    qb.andWhere('u.parentId = :parentId', {
      parentId: requireUuid(filter.parentId, 'OrgUnit', 'filter.parentId'),
    });
  }
  if (filter.ancestorId != null) {
    const ancestor = requireUuid(filter.ancestorId, 'OrgUnit', 'filter.ancestorId');
    qb.andWhere(
      // Note: never stepping back onto the ancestor ends the walk on a corrupt cycle too.
      `u.id IN (WITH RECURSIVE below(id, depth) AS (
         SELECT id, 1 FROM org_unit WHERE "parentId" = :ancestor AND id <> :ancestor
         UNION ALL SELECT c.id, below.depth + 1 FROM org_unit c JOIN below ON c."parentId" = below.id
         WHERE c.id <> :ancestor AND below.depth < :depthLimit
       ) SELECT id FROM below)`,
      { ancestor, depthLimit: TREE_DEPTH_LIMIT },
    );
  }
  if (filter.externalId != null) {
    qb.andWhere(
      `u.id IN (SELECT "entityId" FROM external_identifier WHERE scheme = :scheme AND value = :value)`,
      {
        scheme: checkText(ctx, filter.externalId.scheme, 'filter.externalId.scheme'),
        value: checkText(ctx, filter.externalId.value, 'filter.externalId.value'),
      },
    );
  }
  if (filter.text != null) {
    const text = checkText(ctx, filter.text, 'filter.text');
    const match = ctx.services.search.matchCondition('u.id', 'OrgUnit', text, 'text');
    qb.andWhere(match.sql, match.params);
  }
  return pageQuery(qb, paging, counted);
}

/**
 * Loads ahead what `selection` (the selections of a list of `OrgUnit`s) asks of `units`: their
 * parents and their heads with holders, in the statements the resolvers would send; those then
 * answer at once (see `readAheadHeads`).
 */
export async function readAheadUnits(
  ctx: Context,
  units: readonly OrgUnit[],
  selection: Selection,
): Promise<void> {
  if (units.length === 0 || selection.length === 0) return;
  const parents = below(selection, 'parent').length
    ? [...new Set(units.flatMap((u) => (u.parentId ? [u.parentId] : [])))]
    : [];
  await Promise.all([
    parents.length ? unitLoaders(ctx).unit.loadMany(parents) : null,
    readAheadHeads(
      ctx,
      units.map((u) => u.uuid),
      below(selection, 'head'),
    ),
  ]);
}

/** `listUnits`, with what `selection` asks of the page's units read ahead. */
export async function unitsPage(
  ctx: Context,
  paging: PagingArgs,
  filter: OrgUnitFilter,
  selection: Selection,
  counted = true,
): Promise<Page<OrgUnit>> {
  const page = await listUnits(ctx, paging, filter, counted);
  await readAheadUnits(ctx, page.nodes, selection);
  return page;
}

/**
 * The org chart under `root` (slug or id; by default the first of `topUnits`) down to
 * `maxDepth`: one statement for the subtree and one batched count for the expanders.
 */
export async function orgChart(
  ctx: Context,
  root: string | null,
  maxDepth: number,
  selection: Selection = [],
): Promise<OrgChart> {
  const cap = ctx.config.limits.orgChartMaxDepth;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > cap) {
    throw new BadUserInputError(
      `maxDepth must be between 0 and ${cap}; got ${maxDepth}.`,
      'maxDepth',
      { max: cap },
    );
  }
  const rootUnit =
    root === null ? await topUnit(ctx) : await unitByIdOrSlug(ctx, checkText(ctx, root, 'root'));
  if (!rootUnit) {
    throw new BadUserInputError(
      root === null ? 'The directory is empty.' : `No unit has the id or slug "${root}".`,
      'root',
    );
  }
  // Note: a write in the chart, the root included, has the root in its change-log scope.
  ctx.answerTags.add(subtreeTag(rootUnit.uuid));
  const tree = await subtree(ctx.db, rootUnit.uuid, maxDepth);
  ctx.answerTags.coverSubtree(
    rootUnit.uuid,
    tree.map((t) => t.unit.uuid),
  );
  for (const { unit } of tree) unitLoaders(ctx).unit.prime(unit.uuid, unit);
  const [counts] = await Promise.all([
    Promise.all(tree.map((t) => unitLoaders(ctx).unitChildCount.load(t.unit.uuid))),
    readAheadUnits(
      ctx,
      tree.map((t) => t.unit),
      [
        ...below(selection, 'root'),
        ...below(below(selection, 'entries'), 'unit'),
        ...below(below(selection, 'nodes'), 'unit'),
      ],
    ),
  ]);
  const entries = tree.map(({ unit, depth }, i) => ({
    unit,
    depth,
    parentId: unit.parentId ? toGlobalId('OrgUnit', unit.parentId) : null,
    hasChildren: counts[i] > 0,
  }));
  return {
    root: rootUnit,
    maxDepth,
    entries,
    // Note: the same records as `entries`, but the root names no parent, so that the list is a
    // whole tree by itself (d3.stratify refuses a parent id that is not in it).
    nodes: entries.map((e) => ({
      ...e,
      id: toGlobalId('OrgUnit', e.unit.uuid),
      parentId: e.depth === 0 ? null : e.parentId,
    })),
  };
}

/** The active units without a parent, by position, name and uuid. */
function topUnitsQuery(ctx: Context) {
  // Note: which units are on top, and their order, changes with writes of any unit.
  ctx.answerTags.add(typeTag('OrgUnit'));
  return ctx.db
    .getRepository(OrgUnit)
    .createQueryBuilder('u')
    .where('u.parentId IS NULL AND u.archivedAt IS NULL')
    .orderBy('u.position')
    .addOrderBy('u.name')
    .addOrderBy('u.uuid');
}

/** Every active top unit (no parent), in position then name order, in one statement. */
export async function topUnits(ctx: Context): Promise<OrgUnit[]> {
  const units = await topUnitsQuery(ctx).getMany();
  for (const unit of units) unitLoaders(ctx).unit.prime(unit.uuid, unit);
  return units;
}

function topUnit(ctx: Context): Promise<OrgUnit | null> {
  return topUnitsQuery(ctx).getOne();
}
