import type { EntityManager } from 'typeorm';
import { Not } from 'typeorm';
import { ExternalIdentifier } from './external-identifier.entity';
import type { WriteOutcome } from '../node/record-writer';

/** An identifier in another system, as the API and the exchange formats show it. */
export interface SchemeValue {
  scheme: string;
  value: string;
}

/** The uuid of the record of this type that an identifier of another system names, if any. */
export async function findByIdentifier(
  em: EntityManager,
  scheme: string,
  value: string,
  entityType: string,
): Promise<string | null> {
  const row = await em.getRepository(ExternalIdentifier).findOneBy({ scheme, value });
  return row && row.entityType === entityType ? row.entityId : null;
}

/** The identifiers of a record, sorted by scheme and value. */
export async function identifiersOf(em: EntityManager, entityId: string): Promise<SchemeValue[]> {
  const rows = await em.getRepository(ExternalIdentifier).find({ where: { entityId } });
  return sortIdentifiers(rows.map(({ scheme, value }) => ({ scheme, value })));
}

/** Identifiers in their one order: by scheme, then value. */
export function sortIdentifiers(ids: SchemeValue[]): SchemeValue[] {
  return [...ids].sort((a, b) =>
    a.scheme === b.scheme ? a.value.localeCompare(b.value) : a.scheme.localeCompare(b.scheme),
  );
}

/**
 * Records that a record has this identifier in `scheme`, replacing any other value it had there.
 * An identifier that already names another record stays with it: `taken`, nothing written.
 * Note: callers go through `OrgUnitService.putIdentifiers`, which logs the change.
 */
export async function putIdentifier(
  em: EntityManager,
  scheme: string,
  value: string,
  entityType: string,
  entityId: string,
): Promise<WriteOutcome | 'taken'> {
  const repo = em.getRepository(ExternalIdentifier);
  const existing = await repo.findOneBy({ scheme, value });
  if (existing) return existing.entityId === entityId ? 'unchanged' : 'taken';
  const replaced = await repo.delete({ scheme, entityId, value: Not(value) });
  await repo.insert({ scheme, value, entityType, entityId });
  return replaced.affected ? 'updated' : 'created';
}
