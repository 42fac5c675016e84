import type { DataSource, EntityManager } from 'typeorm';
import { writeTransaction } from '../../db/write-transaction';
import { LessThanOrEqual } from 'typeorm';
import type { Context } from '../../graphql/context';
import { BadUserInputError, ClientError } from '../../graphql/errors';
import { requireUuid, NodeType, toGlobalId } from '../node/global-id';
import { ChangeEntry } from '../changelog/change-entry.entity';
import { ChangeLogMeta } from '../changelog/change-log-meta.entity';
import { toApiEntry } from '../changelog/change-log.queries';
import { EVERYWHERE } from '../changelog/scope';
import { tagsOfChange } from '../../graphql/answer-tags';
import { inTurns } from '../../graphql/in-turns';
import { loadByType } from '../node/node.resolver';
import { Change, ChangeConnection, ChangesArgs, TombstoneReason } from './change-feed.types';
import { EntityType } from './entity-type';

export const FEED_MAX = 1000;
export const FEED_DEFAULT = 100;
const COMPACTED_THROUGH = 'compactedThrough';

/** Opaque, monotonic feed cursor: the sequence of the last change seen. */
export function encodeFeedCursor(sequence: number): string {
  return Buffer.from(`s:${sequence}`).toString('base64url');
}

/** The sequence a feed cursor stands for; BAD_USER_INPUT when it is not one. */
export function decodeFeedCursor(cursor: string, argumentName = 'after'): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString()
    : '';
  const m = /^s:(\d{1,15})$/.exec(text);
  if (!m) throw new BadUserInputError(`${argumentName} is not a change-feed cursor.`, argumentName);
  return Number(m[1]);
}

/** A cursor older than the retained log: the client must start again from a snapshot. */
export class SyncCursorExpiredError extends ClientError {
  constructor(floor: number, ahead = false) {
    super(
      'SYNC_CURSOR_EXPIRED',
      ahead
        ? 'This cursor is ahead of the change feed (was the directory restored from a backup?): take a new snapshot (GET /export/snapshot.ndjson) and continue from its asOf.'
        : 'This cursor is older than the retained change log: take a new snapshot (GET /export/snapshot.ndjson) and continue from its asOf.',
      { oldestCursor: encodeFeedCursor(floor), snapshot: '/export/snapshot.ndjson' },
    );
  }
}

/** The last sequence removed by compaction (0 when nothing was ever compacted). */
export async function compactedThrough(db: DataSource): Promise<number> {
  return (await db.getRepository(ChangeLogMeta).findOneBy({ name: COMPACTED_THROUGH }))?.value ?? 0;
}

/** The sequence of the latest committed change, compacted or not (0 before the first). */
export async function headSequence(db: DataSource): Promise<number> {
  const row = await db
    .getRepository(ChangeEntry)
    .createQueryBuilder('c')
    .select('MAX(c.sequence)', 'max')
    .getRawOne<{ max: number | null }>();
  // Note: once everything was compacted away, the head is the compaction point.
  return Math.max(Number(row?.max ?? 0), await compactedThrough(db));
}

/**
 * Compacts the log: deletes entries that occurred before `cutoff` and records the last deleted
 * sequence, so that older cursors get SYNC_CURSOR_EXPIRED instead of silently missing changes.
 */
export async function compactChangeLog(
  db: DataSource,
  cutoff: Date,
): Promise<{ deleted: number; compactedThrough: number }> {
  return writeTransaction(db, (em) => compactWithin(em, cutoff), { timeoutMs: null });
}

/** What `compactChangeLog` does, in the caller's write transaction. */
export async function compactWithin(
  em: EntityManager,
  cutoff: Date,
): Promise<{ deleted: number; compactedThrough: number }> {
  const meta = em.getRepository(ChangeLogMeta);
  const previous = (await meta.findOneBy({ name: COMPACTED_THROUGH }))?.value ?? 0;
  const last = await em
    .getRepository(ChangeEntry)
    .createQueryBuilder('c')
    .select('MAX(c.sequence)', 'max')
    .where('c.occurredAt < :cutoff', { cutoff })
    .getRawOne<{ max: number | null }>();
  const through = Number(last?.max ?? 0);
  if (through === 0) return { deleted: 0, compactedThrough: previous };
  const result = await em.delete(ChangeEntry, { sequence: LessThanOrEqual(through) });
  await meta.save({ name: COMPACTED_THROUGH, value: Math.max(previous, through) });
  return { deleted: result.affected ?? 0, compactedThrough: Math.max(previous, through) };
}

/** One page of the change feed, in commit order. */
export async function changesPage(ctx: Context, args: ChangesArgs): Promise<ChangeConnection> {
  const first = args.first ?? FEED_DEFAULT;
  if (!Number.isInteger(first) || first < 1 || first > FEED_MAX) {
    throw new BadUserInputError(`first must be between 1 and ${FEED_MAX}; got ${first}.`, 'first', {
      max: FEED_MAX,
    });
  }
  const after = args.after != null ? decodeFeedCursor(args.after) : 0;
  const floor = await compactedThrough(ctx.db);
  if (after < floor) throw new SyncCursorExpiredError(floor);
  const qb = ctx.db
    .getRepository(ChangeEntry)
    .createQueryBuilder('c')
    .where('c.sequence > :after', { after })
    .orderBy('c.sequence', 'ASC')
    .limit(first + 1);
  if (args.types?.length) qb.andWhere('c.entityType IN (:...types)', { types: args.types });
  if (args.subtree != null) {
    const root = requireUuid(args.subtree, 'OrgUnit', 'subtree');
    qb.andWhere('(c.scope LIKE :inSubtree OR c.scope = :everywhere)', {
      inSubtree: `% ${root} %`,
      everywhere: ` ${EVERYWHERE} `,
    });
  }
  const rows = await qb.getMany();
  // Note: a cursor past the head would silently skip the changes that later take its numbers.
  if (rows.length === 0 && after > 0 && after > (await headSequence(ctx.db))) {
    throw new SyncCursorExpiredError(floor, true);
  }
  const page = rows.slice(0, first);
  const changes = await Promise.all(page.map((row) => toChange(ctx, row)));
  const edges = changes.map((node) => ({ cursor: encodeFeedCursor(node.sequence), node }));
  // Note: on an empty page the cursor stays where it was, so polling resumes from the same place.
  const endCursor = encodeFeedCursor(page.length ? page[page.length - 1].sequence : after);
  // Note: a page of up to 1,000 changes is completed a hundred at a time, one event-loop turn
  // apart, so that it does not hold up every other request meanwhile.
  return {
    edges: inTurns(edges),
    nodes: inTurns(changes),
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor,
    },
  };
}

async function toChange(ctx: Context, row: ChangeEntry): Promise<Change> {
  const entry = toApiEntry(ctx, row);
  const current = await loadByType(ctx, row.entityType as NodeType, row.entityId);
  const archived = current && (current as { archivedAt?: Date | null }).archivedAt;
  const reason = !current ? TombstoneReason.DELETED : archived ? TombstoneReason.ARCHIVED : null;
  return {
    sequence: row.sequence,
    operation: row.operation,
    entityType: row.entityType as EntityType,
    entityId: entry.entityId,
    version: row.version,
    occurredAt: row.occurredAt,
    changedFields: entry.changedFields,
    node: reason ? null : current,
    tombstone: reason ? { id: toGlobalId(row.entityType as NodeType, row.entityId), reason } : null,
    surrogateKeys: tagsOfChange(row.entityType, row.entityId, row.scope),
  };
}
