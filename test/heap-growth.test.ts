import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { ROOT } from './helpers/server-process';

/** Runs `script` in a fresh Node process with `env` and returns what it printed. */
const node = (args: string[], env: Record<string, string>) =>
  execFileSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

/**
 * A fast allocator whose garbage lives long enough to be promoted: 300,000 objects kept alive,
 * and a ring of 400,000 slots overwritten ten million times, as a gateway's requests overwrite
 * one another's objects. Prints the largest heap it saw, in bytes.
 */
const CHURN = `
const v8 = require('node:v8');
const { loadConfig } = require('./dist/config');
require('./dist/heap').boundHeapGrowth(loadConfig().heapGrowingPercent);
const live = [];
for (let i = 0; i < 300000; i++) live.push({ i, s: 'x' + i, a: [i, i + 1] });
const ring = new Array(400000);
let peak = 0;
for (let i = 0; i < 10000000; i++) {
  ring[i % ring.length] = { i, s: 'y' + i, a: [i] };
  if ((i & 0xffff) === 0) peak = Math.max(peak, v8.getHeapStatistics().total_heap_size);
}
console.log(peak, live.length);
`;

describe('the heap growth bound (HEAP_GROWING_PERCENT)', () => {
  it('is 100 % unless configured, 0 leaving V8 its own factor', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(100);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(ConfigError);
  });

  it('is given to V8 by npm start before the gateway starts', () => {
    // Note: the preload records the flags the process sets and ends it at the first one, so
    // that no server starts; with 0, the process goes on and fails to open a database under /dev/null.
    const preload = path.join(ROOT, 'test', 'fixtures', 'record-v8-flags.js');
    const run = (percent: string) => {
      try {
        return node(['--require', preload, 'dist/main.js'], {
          HEAP_GROWING_PERCENT: percent,
          DATABASE_URL: 'sqlite:/dev/null/annuaire.sqlite',
        });
      } catch (e) {
        return String((e as { stdout?: string }).stdout ?? '');
      }
    };
    expect(run('150')).toContain('v8 flags: --heap-growing-percent=150');
    expect(run('0')).not.toContain('v8 flags:');
  });

  it('keeps the heap of a fast allocator well below what V8 grows it to by itself', () => {
    const peak = (env: Record<string, string>) => Number(node(['-e', CHURN], env).split(' ')[0]);
    const bounded = peak({});
    const unbounded = peak({ HEAP_GROWING_PERCENT: '0' });
    // Note: measured 246–254 MB (the default, 100 %) against 440–461 MB.
    expect(bounded).toBeLessThan(unbounded * 0.8);
  });
});
