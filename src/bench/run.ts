import path from 'node:path';
import { QUERIES } from './queries';
import { chooseVariants } from './variants';
import { prepareDataset } from './dataset';
import fs from 'node:fs';
import { openRaw, startTarget, Target } from './processes';
import { editorKey, MixedReport, startWriter, unitSlugs, writableCopy } from './mixed';
import { drive, Expectation, LoadResult } from './load';
import { unitSlugsOfKind } from './variants';
import { expectationsOf, statementsOf } from './expectations';
import { BenchReport, machine, oneAtATime, QueryReport } from './report';
import { writeOutputs } from './outputs';

/** How to run the benchmark. */
export interface BenchOptions {
  dataset: 'seed' | 'national';
  database: 'sqlite' | 'postgres';
  /** Seconds of measured load per query and target. */
  duration: number;
  connections: number;
  /** A fixed number of requests per query and target instead of a duration (smoke tests). */
  requests?: number;
  /** Seconds of unmeasured load before each measured one; default 1 from 5 s of duration. */
  warmup?: number;
  /** Only these queries (ids); default all. */
  only?: string[];
  /** Run gateway and baselines in this process instead of child processes (tests). */
  inline?: boolean;
  /** For tests of the checks: expect one item more than the right answer for this query. */
  wrongCountFor?: string;
  /** Repository root: seeds, bench/ and docs/ are found there. */
  root: string;
  resultsDir?: string;
  docsDir?: string;
  cacheDir?: string;
  postgresUrl?: string;
  log?: (line: string) => void;
}

/**
 * Runs the harness: prepares the dataset, starts the gateway and the B0/B1 baselines, checks
 * that the gateway's answers are B1's byte for byte, then drives each with autocannon, query by
 * query, checking every response. Writes the JSON result, the Markdown table and the SVG chart.
 */
