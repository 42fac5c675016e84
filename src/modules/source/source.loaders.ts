import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { byUuid, groupedBy, MAX_BATCH, loaderGroup } from '../../graphql/loader-utils';
import { ExternalIdentifier } from './external-identifier.entity';
import { Source } from './source.entity';
import { Citation } from './citation.entity';

/** Per-request loaders of sources, of the sources each record cites, and of its identifiers. */
export function createSourceLoaders(db: DataSource) {
  const source = byUuid(db, Source);
  return {
    source,
    identifiersOf: groupedBy(db, ExternalIdentifier, 'entityId', { scheme: 'ASC', value: 'ASC' }),
    sourcesOf: new DataLoader<string, Source[]>(
      async (entityIds) => {
        const rows = await db
          .getRepository(Source)
          .createQueryBuilder('s')
          .innerJoin(Citation, 'c', 'c.sourceId = s.uuid')
          .addSelect('c.entityId', 'citedBy')
          .where({})
          .andWhere('c.entityId IN (:...ids)', { ids: [...entityIds] })
          .orderBy('s.sourceDate', 'DESC')
          .addOrderBy('s.slug')
          .getRawAndEntities();
        const groups = new Map<string, Source[]>(entityIds.map((id) => [id, []]));
        rows.raw.forEach((raw: { citedBy: string; s_id: string }) => {
          const s = rows.entities.find((e) => e.uuid === raw.s_id);
          if (s) groups.get(raw.citedBy)?.push(s);
        });
        return entityIds.map((id) => groups.get(id) ?? []);
      },
      { maxBatchSize: MAX_BATCH },
    ),
  };
}

/** The request's Source loaders, built on first use in the request. */
export const sourceLoaders = loaderGroup('source', createSourceLoaders);
