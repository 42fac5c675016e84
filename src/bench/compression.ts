import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { prepareDataset } from './dataset';
import { median } from './stats';
import { startTarget } from './processes';

/** The answer measured: the whole chart of a national prefecture, with heads and holders. */
const QUERY = `query CompressionChart($root: String!) {
  orgChart(root: $root, maxDepth: 10) {
    nodes { id parentId depth hasChildren unit { id slug name acronym kind head { title holderStatus holder { displayName } } } }
  }
}`;
const BODY = JSON.stringify({ query: QUERY, variables: { root: 'prefecture-du-gard-30' } });

/** What a client asks for: no compression, gzip, or br (the compression middleware's br: q4). */
export const ENCODINGS = ['identity', 'gzip', 'br'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export interface CompressionRow {
  cache: 'cached' | 'uncached';
  encoding: Encoding;
  /** Bytes of the answer's body as sent. */
  bytes: number;
  /** Medians over the runs. */
  requestsPerSecond: number;
  p50: number;
  p99: number;
  runs: number[];
}

export interface CompressionReport {
  date: string;
  machine: string;
  load: string;
  connections: number;
  duration: number;
  rows: CompressionRow[];
}

/** The body of one answer as the gateway sends it for an `accept-encoding`. */
function answerBytes(url: string, encoding: Encoding): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': encoding },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () =>
          res.statusCode === 200 && (res.headers['content-encoding'] ?? 'identity') === encoding
            ? resolve(bytes)
            : reject(new Error(`status ${res.statusCode}, ${res.headers['content-encoding']}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(BODY);
  });
}

/**
 * Measures what compressing GraphQL answers costs: the same large answer (the fully expanded
 * chart of a national prefecture) asked for with and without `accept-encoding`, from a gateway
 * that executes it every time (response cache off) and from one that serves it from its cache
 * (where compression is most of the remaining work). Runs alternate between encodings.
 */
export async function runCompressionBench(o: {
  root: string;
  duration: number;
  connections: number;
  runs: number;
  log?: (line: string) => void;
}): Promise<CompressionReport> {
  const log = o.log ?? (() => undefined);
  const dataset = await prepareDataset({
    dataset: 'national',
    database: 'sqlite',
    cacheDir: path.join(o.root, 'bench', 'tmp'),
    postgresUrl: '',
    seedsDir: path.join(o.root, 'seeds'),
    log,
  });
  const rows: CompressionRow[] = [];
  for (const cache of ['uncached', 'cached'] as const) {
    const gateway = await startTarget(
      {
        kind: 'gateway',
        env: {
          DATABASE_URL: dataset.databaseUrl,
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: '0',
          SEED_ON_START: 'false',
          RATE_LIMIT_POINTS: '1000000000',
          CACHE_MAX_AGE: cache === 'cached' ? '60' : '0',
        },
      },
      false,
    );
    try {
      const results = new Map<Encoding, autocannon.Result[]>(ENCODINGS.map((e) => [e, []]));
      await drive(gateway.url, 'identity', 2, o.connections);
      for (let run = 0; run < o.runs; run++)
        for (const encoding of ENCODINGS) {
          const result = await drive(gateway.url, encoding, o.duration, o.connections);
          results.get(encoding)!.push(result);
          log(`${cache} ${encoding} run ${run + 1}: ${result.requests.average} req/s`);
        }
      for (const encoding of ENCODINGS) {
        const list = results.get(encoding)!;
        rows.push({
          cache,
          encoding,
          bytes: await answerBytes(gateway.url, encoding),
          requestsPerSecond: median(list.map((r) => r.requests.average)),
          p50: median(list.map((r) => r.latency.p50)),
          p99: median(list.map((r) => r.latency.p99)),
          runs: list.map((r) => r.requests.average),
        });
      }
    } finally {
      await gateway.stop();
    }
  }
  return {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}`,
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', '),
    connections: o.connections,
    duration: o.duration,
    rows,
  };
}

async function drive(
  url: string,
  encoding: Encoding,
  duration: number,
  connections: number,
): Promise<autocannon.Result> {
  const result = await autocannon({
    url,
    method: 'POST',
    body: BODY,
    headers: { 'content-type': 'application/json', 'accept-encoding': encoding },
    connections,
    duration,
  });
  if (result.non2xx || result.errors)
    throw new Error(`${encoding}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

/** The Markdown section of docs/benchmarks.md written by `npm run bench:compression`. */
export function compressionSection(r: CompressionReport): string {
  const base = (cache: string) =>
    r.rows.find((x) => x.cache === cache && x.encoding === 'identity')!;
  const lines = r.rows.map((x) => {
    const b = base(x.cache);
    return `| ${x.cache} | ${x.encoding} | ${x.bytes.toLocaleString('en')} | ${Math.round(x.requestsPerSecond).toLocaleString('en')} | ${(x.requestsPerSecond / b.requestsPerSecond).toFixed(2)} | ${x.p50} | ${x.p99} | ${x.runs.map((v) => Math.round(v)).join(', ')} |`;
  });
  return `### Measured figures

Run of ${r.date.slice(0, 10)}, ${r.machine}, load average at the end (1, 5, 15 min): ${r.load}.
${r.connections} connections, ${r.duration} s per run, medians of ${r.rows[0].runs.length} runs
alternating between encodings.

| Gateway | Accept-Encoding | Bytes | req/s | × identity | p50 ms | p99 ms | Runs (req/s) |
| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |
${lines.join('\n')}`;
}
