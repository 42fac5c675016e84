import DataLoader from 'dataloader';
import { readRows } from '../../db/read-rows';
import {
  byUnique,
  byUuid,
  groupedBy,
  MAX_BATCH,
  loaderGroup,
  inList,
  type LoaderSource,
} from '../../graphql/loader-utils';
import { recordTag, subtreeTag } from '../../graphql/answer-tags';
import { OrgUnit } from './org-unit.entity';
import { ancestorsOf } from './org-unit.tree';

/** Per-request loaders of units. */
export function createOrgUnitLoaders(source: LoaderSource) {
  const { db, tags } = source;
  return {
    unit: byUuid(source, OrgUnit),
    unitBySlug: byUnique(source, OrgUnit, 'slug'),
    unitChildren: groupedBy(
      source,
      OrgUnit,
      'parentId',
      { position: 'ASC', name: 'ASC', uuid: 'ASC' },
      'subtree',
      { activeOnly: true },
    ),
    // Note: the chain changes when the unit or one of its ancestors moves or changes, each a
    // write logged on that unit.
    unitAncestors: new DataLoader<string, OrgUnit[]>(
      async (keys) => {
        const chains = await ancestorsOf(db, keys);
        keys.forEach((k, i) => {
          tags.add(recordTag('OrgUnit', k));
          for (const u of chains[i]) tags.add(recordTag('OrgUnit', u.uuid));
        });
        return chains;
      },
      { maxBatchSize: MAX_BATCH },
    ),
    unitChildCount: new DataLoader<string, number>(
      async (keys) => {
        for (const k of keys) tags.add(subtreeTag(k));
        const { marks, values } = inList(db, keys);
        const rows = (await readRows(
          db,
          `SELECT "parentId", COUNT(*) AS n FROM org_unit
            WHERE "parentId" IN (${marks}) AND "archivedAt" IS NULL GROUP BY "parentId"`,
          values,
        )) as Array<{ parentId: string; n: string | number }>;
        const counts = new Map(rows.map((r) => [r.parentId, Number(r.n)]));
        return keys.map((k) => counts.get(k) ?? 0);
      },
      { maxBatchSize: MAX_BATCH },
    ),
  };
}

/** The request's OrgUnit loaders, built on first use in the request. */
export const unitLoaders = loaderGroup('org-unit', createOrgUnitLoaders);
