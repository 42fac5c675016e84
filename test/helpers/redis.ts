import { execFileSync } from 'node:child_process';

/**
 * The Redis the tests may use. Locally, the suites that need it are skipped (and say so) when it
 * does not answer; under CI (`CI=true`) a missing Redis is a failure, never a skip.
 */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether the suites that need Redis run: it answers, or CI requires it (and they then fail). */
export function redisSuitesRun(url: string = REDIS_URL): boolean {
  if (redisAnswers(url)) return true;
  if (process.env.CI === 'true') return true;
  console.warn(`Skipping the suites that need Redis: no Redis answers at ${url}.`);
  return false;
}

/** Whether Redis answers PING, checked synchronously so that a suite can be skipped. */
export function redisAnswers(url: string = REDIS_URL): boolean {
  const { hostname, port } = new URL(url);
  const script = `const s = require('node:net').connect(${Number(port) || 6379}, '${hostname}');
    s.setTimeout(1000, () => process.exit(1));
    s.on('error', () => process.exit(1));
    s.on('connect', () => s.write('PING\\r\\n'));
    s.on('data', (d) => process.exit(String(d).startsWith('+PONG') ? 0 : 1));`;
  try {
    execFileSync(process.execPath, ['-e', script], { timeout: 5000, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
