import type { DataSource, EntityManager } from 'typeorm';

/**
 * Key of the PostgreSQL advisory lock that every write transaction takes first, held until it
 * commits: the change log's sequence order (changelog/append.ts) and every read-before-write
 * rule of the services rest on it.
 */
export const WRITE_LOCK = 727_001;

/** How long a write may wait for the database; null waits as long as it takes (CLI commands). */
export interface WriteOptions {
  timeoutMs: number | null;
}

/** A write could not start in time: another transaction (an import…) holds the database. */
export class DatabaseBusy extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The database is busy with another write; gave up after ${timeoutMs} ms.`);
  }
}

/** Milliseconds better-sqlite3 itself waits on a locked file; it blocks the event loop meanwhile. */
export const SQLITE_DRIVER_BUSY_MS = 50;

/** A first-come, first-served lock of one process, whose waiters give up at their deadline. */
class Gate {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  acquire(deadline: number | null, timeoutMs: number | null): Promise<() => void> {
    const release = () => {
      const next = this.waiters.shift();
      if (next) next();
      else this.held = false;
    };
    if (!this.held) {
      this.held = true;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer =
        deadline === null
          ? undefined
          : setTimeout(() => {
              this.waiters.splice(this.waiters.indexOf(grant), 1);
              reject(new DatabaseBusy(timeoutMs!));
            }, deadline - Date.now());
      this.waiters.push(grant);
    });
  }
}

const gates = new WeakMap<DataSource, Gate>();

/** The highest change-log sequence each open write transaction appended, by its query runner. */
const noted = new WeakMap<object, number>();

/** Who hears of each committed write transaction that appended to the change log, per database. */
const committedListeners = new WeakMap<DataSource, Set<(head: number) => void>>();

/**
 * Notes, in a write transaction, the change-log sequence it appended (changelog/append.ts). Once
 * the transaction commits, the highest one noted, the new head of the log, goes to the
 * `onCommitted` listeners of the database; nothing goes out on a rollback.
 */
export function noteHead(em: EntityManager, sequence: number): void {
  const key = em.queryRunner;
  if (!key || !Number.isFinite(sequence)) return;
  noted.set(key, Math.max(noted.get(key) ?? 0, sequence));
}

/**
 * Calls `listener` with the new head of the change log after every write transaction of this
 * process on `db` that appended to it commits (the after-commit hook). Returns the unsubscriber.
 */
export function onCommitted(db: DataSource, listener: (head: number) => void): () => void {
  let set = committedListeners.get(db);
  if (!set) committedListeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * Runs `run` in a write transaction that holds the database's write lock from its first
 * statement, so that every check a service makes by reading before it writes still holds at
 * commit, on PostgreSQL as on SQLite's single writer. Writes of this process queue here, without
 * a pooled connection; then PostgreSQL's advisory lock (under `lock_timeout`) or SQLite's write
 * lock (retried without blocking the event loop) orders them with other processes' (an import).
 * Past `timeoutMs` in all, it throws DatabaseBusy and nothing is written.
 */
export async function writeTransaction<T>(
  db: DataSource,
  run: (em: EntityManager) => Promise<T>,
  { timeoutMs }: WriteOptions,
): Promise<T> {
  const deadline = timeoutMs === null ? null : Date.now() + timeoutMs;
  let gate = gates.get(db);
  if (!gate) gates.set(db, (gate = new Gate()));
  const release = await gate.acquire(deadline, timeoutMs);
  try {
    const postgres = db.options.type === 'postgres';
    for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
      const left = deadline === null ? null : deadline - Date.now();
      if (left !== null && left <= 0) throw new DatabaseBusy(timeoutMs!);
      try {
        let head = 0;
        const result = await db.transaction(async (em) => {
          await (postgres ? lockPostgres(em, left) : lockSqlite(em));
          const value = await run(em);
          if (em.queryRunner) head = noted.get(em.queryRunner) ?? 0;
          return value;
        });
        if (head > 0) for (const listener of committedListeners.get(db) ?? []) listener(head);
        return result;
      } catch (e) {
        if (!isBusy(e)) throw e;
        // Note: PostgreSQL waited in the lock queue itself; only SQLite is polled.
        if (postgres || (left !== null && left <= pause)) throw new DatabaseBusy(timeoutMs!);
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  } finally {
    release();
  }
}

/** The advisory lock, waited for at most `left` ms (lock_timeout 0 would mean for ever). */
async function lockPostgres(em: EntityManager, left: number | null): Promise<void> {
  if (left === null) {
    await em.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    return;
  }
  await em.query(
    `SELECT set_config('lock_timeout', $2, true) AS "timeout", pg_advisory_xact_lock($1) AS "lock"`,
    [WRITE_LOCK, `${Math.max(1, Math.ceil(left))}ms`],
  );
}

/**
 * SQLite's write lock, taken by a statement that writes nothing. Note: a deferred transaction
 * takes it only at its first write, after its reads, and may then find them stale.
 */
async function lockSqlite(em: EntityManager): Promise<void> {
  await em.query('DELETE FROM change_log_meta WHERE 0');
}

/** True when the database refused for a lock held elsewhere: PostgreSQL's lock_timeout, SQLITE_BUSY. */
export function isBusy(e: unknown): boolean {
  const code = (e as { driverError?: { code?: string }; code?: string }).driverError?.code;
  return code === '55P03' || (code ?? '').startsWith('SQLITE_BUSY');
}
