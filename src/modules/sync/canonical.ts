import type { ObjectLiteral } from 'typeorm';
import { toGlobalId, NodeType } from '../node/global-id';
import { apiValue } from '../changelog/references';
import { recordTypeNamed, type ExchangeRecord } from '../node/record-types';
import { SchemeValue, sortIdentifiers } from '../source/external-identifiers';

const BOOKKEEPING = new Set(['uuid', 'createdAt', 'updatedAt', 'version']);

/**
 * One record in the exchange form of snapshots and canonical exports, with its timestamps where
 * the format has them; identifiers in other systems sorted by scheme and value.
 */
export interface CanonicalRecord extends ExchangeRecord {
  createdAt?: string;
  updatedAt?: string;
}

/**
 * The exchange form of a record: its content fields as stored, references as global ids, dates
 * as ISO strings, private fields left out unless `withPrivate`; sources as sorted global ids;
 * for units, their identifiers in other systems.
 */
export function canonicalRecord(
  type: NodeType,
  record: ObjectLiteral,
  sources: string[],
  options: { withPrivate: boolean; withTimestamps: boolean },
  externalIds: SchemeValue[] = [],
): CanonicalRecord {
  const descriptor = recordTypeNamed(type);
  const hidden = options.withPrivate ? [] : (descriptor?.privateFields ?? []);
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (BOOKKEEPING.has(key) || key.endsWith('Ref') || hidden.includes(key)) continue;
    const value =
      record[key] instanceof Date ? (record[key] as Date).toISOString() : (record[key] ?? null);
    fields[key] = apiValue(key, value);
  }
  return {
    type,
    id: toGlobalId(type, record.uuid),
    version: record.version,
    ...(options.withTimestamps
      ? { createdAt: iso(record.createdAt), updatedAt: iso(record.updatedAt) }
      : {}),
    fields,
    sources: sources.map((s) => toGlobalId('Source', s)).sort(),
    ...(descriptor?.externalIds ? { externalIds: sortIdentifiers(externalIds) } : {}),
  };
}

function iso(value: unknown): string | undefined {
  return value instanceof Date ? value.toISOString() : undefined;
}
