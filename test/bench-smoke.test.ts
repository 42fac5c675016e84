import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBench } from '../src/bench/run';
import { QUERIES } from '../src/bench/queries';
import { usingPostgres } from './helpers/gateway';

/**
 * Smoke test of the benchmark harness on the seed data and the suite's database (SQLite unless
 * DATABASE_URL names PostgreSQL), with a few requests per
 * target, gateway and baselines in this process. It asserts that the report is complete and
 * that the response checks catch a wrong answer; it asserts no timings.
 */
// Note: each run starts two gateways and a baseline process; under a loaded CI that takes time.
jest.setTimeout(120_000);

describe('benchmark harness', () => {
  let dir: string;
  const root = path.join(__dirname, '..');

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-bench-smoke-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const options = () => ({
    dataset: 'seed' as const,
    database: usingPostgres ? ('postgres' as const) : ('sqlite' as const),
    postgresUrl: process.env.DATABASE_URL,
    duration: 1,
    requests: 12,
    connections: 2,
    inline: true,
    root,
    resultsDir: path.join(dir, 'results'),
    docsDir: path.join(dir, 'docs'),
  });

  it('measures every query against both baselines and writes the report', async () => {
    const report = await runBench(options());

    expect(report.queries.flatMap((q) => q.problems)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.queries.map((q) => q.id)).toEqual(QUERIES.map((q) => q.id));
    for (const q of report.queries) {
      expect(q.problems).toEqual([]);
      for (const r of [q.gateway, q.unloaded!, q.b0, q.b1]) {
        expect(r.requests).toBeGreaterThanOrEqual(12);
        expect(r.failed).toBe(0);
      }
    }
    expect(report.queries.find((q) => q.id === 'Q1')!.gateway.sqlStatements).not.toBeNull();

    // Q7: reads checked byte for byte while an EDITOR key writes, the answer cache saying hit.
    const mixed = report.mixed!;
    expect(mixed.problems).toEqual([]);
    expect(mixed.writes).toBeGreaterThanOrEqual(1);
    for (const r of [mixed.withoutWrites, mixed.withWrites]) {
      expect(r.failed).toBe(0);
      expect(r.cache!.hits).toBeGreaterThan(0);
    }
    for (const q of report.queries) expect(q.loopDelay!.max).toBeGreaterThanOrEqual(0);

    const name = `seed-${report.database}`;
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'results', `${name}.json`), 'utf8'));
    expect(saved.queries).toHaveLength(QUERIES.length);
    const doc = fs.readFileSync(path.join(dir, 'docs', 'benchmarks.md'), 'utf8');
    expect(doc).toContain(`<!-- bench:${name}:start -->`);
    expect(doc).toContain('<!-- bench:targets:start -->');
    for (const q of QUERIES) expect(doc).toContain(`| ${q.id} `);
    expect(doc).toContain(`benchmarks-${name}.svg`);
    expect(doc).toContain('ms/req one at a time');
    const svg = fs.readFileSync(path.join(dir, 'docs', `benchmarks-${name}.svg`), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
  });

  it('reports a run as failed when responses do not hold the expected count', async () => {
    const report = await runBench({ ...options(), only: ['Q3'], wrongCountFor: 'Q3' });

    expect(report.passed).toBe(false);
    const q3 = report.queries[0];
    expect(q3.passed).toBe(false);
    expect(q3.gateway.failed).toBe(q3.gateway.requests);
    expect(q3.problems.join(' ')).toMatch(/expected \d+ items, got \d+/);
    const doc = fs.readFileSync(path.join(dir, 'docs', 'benchmarks.md'), 'utf8');
    expect(doc).toContain('FAILED');
  });
});
