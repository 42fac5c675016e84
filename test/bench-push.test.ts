import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QUICK, runPushBench, writePushOutputs } from '../src/bench/push';
import { multiInstanceSuitesRun, POSTGRES_ADMIN_URL } from './helpers/services';
import { REDIS_URL } from './helpers/redis';

/**
 * Smoke test of `npm run bench:push -- --quick`: built gateway processes (dist/main.js) on
 * SQLite, and two on one PostgreSQL database with heads over Redis and over LISTEN/NOTIFY. It
 * checks the report's shape and that every subscription event and every webhook change arrived
 * exactly once; it asserts no timings. Its outputs go to a temporary folder.
 */
jest.setTimeout(120_000);

const run = multiInstanceSuitesRun();
(run ? describe : describe.skip)('bench:push (quick)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-bench-push-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('measures every set-up, and every event and change arrives exactly once', async () => {
    const report = await runPushBench({
      root: path.join(__dirname, '..'),
      quick: true,
      skipPostgres: false,
      postgresUrl: POSTGRES_ADMIN_URL,
      redisUrl: REDIS_URL,
    });

    expect(report.quick).toBe(true);
    expect(report.machine).toMatch(/cores, Node v/);
    const setups = [
      ['SQLite, one process', 'process'],
      ['PostgreSQL, two processes, Redis', 'redis'],
      ['PostgreSQL, two processes, LISTEN/NOTIFY', 'postgres'],
    ];
    expect(report.latency.map((r) => [r.setup, r.heads, r.subscribers, r.mode])).toEqual(
      setups.flatMap(([setup, heads]) =>
        QUICK.subscribers.flatMap((n) => [
          [setup, heads, n, 'paced'],
          [setup, heads, n, 'burst'],
        ]),
      ),
    );
    for (const r of report.latency) {
      expect(r.expected).toBe(QUICK.writes * r.subscribers);
      expect([r.received, r.missing, r.duplicates]).toEqual([r.expected, 0, 0]);
      expect(r.afterAnswer.count).toBe(r.expected);
      // Note: the send is before the answer, so its latency is the larger.
      expect(r.afterSend.p50).toBeGreaterThanOrEqual(r.afterAnswer.p50);
    }

    expect(report.webhooks.map((w) => [w.setup, w.gateways])).toEqual([
      ['SQLite, one process', 1],
      ['PostgreSQL, two processes', 2],
      ['PostgreSQL, one process', 1],
    ]);
    for (const w of report.webhooks) {
      expect(w.changes).toBe(QUICK.webhookChanges);
      expect([w.missing, w.duplicateBatches, w.duplicateChanges, w.unverified]).toEqual([
        0, 0, 0, 0,
      ]);
      expect(w.batchSizes.reduce((a, b) => a + b, 0)).toBe(QUICK.webhookChanges);
      expect(w.batches).toBe(w.requests);
      expect(w.batches).toBeGreaterThan(1);
      expect([w.deliveredFirstAttempt, w.otherDeliveries]).toEqual([w.batches, 0]);
      expect(w.lagAnswer.count).toBe(QUICK.webhookChanges);
      expect(w.changesPerSecond).toBeGreaterThan(0);
      // Note: who sent each request is found out from /proc, on Linux only.
      if (w.requestsByGateway) {
        expect(w.requestsByGateway).toHaveLength(w.gateways);
        expect(w.requestsByGateway.reduce((a, b) => a + b, 0)).toBe(w.requests);
      }
    }

    const { json, markdown } = await writePushOutputs(report, {
      resultsDir: path.join(dir, 'results'),
      docsDir: path.join(dir, 'docs'),
    });
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).latency).toHaveLength(report.latency.length);
    const doc = fs.readFileSync(markdown, 'utf8');
    expect(doc).toContain('<!-- bench:push:start -->');
    expect(doc).toContain('<!-- bench:push:end -->');
    expect(doc).toContain('| PostgreSQL, two processes, Redis ');
  });
});
