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
  const rows = await readEntries(ctx.db, feedFilter(args), { after, limit: first + 1 });
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

/** What `changes` and `directoryChanges` select: record types, and a subtree (its unit's uuid). */
export interface FeedFilter {
  types: readonly string[] | null;
  root: string | null;
}

/** The filter of feed arguments; BAD_USER_INPUT when `subtree` is not a unit's id. */
export function feedFilter(args: {
  types?: readonly string[] | null;
  subtree?: string | null;
}): FeedFilter {
  return {
    types: args.types?.length ? args.types : null,
    root: args.subtree != null ? requireUuid(args.subtree, 'OrgUnit', 'subtree') : null,
  };
}

/**
 * Reads the change log after `after` (up to `through` when given), in commit order, at most
 * `limit` entries, filtered in SQL by `filter`: what both the feed and the subscriptions read.
 */
export function readEntries(
  db: DataSource,
  filter: FeedFilter,
  range: { after: number; through?: number; limit: number },
): Promise<ChangeEntry[]> {
  const qb = db
    .getRepository(ChangeEntry)
    .createQueryBuilder('c')
    .where('c.sequence > :after', { after: range.after })
    .orderBy('c.sequence', 'ASC')
    .limit(range.limit);
  if (range.through !== undefined)
    qb.andWhere('c.sequence <= :through', { through: range.through });
  if (filter.types) qb.andWhere('c.entityType IN (:...types)', { types: filter.types });
  if (filter.root !== null) {
    qb.andWhere('(c.scope LIKE :inSubtree OR c.scope = :everywhere)', {
      inSubtree: `% ${filter.root} %`,
      everywhere: ` ${EVERYWHERE} `,
    });
  }
  return qb.getMany();
}

/** The same filter as `readEntries`' SQL, applied in memory to an entry already read. */
export function matchesFilter(row: ChangeEntry, filter: FeedFilter): boolean {
  if (filter.types && !filter.types.includes(row.entityType)) return false;
  if (filter.root === null) return true;
  return row.scope.includes(` ${filter.root} `) || row.scope === ` ${EVERYWHERE} `;
}

/** The record an entry is about, as it is now (null once deleted). */
export function currentRecord(ctx: Context, row: ChangeEntry): Promise<unknown> {
  return loadByType(ctx, row.entityType as NodeType, row.entityId);
}

/**
 * The API form of an entry, for the caller of `ctx` (private fields left out for those who may not
 * read them); `current` is the record as it is now, when already loaded.
 */
export async function toChange(
  ctx: Context,
  row: ChangeEntry,
  current?: Promise<unknown>,
): Promise<Change> {
  const entry = toApiEntry(ctx, row);
  const now = await (current ?? currentRecord(ctx, row));
  const archived = now && (now as { archivedAt?: Date | null }).archivedAt;
  const reason = !now ? TombstoneReason.DELETED : archived ? TombstoneReason.ARCHIVED : null;
  return {
    sequence: row.sequence,
    cursor: encodeFeedCursor(row.sequence),
    operation: row.operation,
    entityType: row.entityType as EntityType,
    entityId: entry.entityId,
    version: row.version,
    occurredAt: row.occurredAt,
    changedFields: entry.changedFields,
    node: reason ? null : (now as Change['node']),
    tombstone: reason ? { id: toGlobalId(row.entityType as NodeType, row.entityId), reason } : null,
    surrogateKeys: tagsOfChange(row.entityType, row.entityId, row.scope),
  };
}
