import DataLoader from 'dataloader';
import { DataSource, In, IsNull } from 'typeorm';
import { byUnique, byUuid, groupedBy, MAX_BATCH, loaderGroup } from '../../graphql/loader-utils';
import { OrgUnit } from './org-unit.entity';
import { ancestorsOf } from './org-unit.tree';

/** Per-request loaders of units. */
export function createOrgUnitLoaders(db: DataSource) {
  return {
    unit: byUuid(db, OrgUnit),
    unitBySlug: byUnique(db, OrgUnit, 'slug'),
    unitChildren: groupedBy(
      db,
      OrgUnit,
      'parentId',
      { position: 'ASC', name: 'ASC', uuid: 'ASC' },
      { activeOnly: true },
    ),
    unitAncestors: new DataLoader<string, OrgUnit[]>((keys) => ancestorsOf(db, keys), {
      maxBatchSize: MAX_BATCH,
    }),
    unitChildCount: new DataLoader<string, number>(
      async (keys) => {
        const rows: Array<{ parentId: string; n: string | number }> = await db
          .getRepository(OrgUnit)
          .createQueryBuilder('u')
          .select('u.parentId', 'parentId')
          .addSelect('COUNT(*)', 'n')
          .where({ parentId: In([...keys]), archivedAt: IsNull() })
          .groupBy('u.parentId')
          .getRawMany();
        const counts = new Map(rows.map((r) => [r.parentId, Number(r.n)]));
        return keys.map((k) => counts.get(k) ?? 0);
      },
      { maxBatchSize: MAX_BATCH },
    ),
  };
}

/** The request's OrgUnit loaders, built on first use in the request. */
export const unitLoaders = loaderGroup('org-unit', createOrgUnitLoaders);
