import { DataSource } from 'typeorm';
import { byUuid, groupedBy, loaderGroup } from '../../graphql/loader-utils';
import { Relation } from './relation.entity';

const ORDER = { type: 'ASC', slug: 'ASC' } as const;

/** Per-request loaders of relations, by either end. */
export function createRelationLoaders(db: DataSource) {
  return {
    relation: byUuid(db, Relation),
    relationsFromUnit: groupedBy(db, Relation, 'fromUnitId', ORDER),
    relationsToUnit: groupedBy(db, Relation, 'toUnitId', ORDER),
    relationsToPost: groupedBy(db, Relation, 'toPostId', ORDER),
  };
}

/** The request's Relation loaders, built on first use in the request. */
export const relationLoaders = loaderGroup('relation', createRelationLoaders);
