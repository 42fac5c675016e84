import { NodeType, toGlobalId } from '../node/global-id';
import { referencedType } from '../node/record-types';

/**
 * Change-log fields that are no column of the record: the sources it cites and its identifiers
 * in other systems, each logged as a whole list before and after.
 */
export const NOT_COLUMNS = new Set(['sources', 'externalIds']);

/** Change-log fields that hold a list of references: the sources a record cites. */
export const REFERENCE_LISTS: Record<string, NodeType> = { sources: 'Source' };

/** A stored field value as the API shows it: references as global ids, the rest unchanged. */
export function apiValue(field: string, value: unknown): unknown {
  const listOf = REFERENCE_LISTS[field];
  if (listOf && Array.isArray(value))
    return value.map((v) => (typeof v === 'string' ? toGlobalId(listOf, v) : v));
  const type = referencedType(field);
  return type && typeof value === 'string' ? toGlobalId(type, value) : value;
}
