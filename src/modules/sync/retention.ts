import type { DataSource } from 'typeorm';
import type { Logger } from '../../logger';
import { compactChangeLog } from './change-feed';

const HOUR = 3_600_000;

/**
 * Compacts the change log to `days` of history now and then every hour. Returns the first run
 * and a function that stops the schedule. Cursors older than what is kept get
 * SYNC_CURSOR_EXPIRED.
 */
export function scheduleCompaction(
  db: DataSource,
  days: number,
  log: Logger,
): { firstRun: Promise<unknown>; stop: () => void } {
  const run = () =>
    compactChangeLog(db, new Date(Date.now() - days * 24 * HOUR)).then(
      (r) => r.deleted > 0 && log.info(r, 'change log compacted'),
      (err) => log.error({ err }, 'change-log compaction failed'),
    );
  const firstRun = run();
  const timer = setInterval(run, HOUR);
  timer.unref();
  return { firstRun, stop: () => clearInterval(timer) };
}
