import { IsNull, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import { DomainError, ValidationCode } from './domain-error';
import type { WriteContext } from './record-writer';
import { requireFound } from './validate';

/** A record that is archived (soft-deleted) rather than deleted. */
interface Archivable {
  uuid: string;
  archivedAt: Date | null;
}

/**
 * The record of type `target` with this uuid, which must exist and be active: NOT_FOUND ("`field`
 * names no existing `what`.") or ARCHIVED (`archived`, by default "The `what` is archived."),
 * both on `field`. Every write that references a unit or a post checks it here.
 */
export async function requireActive<T extends Archivable>(
  tx: WriteContext,
  target: EntityTarget<T>,
  uuid: string,
  field: string,
  what: string,
  archived = `The ${what} is archived.`,
): Promise<T> {
  const where = { uuid } as FindOptionsWhere<T>;
  const record = requireFound(field, await tx.em.getRepository(target).findOneBy(where), what);
  if (record.archivedAt) throw new DomainError(ValidationCode.ARCHIVED, [field], archived);
  return record;
}

/**
 * The position after the last of the records of `target` that match `where` (a null or empty
 * value matches NULL), or 0 when none does: where a new or moved record goes among its siblings.
 */
export async function nextPosition<T extends ObjectLiteral>(
  tx: WriteContext,
  target: EntityTarget<T>,
  where: { [column in keyof T]?: string | null },
): Promise<number> {
  const siblings = Object.fromEntries(
    Object.entries(where).map(([column, value]) => [column, value || IsNull()]),
  );
  const row = await tx.em
    .getRepository(target)
    .createQueryBuilder('r')
    .select('MAX(r.position)', 'max')
    .where(siblings)
    .getRawOne<{ max: number | null }>();
  return row?.max == null ? 0 : Number(row.max) + 1;
}
