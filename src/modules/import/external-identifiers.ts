import type { EntityManager } from 'typeorm';
import { Not } from 'typeorm';
import { ExternalIdentifier } from '../source/external-identifier.entity';
import type { WriteOutcome } from '../node/record-writer';

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

/**
 * Records that a record has this identifier in `scheme`, replacing any other value it had there.
 * An identifier that already names another record stays with it: `taken`, nothing written.
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
