import type { DataSource } from 'typeorm';
import { writeTransaction } from '../../db/write-transaction';
import { SearchStore } from '../search/search.store';
import { applyChange } from './mirror-apply';
import { loadSnapshot } from './mirror-snapshot';
import { MirrorError } from './exchange-values';
import { UnstorableRecordError } from './mirror-text';
import {
  CursorExpiredError,
  FeedChange,
  LiveFeedError,
  RemoteError,
  RemoteGateway,
} from './remote';
import { SyncState } from './sync-state.entity';

/** A mirror waits for the gateway's writes to its database as long as they take. */
const WAIT = { timeoutMs: null };

/** Why the mirror starts again from a snapshot. */
export type SnapshotReason =
  'first copy' | 'another remote' | 'cursor expired' | 'unstorable change';

/** What the mirror reports as it goes. */
export type MirrorEvent =
  | { kind: 'snapshot'; reason: SnapshotReason; records: number; asOf: string }
  | { kind: 'page'; applied: number; skipped: number; lastSequence: number | null; more: boolean }
  | { kind: 'retry'; error: string; delayMs: number }
  | { kind: 'live' }
  | { kind: 'pushed'; sequence: number; outcome: 'applied' | 'skipped' }
  | { kind: 'fallback'; reason: string; retryInMs: number }
  | { kind: 'unstorable'; error: string };

/** What one `sync()` did. */
export interface SyncSummary {
  snapshots: number;
  applied: number;
  skipped: number;
}

export interface MirrorOptions {
  /** Changes asked for per page of the feed (1 to 1000). */
  pageSize?: number;
  onEvent?: (event: MirrorEvent) => void;
  /**
   * Runs in the transaction of each change, after the change and the cursor are written:
   * throwing rolls both back and stops the sync. Tests simulate a crash with it.
   */
  beforeCommit?: (change: FeedChange) => void | Promise<void>;
  /**
   * `watch` follows the remote's subscription (push) instead of polling; when it cannot be opened
   * or drops, it polls, and tries the subscription again this many ms later (default 60 s).
   */
  push?: { retryMs?: number };
}

/**
 * Copies a remote gateway into a local database with the same schema: a snapshot first, then
 * the change feed, each change applied in one transaction with the cursor that follows it, so
 * an interrupted copy resumes exactly where it stopped. Writes go straight to the tables, not
 * through the services: ids, versions and timestamps stay the remote's, and nothing is logged.
 */
export class Mirror {
  private readonly search: SearchStore;
  private stopping = false;
  private wake: (() => void) | null = null;
  private readonly following = new AbortController();

  constructor(
    private readonly db: DataSource,
    private readonly remote: RemoteGateway,
    private readonly options: MirrorOptions = {},
  ) {
    this.search = new SearchStore(db.options.type === 'postgres' ? 'postgres' : 'sqlite');
  }

  /** Asks a running sync to stop after the change in progress. */
  stop(): void {
    this.stopping = true;
    this.following.abort();
    this.wake?.();
  }

  /** The stored position of this database, if it mirrors anything. */
  state(): Promise<SyncState | null> {
    return this.db
      .getRepository(SyncState)
      .find({ take: 1 })
      .then((rows) => rows[0] ?? null);
  }

  /**
   * Brings the copy up to the remote's head (or until `stop()`): snapshot if needed, then the
   * feed. A change holding text this database cannot store is replaced by a new snapshot, once
   * per sync; a snapshot holding such text stops the sync with an error naming the record.
   */
  async sync(): Promise<SyncSummary> {
    const summary: SyncSummary = { snapshots: 0, applied: 0, skipped: 0 };
    let state = await this.state();
    if (!state || state.remote !== this.remote.url) {
      state = await this.snapshot(state ? 'another remote' : 'first copy');
      summary.snapshots++;
    }
    let cursor = state.cursor;
    let resnapshotted = false;
    while (!this.stopping) {
      let page;
      try {
        page = await this.remote.changesPage(cursor, this.options.pageSize ?? 100);
      } catch (e) {
        if (!(e instanceof CursorExpiredError)) throw e;
        cursor = (await this.snapshot('cursor expired')).cursor;
        summary.snapshots++;
        continue;
      }
      let applied = 0;
      let skipped = 0;
      let lastSequence: number | null = null;
      let unstorable: UnstorableRecordError | null = null;
      for (const edge of page.edges) {
        if (this.stopping) break;
        const outcome = await this.applyOne(edge.node, cursor, edge.cursor).catch((e: unknown) => {
          if (!(e instanceof UnstorableRecordError) || resnapshotted) throw e;
          unstorable = e;
          return null;
        });
        if (outcome === null) break;
        cursor = edge.cursor;
        lastSequence = edge.node.sequence;
        if (outcome === 'applied') applied++;
        else skipped++;
      }
      summary.applied += applied;
      summary.skipped += skipped;
      const more = page.pageInfo.hasNextPage && page.edges.length > 0;
      this.options.onEvent?.({ kind: 'page', applied, skipped, lastSequence, more });
      if (unstorable) {
        // Note: the change would fail at every try, but the remote's records as they are now may
        // no longer hold that text: a snapshot takes the place of the feed, once. If a record
        // still holds it, the snapshot fails in turn, naming it, and the sync stops.
        this.options.onEvent?.({ kind: 'unstorable', error: (unstorable as Error).message });
        resnapshotted = true;
        cursor = (await this.snapshot('unstorable change')).cursor;
        summary.snapshots++;
        continue;
      }
      if (!more) break;
    }
    return summary;
  }

