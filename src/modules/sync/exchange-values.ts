import type { EntityMetadata } from 'typeorm';
import { fromGlobalId, NodeType } from '../node/global-id';
import { REFERENCE_LISTS } from '../changelog/references';
import { referencedType } from '../node/record-types';
import type { FieldChanges } from '../node/write-effects';
import { recordTypeNamed, type RecordTypeDescriptor } from '../node/record-types';

/** The remote sent something this mirror cannot apply: a newer format, or a copy out of step. */
export class MirrorError extends Error {}

/** The table and entity of a record type. */
export function recordTypeOf(type: string): RecordTypeDescriptor {
  const spec = recordTypeNamed(type);
  if (!spec) throw new MirrorError(`Unknown record type ${type}.`);
  return spec;
}

/** The uuid of a global id of an expected type (any type when none is given). */
export function uuidOfGlobalId(id: string, type?: NodeType): string {
  const decoded = fromGlobalId(id);
  if (!decoded || (type && decoded.type !== type))
    throw new MirrorError(`"${id}" is not a ${type ?? 'record'} id.`);
  return decoded.uuid;
}

function isTimestamp(type: unknown): boolean {
  return type === 'datetime' || (typeof type === 'string' && type.startsWith('timestamp'));
}

/**
 * Turns fields in the exchange form of snapshots and the feed (references as global ids,
 * instants as ISO strings) into column values of the entity. A field the entity does not have
 * fails: silently dropping it would leave the copy different from the remote.
 */
export function columnValues(
  meta: EntityMetadata,
  fields: Iterable<[string, unknown]>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, value] of fields) {
    const column = meta.findColumnWithPropertyName(field);
    if (!column || column.isPrimary || column.isVersion || column.isCreateDate)
      throw new MirrorError(
        `The remote sent a field ${meta.name}.${field} this mirror does not have.`,
      );
    const reference = referencedType(field);
    values[field] =
      value == null
        ? null
        : reference
          ? uuidOfGlobalId(String(value), reference)
          : isTimestamp(column.type)
            ? new Date(String(value))
            : value;
  }
  return values;
}

/**
 * The changed fields of a feed change as the local change log stores them: references back to
 * uuids, everything else as sent.
 */
export function storedChanges(
  fields: Array<{ field: string; before?: unknown; after?: unknown }>,
): FieldChanges {
  const stored: FieldChanges = {};
  const local = (field: string, value: unknown): unknown => {
    const reference = referencedType(field);
    return REFERENCE_LISTS[field] && Array.isArray(value)
      ? value.map((v) => (typeof v === 'string' ? uuidOfGlobalId(v, REFERENCE_LISTS[field]) : v))
      : reference && typeof value === 'string'
        ? uuidOfGlobalId(value, reference)
        : (value ?? null);
  };
  for (const { field, before, after } of fields) {
    stored[field] = { before: local(field, before), after: local(field, after) };
  }
  return stored;
}
