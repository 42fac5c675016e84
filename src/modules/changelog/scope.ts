import type { EntityManager } from 'typeorm';
import { ancestorsOf } from '../org-unit/org-unit.tree';
import { recordTypeNamed } from '../node/record-types';

/** Scope of records that belong to no subtree (sources): every subtree feed carries them. */
export const EVERYWHERE = '*';

type State = Record<string, unknown> | null;

/**
 * The units whose subtree holds a record in a given state: its unit (or the unit of its post,
 * owner or ends) and every ancestor of that unit. A change is in a subtree feed when the
 * subtree's root is in the scope of the record before or after the change, so records that
 * move in or out of a subtree show in its feed.
 */
export async function scopeOf(
  em: EntityManager,
  entityType: string,
  state: State,
): Promise<string[]> {
  if (!state) return [];
  const units = await anchorUnits(em, entityType, state);
  if (units === EVERYWHERE) return [EVERYWHERE];
  const present = units.filter((u): u is string => typeof u === 'string');
  if (present.length === 0) return [];
  const chains = await ancestorsOf(em, present);
  return [...new Set([...present, ...chains.flat().map((u) => u.uuid)])];
}

/** The units a record hangs from directly, as its type's descriptor says; else everywhere. */
async function anchorUnits(
  em: EntityManager,
  type: string,
  s: Record<string, unknown>,
): Promise<unknown[] | typeof EVERYWHERE> {
  const anchor = recordTypeNamed(type)?.anchor;
  return anchor ? anchor(em, s) : EVERYWHERE;
}

/** How a scope is stored: uuids between spaces, so `LIKE '% <uuid> %'` matches one exactly. */
export function encodeScope(units: string[]): string {
  return units.length ? ` ${units.join(' ')} ` : '';
}
