import { NodeType, toGlobalId } from '../../graphql/global-id';

/**
 * The columns that hold a reference to another record, with the type they point to. In the
 * API (history, change feed, exports) these uuids appear as the global ids clients know.
 */
export const REFERENCES: Record<string, NodeType> = {
  parentId: 'OrgUnit',
  unitId: 'OrgUnit',
  reportsToId: 'Post',
  postId: 'Post',
  personId: 'Person',
  ownerUnitId: 'OrgUnit',
  ownerPostId: 'Post',
  carriedOutById: 'OrgUnit',
  missionId: 'Mission',
  fromUnitId: 'OrgUnit',
  toUnitId: 'OrgUnit',
  toPostId: 'Post',
};

/** A stored field value as the API shows it: references as global ids, the rest unchanged. */
export function apiValue(field: string, value: unknown): unknown {
  const type = REFERENCES[field];
  return type && typeof value === 'string' ? toGlobalId(type, value) : value;
}