  /**
   * Syncs, then polls for new changes until `stop()`: `minDelayMs` after a round that brought
   * changes, doubling up to `maxDelayMs` while idle. Failures that may pass (network, rate
   * limit, 5xx) are retried on the same schedule; others end the watch.
   */
  async watch(minDelayMs = 1_000, maxDelayMs = 60_000): Promise<void> {
    let delay = minDelayMs;
    let pushAt = this.options.push ? 0 : Number.POSITIVE_INFINITY;
    while (!this.stopping) {
      if (Date.now() >= pushAt) {
        try {
          await this.follow();
          delay = minDelayMs;
          continue;
        } catch (e) {
          if (!(e instanceof LiveFeedError)) throw e;
          const retryInMs = this.options.push?.retryMs ?? 60_000;
          pushAt = Date.now() + retryInMs;
          this.options.onEvent?.({ kind: 'fallback', reason: e.message, retryInMs });
        }
      }
      try {
        const { applied, snapshots } = await this.sync();
        delay = applied + snapshots > 0 ? minDelayMs : Math.min(delay * 2, maxDelayMs);
      } catch (e) {
        if (!(e instanceof RemoteError && e.retryable)) throw e;
        delay = Math.min(delay * 2, maxDelayMs);
        this.options.onEvent?.({ kind: 'retry', error: e.message, delayMs: delay });
      }
      if (!this.stopping) await this.sleep(Math.min(delay, Math.max(0, pushAt - Date.now())));
    }
  }

  /**
   * Catches up by the feed (a snapshot first if needed), then applies each change the remote's
   * subscription pushes, in one transaction with its cursor, as `sync` does a page's. Returns
   * when stopped, or to catch up again when the cursor expired or a change could not be stored
   * (`sync` then takes a new snapshot); throws LiveFeedError when the subscription cannot be
   * opened or drops.
   */
  private async follow(): Promise<void> {
    await this.sync();
    const state = await this.state();
    if (!state || this.stopping) return;
    let cursor = state.cursor;
    const live = () => this.options.onEvent?.({ kind: 'live' });
    try {
      for await (const change of this.remote.subscribe(cursor, this.following.signal, live)) {
        const outcome = await this.applyOne(change, cursor, change.cursor);
        cursor = change.cursor;
        this.options.onEvent?.({ kind: 'pushed', sequence: change.sequence, outcome });
        if (this.stopping) return;
      }
    } catch (e) {
      if (e instanceof CursorExpiredError || e instanceof UnstorableRecordError) return;
      throw e;
    }
  }

  /** Replaces the local copy with a snapshot of the remote, and stores its cursor. */
  private async snapshot(reason: SnapshotReason): Promise<SyncState> {
    const { state, records } = await writeTransaction(
      this.db,
      async (em) => {
        const loaded = await loadSnapshot(em, this.search, this.remote.snapshotLines());
        await em.createQueryBuilder().delete().from(SyncState).execute();
        const row = em.getRepository(SyncState).create({
          remote: this.remote.url,
          cursor: loaded.header.asOf,
          snapshotAt: new Date(),
        });
        return { state: await em.getRepository(SyncState).save(row), records: loaded.records };
      },
      WAIT,
    );
    this.options.onEvent?.({ kind: 'snapshot', reason, records, asOf: state.cursor });
    return state;
  }

  /**
   * Applies one change and moves the stored cursor from `from` to `to`, in one transaction.
   * Note: the cursor moves first, and only if it still is `from`, which also locks the row on
   * PostgreSQL: two syncs of one database cannot interleave their changes.
   */
  private async applyOne(change: FeedChange, from: string, to: string) {
    return writeTransaction(
      this.db,
      async (em) => {
        const moved = await em
          .createQueryBuilder()
          .update(SyncState)
          .set({ cursor: to })
          .where('remote = :remote AND cursor = :from', { remote: this.remote.url, from })
          .execute();
        if (moved.affected !== 1)
          throw new MirrorError(
            'The stored cursor moved: another sync of this database is running.',
          );
        const outcome = await applyChange(em, this.search, change);
        await this.options.beforeCommit?.(change);
        return outcome;
      },
      WAIT,
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wake = null;
    });
  }
}
