import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { Context, createContext, refreshContext, Services } from '../../graphql/context';
import { anonymous } from '../../graphql/principal';
import { ChangeEntry } from '../changelog/change-entry.entity';
import {
  compactedThrough,
  currentRecord,
  decodeFeedCursor,
  FeedFilter,
  feedFilter,
  headSequence,
  matchesFilter,
  readEntries,
  SyncCursorExpiredError,
  toChange,
} from './change-feed';
import type { Change } from './change-feed.types';
import { fellBehind } from '../../metrics';

/** Entries one read of the log takes, live or replayed. */
const READ_BATCH = 500;
/** Entries one replay step reads for one subscriber (as a page of `changes`). */
const REPLAY_PAGE = 100;

/** What one subscriber waits for, and what it costs in memory. */
interface Pending {
  row: ChangeEntry;
  /** The record as it is now, loaded once for every subscriber of this instance. */
  current: Promise<unknown> | undefined;
  bytes: number;
}

/** The bytes an entry held in memory stands for, roughly: its JSON and its fixed fields. */
function entryBytes(row: ChangeEntry): number {
  return 256 + JSON.stringify(row.changes ?? null).length + row.scope.length;
}

/**
 * The live side of the change feed in one instance: it reads the change log once for each new
 * head, whoever heard of it (this instance's writes, another instance's through the head
 * channel, or the periodic catch-up), and hands each entry to the subscribers whose filter it
 * matches, in memory: one read per head for all the subscribers, not one per subscriber.
 */
