import fs from 'node:fs';
import os from 'node:os';
import { loadAverage, machineLine } from './report';
import path from 'node:path';
import { prepareDataset } from './dataset';
import { startTarget } from './processes';
import { drive, Expectation } from './load';
import { QUERIES } from './queries';

/**
 * What each layer of the gateway costs, from a CPU profile of the gateway (V8's sampling
 * profiler, `--cpu-prof`) while it serves one query under load: each sample is given to the
 * innermost frame of its stack that belongs to a layer, so that the shares add up to the busy
 * time, and a layer's share is its own work and what it calls outside every other layer.
 */
export const LAYERS: ReadonlyArray<{ name: string; match: RegExp }> = [
  {
    name: 'request log',
    match:
      /\/(pino-http|pino|pino-std-serializers|sonic-boom)\/|dist\/(http\/request-log|logger|secrets)\.js/,
  },
  { name: 'helmet', match: /\/helmet\/|dist\/http\/security\.js/ },
  { name: 'cors', match: /\/node_modules\/cors\/|dist\/cors-origins\.js/ },
  { name: 'rate limit', match: /dist\/http\/rate-limit[^/]*\.js|\/rate-limiter-flexible\// },
  {
    name: 'limits (depth, aliases, cost)',
    match: /dist\/graphql\/(limits|identical-fields)\.js|\/graphql-query-complexity\//,
  },
  {
    name: 'answer cache lookup',
    match:
      /dist\/http\/(http-answer-cache|change-watch|normalized-document|apollo-response-cache|surrogate-key)\.js|\/lru-cache\//,
  },
  {
    name: 'SQL counter',
    match: /dist\/(db\/sql-counter|http\/sql-count\.plugin)\.js|node:async_hooks/,
  },
  { name: 'metrics', match: /\/prom-client\/|dist\/metrics\.js/ },
  { name: 'compression', match: /\/node_modules\/compression\/|node:zlib/ },
  {
    name: 'database (TypeORM, driver)',
    match: /\/(typeorm|better-sqlite3|pg|pg-pool)\/|dist\/db\//,
  },
  { name: 'type-graphql', match: /\/type-graphql\// },
  { name: 'graphql-js', match: /\/node_modules\/graphql\// },
  { name: 'Apollo Server', match: /\/@apollo\// },
  {
    name: 'Express, body parsing',
    match:
      /\/(express|router|body-parser|raw-body|finalhandler|on-finished|on-headers|send|iconv-lite|type-is|qs)\//,
  },
  { name: 'the directory (resolvers, loaders)', match: /dist\/(modules|graphql|app)\// },
  {
    name: 'Node HTTP and sockets',
    match: /node:(_http_|net|internal\/http|internal\/stream_base)/,
  },
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  /** Microseconds of the machine's monotonic clock, as `process.hrtime` reads it. */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface LayerShare {
  layer: string;
  /** Share of the gateway's busy (non-idle) time. */
  share: number;
  /** Microseconds of CPU per request. */
  microsPerRequest: number;
}

/** Now on the clock of CPU profiles (the monotonic clock, in microseconds). */
export const profileClock = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Attributes the samples of a CPU profile taken between `from` and `to` (`profileClock`) to the
 * layers; `requests` were served meanwhile.
 */
export function attribute(
  profile: Profile,
  requests: number,
  window: { from: number; to: number } = { from: -Infinity, to: Infinity },
): LayerShare[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerOf = new Map<number, string>();
  const find = (id: number): string => {
    const known = layerOf.get(id);
    if (known) return known;
    const frame = byId.get(id)!.callFrame;
    let layer: string;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') layer = 'idle';
    else if (frame.functionName === '(garbage collector)') layer = 'garbage collector';
    else {
      const hit = LAYERS.find((l) => l.match.test(frame.url));
      const up = parent.get(id);
      layer = hit ? hit.name : up === undefined ? 'other' : find(up);
    }
    layerOf.set(id, layer);
    return layer;
  };
  const time = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < window.from || at > window.to) return;
    const layer = find(id);
    time.set(layer, (time.get(layer) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  time.delete('idle');
  const busy = [...time.values()].reduce((a, b) => a + b, 0);
  return [...time]
    .map(([layer, micros]) => ({
      layer,
      share: busy ? micros / busy : 0,
      microsPerRequest: requests ? micros / requests : 0,
    }))
    .sort((a, b) => b.share - a.share);
}

export interface LayersReport {
  date: string;
  machine: string;
  load: string;
  duration: number;
  connections: number;
  runs: Array<{
    query: string;
    requests: number;
    requestsPerSecond: number;
    layers: LayerShare[];
  }>;
}

/**
 * Profiles a production gateway on the national directory, at the default log level with its
 * request log written to a file, while it serves Q0 (`{ __typename }`, the fixed cost) and Q6
 * (the cached chart), each from its own gateway process.
 */
export async function runLayersBench(o: {
  root: string;
  duration: number;
  connections: number;
  log?: (line: string) => void;
}): Promise<LayersReport> {
  const log = o.log ?? (() => undefined);
  const cacheDir = path.join(o.root, 'bench', 'tmp');
  const dataset = await prepareDataset({
    dataset: 'national',
    database: 'sqlite',
    cacheDir,
    postgresUrl: '',
    seedsDir: path.join(o.root, 'seeds'),
    log,
  });
  const runs: LayersReport['runs'] = [];
  for (const id of ['Q0', 'Q6']) {
    const q = QUERIES.find((x) => x.id === id)!;
    const variables = id === 'Q6' ? { root: 'prefecture-du-gard-30', maxDepth: 3 } : {};
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-layers-'));
    const gateway = await startTarget(
      {
        kind: 'gateway',
        env: {
          DATABASE_URL: dataset.databaseUrl,
          NODE_ENV: 'production',
          LOG_LEVEL: 'info',
          HOST: '127.0.0.1',
          PORT: '0',
          SEED_ON_START: 'false',
          RATE_LIMIT_POINTS: '1000000000',
          CACHE_MAX_AGE: id === 'Q6' ? '60' : '0',
        },
        logFile: path.join(cacheDir, `gateway-layers-${id}.log`),
        execArgv: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
      },
      false,
    );
    let requests: number;
    let requestsPerSecond: number;
    let window: { from: number; to: number };
    try {
      const body = JSON.stringify({ query: q.text, variables });
      const first = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const data = ((await first.json()) as { data: unknown }).data;
      const expectation: Expectation = {
        body,
        json: JSON.stringify(data),
        count: q.count(data),
        dataCount: q.count(data),
        countOf: (d) => q.count(d),
      };
      // Note: a second of unmeasured load first, so that the profile's window holds neither
      // start-up nor warm-up.
      await drive(gateway.url, [expectation], { connections: o.connections, duration: 1 });
      const from = profileClock();
      const result = await drive(gateway.url, [expectation], {
        connections: o.connections,
        duration: o.duration,
      });
      window = { from, to: profileClock() };
      if (result.failed) throw new Error(`${id}: ${result.reasons.join('; ')}`);
      requests = result.requests;
      requestsPerSecond = result.requestsPerSecond;
    } finally {
      await gateway.stop();
    }
    const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the gateway wrote no CPU profile');
    const profile = JSON.parse(fs.readFileSync(path.join(profileDir, file), 'utf8')) as Profile;
    fs.rmSync(profileDir, { recursive: true, force: true });
    runs.push({
      query: `${id} ${q.label}`,
      requests,
      requestsPerSecond,
      layers: attribute(profile, requests, window),
    });
    log(`${id}: ${Math.round(requestsPerSecond)} req/s profiled`);
  }
  await dataset.dispose();
  return {
    date: new Date().toISOString(),
    machine: machineLine(),
    load: loadAverage(),
    duration: o.duration,
    connections: o.connections,
    runs,
  };
}

/** The report's section of docs/benchmarks.md. */
export function layersSection(r: LayersReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const lines = [
    '## What each layer costs',
    '',
    `Run of ${r.date} on ${r.machine}, load average before the run ${r.load}; ${r.connections} connections, ${r.duration} s per query, \`npm run bench:layers\`. ` +
      'A production gateway on the national directory, at the default log level (its request log written to a file), profiled with `--cpu-prof`; each sample goes to the innermost frame of a layer on its stack, so a layer counts its own work and what it calls outside the other layers, and the shares add up to the busy time. Only the samples of the measured seconds count (after start-up and a second of warm-up).',
  ];
  for (const run of r.runs) {
    lines.push(
      '',
      `**${run.query}**: ${Math.round(run.requestsPerSecond).toLocaleString('en-US')} req/s while profiled (the profiler slows it down).`,
      '',
      '| Layer | share of busy time | µs per request |',
      '| --- | ---: | ---: |',
      ...run.layers.map(
        (l) => `| ${l.layer} | ${pct(l.share)} | ${l.microsPerRequest.toFixed(1)} |`,
      ),
    );
  }
  return lines.join('\n');
}
