import { execFileSync } from 'node:child_process';
import { usingPostgres } from './gateway';
import { REDIS_URL, redisSuitesRun } from './redis';

/**
 * The PostgreSQL server that suites of several gateway processes create their databases on:
 * the one of DATABASE_URL on the PostgreSQL pass, else TEST_POSTGRES_URL or the local server.
 */
export const POSTGRES_ADMIN_URL = usingPostgres
  ? process.env.DATABASE_URL!
  : (process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

/** Whether something accepts TCP connections on `host:port`, checked synchronously. */
export function listening(host: string, port: number): boolean {
  const script = `const s = require('node:net').connect(${port}, '${host}');
    s.setTimeout(1000, () => process.exit(1));
    s.on('error', () => process.exit(1));
    s.on('connect', () => process.exit(0));`;
  try {
    execFileSync(process.execPath, ['-e', script], { timeout: 5000, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function answers(url: string, defaultPort: number): boolean {
  const { hostname, port } = new URL(url);
  return listening(hostname, Number(port) || defaultPort);
}

/**
 * Whether the suites that run several gateway processes on one PostgreSQL and one Redis run.
 * On the PostgreSQL pass they run when Redis answers, and always under CI (a missing Redis then
 * fails them). On the
 * SQLite pass they run locally whenever both services answer, and are skipped (saying so)
 * otherwise; under CI they are left to the PostgreSQL pass, which runs them.
 */
export function multiInstanceSuitesRun(): boolean {
  if (usingPostgres) return redisSuitesRun();
  if (process.env.CI === 'true') {
    console.warn('The multi-instance suites run in the PostgreSQL pass.');
    return false;
  }
  const missing = [
    answers(POSTGRES_ADMIN_URL, 5432) ? null : `PostgreSQL (${new URL(POSTGRES_ADMIN_URL).host})`,
    answers(REDIS_URL, 6379) ? null : `Redis (${new URL(REDIS_URL).host})`,
  ].filter(Boolean);
  if (missing.length === 0) return true;
  console.warn(`Skipping the multi-instance suites: no ${missing.join(' and no ')} answers.`);
  return false;
}