export async function runBench(o: BenchOptions): Promise<BenchReport> {
  const log = o.log ?? (() => undefined);
  const dataset = await prepareDataset({
    dataset: o.dataset,
    database: o.database,
    cacheDir: o.cacheDir ?? path.join(o.root, 'bench', 'tmp'),
    postgresUrl: o.postgresUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    seedsDir: path.join(o.root, 'seeds'),
    log,
  });
  const targets: Target[] = [];
  const cacheDir = o.cacheDir ?? path.join(o.root, 'bench', 'tmp');
  const mixedWanted = !o.only || o.only.includes('Q7');
  // Note: made before anything connects, as PostgreSQL copies a database only then.
  const copy = mixedWanted
    ? await writableCopy(
        dataset.raw,
        o.postgresUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      )
    : null;
  const raw = openRaw(dataset.raw);
  const cleanUp: Array<() => Promise<void>> = [];
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Note: the measured gateways run as production does, without the per-request SQL tally:
    // its AsyncLocalStorage puts a hook on every promise (Q2 15.2 against 12.1 ms of CPU per
    // request). The statements are counted on a gateway of their own (`counting` below).
    const gatewayEnv = (
      cacheMaxAge: string,
      databaseUrl = dataset.databaseUrl,
      exposeSqlCount = false,
    ) => ({
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      EXPOSE_SQL_COUNT: String(exposeSqlCount),
      // Note: the default level, with its request log, as production runs; a test running the
      // gateways inline keeps its output quiet.
      LOG_LEVEL: o.inline ? 'warn' : 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      SEED_ON_START: 'false',
      RATE_LIMIT_POINTS: '1000000000',
      CACHE_MAX_AGE: cacheMaxAge,
    });
    // Note: Q0–Q5 measure the uncached path, so their gateway runs with the server's caches off;
    // Q6, the cached path, runs against a second gateway with the default cache.
    const logFile = (name: string) => {
      const file = path.join(cacheDir, `gateway-${name}.log`);
      fs.rmSync(file, { force: true });
      return file;
    };
    const gateway = await startTarget(
      { kind: 'gateway', env: gatewayEnv('0'), logFile: logFile('uncached') },
      !!o.inline,
    );
    targets.push(gateway);
    const cached = await startTarget(
      { kind: 'gateway', env: gatewayEnv('60'), logFile: logFile('cached') },
      !!o.inline,
    );
    targets.push(cached);
    const gatewayFor = (id: string) => (id === 'Q6' ? cached : gateway);
    const queries = QUERIES.filter((q) => !o.only || o.only.includes(q.id));
    const variants = await chooseVariants(raw);
    const today = new Date().toISOString().slice(0, 10);
    const expectations = new Map<string, Expectation[]>();
    const problems = new Map<string, string[]>();
    const b0: Record<string, Record<string, string>> = {};
    for (const q of queries) {
      const checked = await expectationsOf(q, variants[q.id], raw, gateway.url, {
        today,
        wrongCount: o.wrongCountFor === q.id,
      });
      expectations.set(q.id, checked.expectations);
      problems.set(q.id, checked.problems);
      b0[q.id] = checked.responses;
      log(
        `${q.id}: ${checked.expectations.length} variant(s), answers ${checked.problems.length ? 'DIFFER' : 'agree'}`,
      );
    }
    // Note: stopped before any load, so that it takes no memory or CPU from the measured ones.
    const counting = await startTarget(
      {
        kind: 'gateway',
        env: gatewayEnv('0', dataset.databaseUrl, true),
        logFile: logFile('counting'),
      },
      !!o.inline,
    );
    const counted = new Map<string, LoadResult['sqlStatements']>();
    try {
      for (const q of queries)
        if (gatewayFor(q.id) === gateway)
          counted.set(q.id, await statementsOf(expectations.get(q.id)!, counting.url));
    } finally {
      await counting.stop();
    }
    const baseline = await startTarget(
      { kind: 'baseline', raw: dataset.raw, setup: { b0 } },
      !!o.inline,
    );
    targets.push(baseline);
    const warmup = o.warmup ?? (o.requests || o.duration < 5 ? 0 : 1);
    const run = async (url: string, list: Expectation[], connections = o.connections) => {
      if (warmup > 0) await drive(url, list, { connections, duration: warmup });
      return drive(url, list, { connections, duration: o.duration, amount: o.requests });
    };
    const results: QueryReport[] = [];
    for (const q of queries) {
      const list = expectations.get(q.id)!;
      const b0Result = await run(`${baseline.url}/b0/${q.id}`, list);
      const b1Result = await run(`${baseline.url}/b1/${q.id}`, list);
      await gatewayFor(q.id).peakRss(true);
      const target = gatewayFor(q.id);
      await target.loopDelay(true);
      const g = await run(target.url, list);
      const peakRssMiB = (await target.peakRss()) / 2 ** 20;
      const loopDelay = await target.loopDelay();
      // Note: one connection shows a request's own latency; at ten, most of it is waiting.
      const unloaded = o.connections > 1 ? await run(target.url, list, 1) : undefined;
      const found = [...problems.get(q.id)!];
      for (const [name, r] of [
        ['gateway', g],
        ['gateway, one connection', unloaded],
        ['B0', b0Result],
        ['B1', b1Result],
      ] as const)
        if (r?.failed) found.push(`${name}: ${r.failed} failed check(s): ${r.reasons.join('; ')}`);
      results.push({
        id: q.id,
        label: q.label,
        variants: list.length,
        passed: found.length === 0,
        problems: found,
        gateway: { ...g, sqlStatements: counted.get(q.id) ?? null },
        b0: b0Result,
        b1: b1Result,
        ratioB0: b0Result.requestsPerSecond ? g.requestsPerSecond / b0Result.requestsPerSecond : 0,
        ratioB1: b1Result.requestsPerSecond ? g.requestsPerSecond / b1Result.requestsPerSecond : 0,
        peakRssMiB,
        loopDelay,
        ...(unloaded ? { unloaded } : {}),
      });
      log(
        `${q.id} ${q.label}: ${Math.round(g.requestsPerSecond)} req/s (B0 ${Math.round(b0Result.requestsPerSecond)}, B1 ${Math.round(b1Result.requestsPerSecond)}), p99 ${g.latency.p99} ms${unloaded ? ` (one at a time: ${oneAtATime(unloaded).toFixed(2)} ms)` : ''}${found.length ? `, FAILED: ${found.join('; ')}` : ''}`,
      );
    }
    let mixed: MixedReport | undefined;
    if (copy) {
      const rawCopy = openRaw(copy.raw);
      cleanUp.push(() => rawCopy.close());
      const key = await editorKey(copy.databaseUrl);
      const target = await startTarget(
        {
          kind: 'gateway',
          env: gatewayEnv('60', copy.databaseUrl),
          logFile: logFile('mixed'),
        },
        !!o.inline,
      );
      targets.push(target);
      const charts = (await unitSlugsOfKind(rawCopy, 'PREFECTURE')).map((root) => ({
        root,
        maxDepth: 3,
      }));
      const problems: string[] = [];
      const list: Expectation[] = [];
      for (const [q, vars] of [
        [QUERIES[2], charts],
        [QUERIES[1], variants.Q1],
      ] as const) {
        const checked = await expectationsOf(q, vars, rawCopy, target.url, {
          today,
          wrongCount: false,
        });
        list.push(...checked.expectations);
        problems.push(...checked.problems);
      }
      const withoutWrites = await run(target.url, list);
      const writer = startWriter(target.url, key, await unitSlugs(rawCopy));
      const withWrites = await drive(target.url, list, {
        connections: o.connections,
        duration: o.duration,
        amount: o.requests,
      });
      const written = await writer.stop();
      problems.push(...written.problems);
      for (const [name, r] of [
        ['without writes', withoutWrites],
        ['with writes', withWrites],
      ] as const)
        if (r.failed)
          problems.push(`${name}: ${r.failed} failed check(s): ${r.reasons.join('; ')}`);
      if (written.writes === 0) problems.push('no write was committed');
      mixed = {
        variants: list.length,
        passed: problems.length === 0,
        problems,
        withoutWrites,
        withWrites,
        writes: written.writes,
        ratio: withoutWrites.requestsPerSecond
          ? withWrites.requestsPerSecond / withoutWrites.requestsPerSecond
          : 0,
      };
      log(
        `Q7 mixed: ${Math.round(withoutWrites.requestsPerSecond)} req/s without writes, ${Math.round(withWrites.requestsPerSecond)} with ${written.writes} writes (${mixed.ratio.toFixed(2)} ×)${problems.length ? `, FAILED: ${problems.join('; ')}` : ''}`,
      );
    }
    const report: BenchReport = {
      dataset: o.dataset,
      database: o.database,
      date: new Date().toISOString(),
      machine: machine(),
      settings: {
        duration: o.requests ? null : o.duration,
        requests: o.requests ?? null,
        connections: o.connections,
        inline: !!o.inline,
        logLevel: o.inline ? 'warn' : 'info',
      },
      passed: results.every((r) => r.passed) && (mixed?.passed ?? true),
      queries: results,
      ...(mixed ? { mixed } : {}),
    };
    await writeOutputs(report, {
      resultsDir: o.resultsDir ?? path.join(o.root, 'bench', 'results'),
      docsDir: o.docsDir ?? path.join(o.root, 'docs'),
    });
    return report;
  } finally {
    for (const t of targets.reverse()) await t.stop();
    for (const c of cleanUp) await c();
    await raw.close();
    await copy?.dispose();
    await dataset.dispose();
  }
}
