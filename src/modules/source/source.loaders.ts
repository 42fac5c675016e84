import DataLoader from 'dataloader';
import {
  byUuid,
  groupedBy,
  MAX_BATCH,
  loaderGroup,
  type LoaderSource,
} from '../../graphql/loader-utils';
import { recordTag } from '../../graphql/answer-tags';
import { ExternalIdentifier } from './external-identifier.entity';
import { Source } from './source.entity';
import { Citation } from './citation.entity';

/** Per-request loaders of sources, of the sources each record cites, and of its identifiers. */
export function createSourceLoaders(from: LoaderSource) {
  const { db, tags } = from;
  const source = byUuid(from, Source);
  return {
    source,
    identifiersOf: groupedBy(
      from,
      ExternalIdentifier,
      'entityId',
      { scheme: 'ASC', value: 'ASC' },
      'owner',
    ),
    // Note: which sources a record cites is logged on the record (its `sources`), so only the
    // sources themselves are tagged.
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
          if (s) {
            tags.add(recordTag('Source', s.uuid));
            groups.get(raw.citedBy)?.push(s);
          }
        });
        return entityIds.map((id) => groups.get(id) ?? []);
      },
      { maxBatchSize: MAX_BATCH },
    ),
  };
}

/** The request's Source loaders, built on first use in the request. */
export const sourceLoaders = loaderGroup('source', createSourceLoaders);
