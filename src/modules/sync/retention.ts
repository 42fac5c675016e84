import type { DataSource, EntityManager } from 'typeorm';
import { writeTransaction } from '../../db/write-transaction';
import type { Logger } from '../../logger';
import { ChangeLogMeta } from '../changelog/change-log-meta.entity';
import { compactWithin } from './change-feed';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The minute (since the epoch) of the last compaction, in `change_log_meta`. */
const LAST_COMPACTION = 'lastCompactionMinute';

/**
 * Minutes after a compaction during which no instance starts another. Note: below the hour, so
 * that the hourly timers of instances started at different times do not skip a whole hour.
 */
export const COMPACTION_PERIOD_MINUTES = 55;

/**
 * Compacts the change log to `days` of history now and then every hour. Returns the first run
 * and a function that stops the schedule. Cursors older than what is kept get
 * SYNC_CURSOR_EXPIRED. Every instance keeps this schedule, and one compaction per period runs
 * in all of them together (`compactIfDue`).
 */
export function scheduleCompaction(
  db: DataSource,
  days: number,
  log: Logger,
): { firstRun: Promise<unknown>; stop: () => void } {
  const run = () =>
    compactIfDue(db, new Date(Date.now() - days * 24 * HOUR)).then(
      (r) =>
        r
          ? log.info(r, 'change log compacted')
          : log.debug('change-log compaction: another instance compacted within the period'),
      (err) => log.error({ err }, 'change-log compaction failed'),
    );
  const firstRun = run();
  const timer = setInterval(run, HOUR);
  timer.unref();
  return { firstRun, stop: () => clearInterval(timer) };
}

/**
 * Compacts the log to `cutoff` unless some instance did within COMPACTION_PERIOD_MINUTES; null
 * when it did not run. The claim (`lastCompactionMinute`) is read and written in the same write
 * transaction as the compaction, under the write lock (an advisory lock on PostgreSQL), so that
 * of several instances sharing the database exactly one compacts per period.
 */
export async function compactIfDue(
  db: DataSource,
  cutoff: Date,
  now = Date.now(),
): Promise<{ deleted: number; compactedThrough: number } | null> {
  return writeTransaction(
    db,
    async (em) => ((await claimPeriod(em, now)) ? compactWithin(em, cutoff) : null),
    { timeoutMs: null },
  );
}

async function claimPeriod(em: EntityManager, now: number): Promise<boolean> {
  const meta = em.getRepository(ChangeLogMeta);
  const minute = Math.floor(now / MINUTE);
  const last = (await meta.findOneBy({ name: LAST_COMPACTION }))?.value;
  if (last !== undefined && minute - last < COMPACTION_PERIOD_MINUTES && minute >= last)
    return false;
  await meta.save({ name: LAST_COMPACTION, value: minute });
  return true;
}
