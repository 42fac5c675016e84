import { byUuid, groupedBy, loaderGroup, type LoaderSource } from '../../graphql/loader-utils';
import { Relation } from './relation.entity';

const ORDER = { type: 'ASC', slug: 'ASC' } as const;

/** Per-request loaders of relations, by either end. */
export function createRelationLoaders(source: LoaderSource) {
  return {
    relation: byUuid(source, Relation),
    // Note: both ends are a relation's anchors (relation.record.ts); a target post is not.
    relationsFromUnit: groupedBy(source, Relation, 'fromUnitId', ORDER, 'subtree'),
    relationsToUnit: groupedBy(source, Relation, 'toUnitId', ORDER, 'subtree'),
    relationsToPost: groupedBy(source, Relation, 'toPostId', ORDER, 'caller'),
  };
}

/** The request's Relation loaders, built on first use in the request. */
export const relationLoaders = loaderGroup('relation', createRelationLoaders);
