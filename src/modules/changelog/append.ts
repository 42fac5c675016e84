import type { EntityManager } from 'typeorm';
import { ChangeEntry } from './change-entry.entity';
import type { ChangeToLog } from '../node/write-effects';
import { encodeScope, scopeOf } from './scope';
import { noteHead, WRITE_LOCK } from '../../db/write-transaction';

/**
 * Key of the PostgreSQL advisory lock that orders change-log sequence numbers by commit: the
 * write lock that every write transaction takes first (db/write-transaction.ts).
 */
export const CHANGE_LOG_LOCK = WRITE_LOCK;

/**
 * Appends the change-log entry of a write, in the writer's transaction, with the subtree scope
 * of the record before and after it.
 * Note: on PostgreSQL, sequence numbers are handed out in the order writers take a
 * transaction-scoped advisory lock, which they hold until commit: a change committed before
 * another always has the lower sequence, so a feed reader can never skip one that commits late.
 * SQLite has a single writer, which gives the same order. Writers already hold the lock from
 * their first statement (`writeTransaction`); taking it again here costs nothing and keeps a
 * writer that forgot it in order.
 */
export async function appendChange(
  em: EntityManager,
  change: ChangeToLog,
  states: { before: object | null; after: object | null },
  /** Units whose subtree also held the record, beyond what its states tell (see moved-subtree.ts). */
  alsoIn: string[] = [],
): Promise<void> {
  if (em.connection.options.type === 'postgres') {
    await em.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
  }
  const scopes = await Promise.all([
    scopeOf(em, change.entityType, states.before as Record<string, unknown> | null),
    scopeOf(em, change.entityType, states.after as Record<string, unknown> | null),
  ]);
  const scope = encodeScope([...new Set([...scopes.flat(), ...alsoIn])]);
  const inserted = await em.insert(ChangeEntry, {
    ...change,
    scope,
    changes: change.changes as never,
  });
  // Note: the subscriptions hear of the new head once the writer's transaction commits.
  noteHead(em, Number((inserted.identifiers[0] as { sequence?: number } | undefined)?.sequence));
}
