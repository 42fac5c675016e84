import type { EntityManager } from 'typeorm';
import { describeUnstorable, findUnstorableText, lostCharacter } from '../../db/storable-text';
import { MirrorError } from './exchange-values';

/** A record of the remote holds text that this database cannot store as it is. */
export class UnstorableRecordError extends MirrorError {}

/**
 * Fails with UnstorableRecordError, naming the record and the field, when a value the mirror is
 * about to write holds text that this database would not store as given (NUL on PostgreSQL, a
 * lone surrogate on either), instead of a driver error that every later try would meet again.
 */
export function requireKeepable(em: EntityManager, record: string, values: object): void {
  const dialect = em.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
  const found = findUnstorableText(values, [], (text) => lostCharacter(text, dialect));
  if (!found) return;
  const database = dialect === 'postgres' ? 'PostgreSQL' : 'SQLite';
  throw new UnstorableRecordError(
    `${record}: ${describeUnstorable(found.path.join('.'), found)}, which this ${database} database cannot store as it is. Nothing of it was written: correct the record on the remote, then sync again.`,
  );
}

/** How the mirror names a record in its messages: type, global id and slug. */
export function recordName(type: string, id: string, slug: unknown): string {
  return `${type} ${id}${typeof slug === 'string' ? ` (slug ${slug})` : ''}`;
}
