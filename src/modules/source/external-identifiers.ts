import type { EntityManager } from 'typeorm';
import { Not } from 'typeorm';
import { ExternalIdentifier, UNIQUE_SCHEMES } from './external-identifier.entity';
import type { WriteOutcome } from '../node/record-writer';
import { requireStorableText } from '../node/validate';

/** An identifier in another system, as the API and the exchange formats show it. */
export interface SchemeValue {
  scheme: string;
  value: string;
}

/** The uuids of the records of this type that an identifier of another system names. */
export async function recordsByIdentifier(
  em: EntityManager,
  scheme: string,
  value: string,
  entityType: string,
): Promise<string[]> {
  const rows = await em.getRepository(ExternalIdentifier).find({
    where: { scheme, value, entityType },
    order: { entityId: 'ASC' },
  });
  return rows.map((r) => r.entityId);
}

/** The one record of this type that an identifier names; null when none or several do. */
export async function findByIdentifier(
  em: EntityManager,
  scheme: string,
  value: string,
  entityType: string,
): Promise<string | null> {
  const found = await recordsByIdentifier(em, scheme, value, entityType);
  return found.length === 1 ? found[0] : null;
}

/** Whether an identifier of this scheme names one record at most (the national ids). */
export function isUniqueScheme(scheme: string): boolean {
  return (UNIQUE_SCHEMES as readonly string[]).includes(scheme);
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
 * In a scheme of unique identifiers (the national ids), one that already names another record
 * stays with it: `taken`, nothing written; a SIRET or SIREN may name several.
 * Note: callers go through `OrgUnitService.putIdentifiers`, which logs the change.
 */
export async function putIdentifier(
  em: EntityManager,
  scheme: string,
  value: string,
  entityType: string,
  entityId: string,
): Promise<WriteOutcome | 'taken'> {
  requireStorableText({ scheme, value }, ['externalIds']);
  const repo = em.getRepository(ExternalIdentifier);
  if (await repo.existsBy({ scheme, value, entityId })) return 'unchanged';
  if (isUniqueScheme(scheme) && (await repo.existsBy({ scheme, value }))) return 'taken';
  const replaced = await repo.delete({ scheme, entityId, value: Not(value) });
  await repo.insert({ scheme, value, entityType, entityId });
  return replaced.affected ? 'updated' : 'created';
}