export class ChangeHub {
  /** The last sequence read and handed out. */
  private seen = 0;
  private readonly subscribers = new Set<ChangeSubscriber>();
  private reading: Promise<void> | null = null;
  private again = false;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    readonly db: DataSource,
    private readonly config: Config,
    private readonly services: Services,
    private readonly log: Logger,
    catchUpMs: number,
  ) {
    this.timer = setInterval(() => {
      if (this.subscribers.size > 0) void this.refresh(true);
    }, catchUpMs);
    this.timer.unref();
  }

  /** The last sequence this hub has read and handed out. */
  get head(): number {
    return this.seen;
  }

  /** Another instance (or this one) says the log reached `head`. */
  notify(head: number): void {
    if (head > this.seen && this.subscribers.size > 0) void this.refresh(false);
  }

  /**
   * Reads the entries after the last one handed out, until none is left; one reading at a time,
   * and once more when asked meanwhile. `checkCompaction` also compares the compaction point
   * (the periodic catch-up): entries compacted before they were read are lost to the live
   * subscribers, who then get SYNC_CURSOR_EXPIRED.
   */
  refresh(checkCompaction: boolean): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          if (checkCompaction) {
            const floor = await compactedThrough(this.db);
            if (floor > this.seen) {
              for (const sub of this.subscribers)
                if (sub.live && sub.position < floor) sub.expire(floor);
              this.seen = floor;
            }
          }
          for (;;) {
            const rows = await readEntries(
              this.db,
              { types: null, root: null },
              { after: this.seen, limit: READ_BATCH },
            );
            if (rows.length === 0) break;
            this.dispatch(rows);
            if (rows.length < READ_BATCH) break;
          }
        } while (this.again && !this.closed);
      } catch (err) {
        this.log.warn({ err }, 'subscriptions: reading the change log failed; retrying later');
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  private dispatch(rows: ChangeEntry[]): void {
    const live = [...this.subscribers].filter((sub) => sub.live);
    // Note: the records as they are now are loaded once for the batch, by one context of this
    // instance (its loaders batch them by type), and shared by every subscriber.
    const shared = live.length > 0 ? this.context() : null;
    for (const row of rows) {
      let current: Promise<unknown> | undefined;
      for (const sub of live) {
        // Note: a subscriber that fell behind in this batch reads the rest from the log itself.
        if (!sub.live || row.sequence <= sub.position) continue;
        if (sub.wants(row)) {
          if (!current && shared) {
            current = currentRecord(shared, row);
            current.catch(() => undefined);
          }
          if (!sub.push({ row, current, bytes: entryBytes(row) })) continue;
        }
        sub.position = row.sequence;
      }
      this.seen = Math.max(this.seen, row.sequence);
    }
  }

  private context(): Context {
    return createContext(this.db, this.config, this.services, { statements: 0 }, anonymous('hub'));
  }

  /**
   * Opens a subscription for the caller of `ctx`: from `after` (replayed from the log, then live),
   * or live from the current head. SYNC_CURSOR_EXPIRED, before anything is sent, for a cursor the
   * log no longer holds or that is ahead of it.
   */
  async subscribe(
    ctx: Context,
    args: { after?: string | null; subtree?: string | null; types?: readonly string[] | null },
  ): Promise<AsyncIterableIterator<Change>> {
    const filter = feedFilter(args);
    const after = args.after != null ? decodeFeedCursor(args.after) : null;
    const [floor, head] = await Promise.all([compactedThrough(this.db), headSequence(this.db)]);
    if (after !== null && after < floor) throw new SyncCursorExpiredError(floor);
    if (after !== null && after > head) throw new SyncCursorExpiredError(floor, true);
    if (this.subscribers.size === 0) this.seen = Math.max(this.seen, head);
    const sub = new ChangeSubscriber(this, ctx, filter, after ?? head, after === null);
    this.subscribers.add(sub);
    // Note: a lagging hub (a head missed while nobody listened) catches up now.
    void this.refresh(false);
    return sub;
  }

  /** Forgets a subscriber that ended. */
  remove(sub: ChangeSubscriber): void {
    this.subscribers.delete(sub);
  }

  /** How many subscribers are open in this instance. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Ends every subscription (shutdown) and stops the catch-up. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const sub of [...this.subscribers]) sub.end();
  }
}

/**
 * One subscription: an async iterator of the changes it selects. Replaying, it reads the log
 * itself a page at a time as the client takes them, up to what the hub has handed out; then it
 * is live, and the hub pushes what it reads. The seam is a position, the last sequence this
 * subscriber got or skipped: the hub hands out only later entries, and the switch to live happens
 * in the same turn as the check that the replay reached the hub's head, so nothing falls between
 * and nothing comes twice. What waits for the client is bounded: past the bound (with what the
 * transport holds), the subscriber is closed as a slow consumer.
 */
export class ChangeSubscriber implements AsyncIterableIterator<Change> {
  live = false;
  private readonly queue: Pending[] = [];
  private bytes = 0;
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private done = false;

  constructor(
    private readonly hub: ChangeHub,
    private readonly ctx: Context,
    private readonly filter: FeedFilter,
    /** The last sequence handed to this subscriber or skipped by it. */
    public position: number,
    live: boolean,
  ) {
    this.live = live && position >= hub.head;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Change> {
    return this;
  }

  wants(row: ChangeEntry): boolean {
    return matchesFilter(row, this.filter);
  }

  /**
   * Queues an entry the hub hands out, unless it would pass the bound: then the subscriber falls
   * behind (no longer live) and the entry is not taken; its position stays before it, and once
   * the client has taken what waits, it reads the log itself from there, a page at a time, at
   * its own pace, until it reaches the hub again. So a burst (an import of thousands of changes)
   * costs a fast client nothing but a few pages read, and a slow one neither its connection nor
   * the gateway's memory. Returns whether the entry was queued.
   */
  push(pending: Pending): boolean {
    if (this.done) return true;
    const stream = this.ctx.stream;
    const limit = stream?.bufferLimit ?? Number.POSITIVE_INFINITY;
    if (this.bytes + pending.bytes + (stream?.buffered() ?? 0) > limit) {
      this.live = false;
      fellBehind.inc();
      this.wake();
      return false;
    }
    this.queue.push(pending);
    this.bytes += pending.bytes;
    this.wake();
    return true;
  }

  /** Entries up to `floor` were compacted before this subscriber got them. */
  expire(floor: number): void {
    this.fail(new SyncCursorExpiredError(floor));
  }

  private fail(error: Error): void {
    if (this.done) return;
    this.failure = error;
    this.hub.remove(this);
    this.wake();
  }

  /** Ends the subscription normally (shutdown). */
  end(): void {
    this.done = true;
    this.queue.length = 0;
    this.bytes = 0;
    this.hub.remove(this);
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  async next(): Promise<IteratorResult<Change>> {
    for (;;) {
      if (this.done) return { done: true, value: undefined };
      const pending = this.queue.shift();
      if (pending) {
        this.bytes -= pending.bytes;
        refreshContext(this.ctx);
        return { done: false, value: await toChange(this.ctx, pending.row, pending.current) };
      }
      if (this.failure) {
        const failure = this.failure;
        this.done = true;
        throw failure;
      }
      if (!this.live) {
        await this.replayStep();
        continue;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /** Reads the next page of the replay, or goes live when the replay reached the hub's head. */
  private async replayStep(): Promise<void> {
    const target = this.hub.head;
    if (this.position >= target) {
      this.live = true;
      return;
    }
    const floor = await compactedThrough(this.hub.db);
    if (this.position < floor) return this.expire(floor);
    const rows = await readEntries(this.hub.db, this.filter, {
      after: this.position,
      through: target,
      limit: REPLAY_PAGE,
    });
    if (this.done) return;
    for (const row of rows) {
      this.queue.push({ row, current: undefined, bytes: entryBytes(row) });
      this.bytes += entryBytes(row);
    }
    this.position = rows.length < REPLAY_PAGE ? target : rows[rows.length - 1].sequence;
    // Note: same turn as the hub's head is compared: nothing can be handed out in between.
    if (this.position >= this.hub.head) this.live = true;
  }

  async return(): Promise<IteratorResult<Change>> {
    this.end();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<Change>> {
    this.end();
    throw error;
  }
}
