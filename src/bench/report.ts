import os from 'node:os';
import type { LoadResult } from './load';
import type { LoopDelay } from './processes';
import { hitRate, type MixedReport } from './mixed';

/** The figures of one query in one run. */
export interface QueryReport {
  id: string;
  label: string;
  variants: number;
  passed: boolean;
  problems: string[];
  gateway: LoadResult;
  b0: LoadResult;
  b1: LoadResult;
  /** Gateway requests/s over B0's and over B1's. */
  ratioB0: number;
  ratioB1: number;
  /** Peak RSS of the gateway while it served this query, in MiB. */
  peakRssMiB: number;
  /** The gateway's event-loop delay while it served the query (absent in older results). */
  loopDelay?: LoopDelay;
  /**
   * The gateway with one connection: a request's own latency, without the queueing that
   * concurrent requests add on a busy core. Absent when the run itself used one connection.
   */
  unloaded?: LoadResult;
}

/** Everything one run of the harness measured; saved as bench/results/<dataset>-<database>.json. */
export interface BenchReport {
  dataset: string;
  database: string;
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; node: string; platform: string };
  settings: {
    duration: number | null;
    requests: number | null;
    connections: number;
    inline: boolean;
    /** The gateways' LOG_LEVEL (absent in results from before it was recorded: `warn`). */
    logLevel?: string;
  };
  passed: boolean;
  queries: QueryReport[];
  /** Q7, the mixed workload, when it ran. */
  mixed?: MixedReport;
}

/** The machine the numbers come from. */
/** The machine in one line, as the profile and push reports state it. */
export function machineLine(): string {
  return `${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, Node ${process.version}`;
}

/** The load average (1, 5, 15 minutes), as the reports state it. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export function machine(): BenchReport['machine'] {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const num = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (n: number) => (n < 10 ? num(n, 1) : num(n));
const sql = (r: LoadResult) =>
  !r.sqlStatements
    ? 'n/a'
    : r.sqlStatements.min === r.sqlStatements.max
      ? String(r.sqlStatements.min)
      : `${r.sqlStatements.min}–${r.sqlStatements.max}`;

/**
 * Milliseconds per request with one connection: the requests then follow one another, so this
 * is their mean latency, to a finer grain than autocannon's whole-millisecond percentiles.
 */
export const oneAtATime = (r: LoadResult) => (r.requestsPerSecond ? 1000 / r.requestsPerSecond : 0);

/** The Markdown section of one run: where, how, and the table. */
export function markdownSection(r: BenchReport, svgFile: string): string {
  const m = r.machine;
  const how = r.settings.requests
    ? `${r.settings.requests} requests per target`
    : `${r.settings.duration} s per target`;
  const lines = [
    `### Dataset \`${r.dataset}\`, ${r.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
    '',
    `Run of ${r.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}); ` +
      `${r.settings.connections} connections, ${how}; gateway (at \`LOG_LEVEL=${r.settings.logLevel ?? 'warn'}\`), B0 and B1 each in a process of their own` +
      `${r.settings.inline ? ' (here: inline, in the harness process)' : ''}. ` +
      `Result: **${r.passed ? 'every response checked and correct' : 'FAILED: some responses were wrong, see below'}**.`,
    '',
    '| Query | req/s | p50 ms | p90 ms | p99 ms | ms/req one at a time | × B0 | × B1 | B0 req/s | B1 req/s | SQL/req | peak RSS MiB | loop delay p99 / max ms | checks |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const q of r.queries) {
    const g = q.gateway;
    lines.push(
      `| ${q.id} ${q.label} | ${q.passed ? num(g.requestsPerSecond) : 'failed'} | ${ms(g.latency.p50)} | ${ms(g.latency.p90)} | ${ms(g.latency.p99)} | ${q.unloaded ? num(oneAtATime(q.unloaded), 2) : '–'} | ${num(q.ratioB0, 2)} | ${num(q.ratioB1, 2)} | ${num(q.b0.requestsPerSecond)} | ${num(q.b1.requestsPerSecond)} | ${sql(g)} | ${num(q.peakRssMiB)} | ${q.loopDelay ? `${ms(q.loopDelay.p99)} / ${ms(q.loopDelay.max)}` : '–'} | ${q.passed ? `${num(g.requests + q.b0.requests + q.b1.requests)} ok` : q.problems.join('; ').replace(/\|/g, '\\|')} |`,
    );
  }
  const mixed = r.mixed;
  if (mixed) {
    const rate = (x: LoadResult) => {
      const h = hitRate(x);
      return h === null ? 'n/a' : `${num(h * 100, 1)} %`;
    };
    lines.push(
      '',
      `Q7, the mixed workload (${mixed.variants} reads rotating: every prefecture's chart to depth 3 and 50 unit cards, caches on): ` +
        `${mixed.passed ? 'every response checked and correct' : `**FAILED**: ${mixed.problems.join('; ').replace(/\|/g, '\\|')}`}.`,
      '',
      '| Q7 | req/s | p50 ms | p99 ms | hit rate (`Cache-Status`) | writes |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      `| without writes | ${num(mixed.withoutWrites.requestsPerSecond)} | ${ms(mixed.withoutWrites.latency.p50)} | ${ms(mixed.withoutWrites.latency.p99)} | ${rate(mixed.withoutWrites)} | 0 |`,
      `| one write per second | ${num(mixed.withWrites.requestsPerSecond)} (${num(mixed.ratio, 2)} ×) | ${ms(mixed.withWrites.latency.p50)} | ${ms(mixed.withWrites.latency.p99)} | ${rate(mixed.withWrites)} | ${mixed.writes} |`,
    );
  }
  lines.push(
    '',
    `![Gateway throughput as a share of B0 and B1, ${r.dataset}, ${r.database}](${svgFile})`,
  );
  return lines.join('\n');
}

/** A bar chart of each query's ratios to B0 and B1, as a standalone SVG document. */
export function svgChart(r: BenchReport): string {
  const width = 760;
  const left = 230;
  const barArea = width - left - 60;
  const row = 44;
  const top = 56;
  const height = top + r.queries.length * row + 40;
  const max = Math.max(1, ...r.queries.map((q) => Math.max(q.ratioB0, q.ratioB1)));
  const x = (v: number) => left + (Math.min(v, max) / max) * barArea;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="22" font-size="15" font-weight="bold">${esc(`Gateway req/s as a share of the baselines (${r.dataset}, ${r.database}, ${r.settings.connections} connections)`)}</text>`,
    `<rect x="12" y="32" width="12" height="10" fill="#2b6cb0"/><text x="28" y="41">÷ B0 (raw node:http, precomputed bytes)</text>`,
    `<rect x="300" y="32" width="12" height="10" fill="#dd6b20"/><text x="316" y="41">÷ B1 (raw prepared statements + JSON.stringify)</text>`,
  ];
  for (const [v, dash] of [
    [0.35, '4 3'],
    [1, ''],
  ] as const) {
    parts.push(
      `<line x1="${x(v)}" y1="${top - 6}" x2="${x(v)}" y2="${height - 30}" stroke="#888" ${dash ? `stroke-dasharray="${dash}"` : ''}/>`,
      `<text x="${x(v)}" y="${height - 16}" text-anchor="middle" fill="#555">${v}</text>`,
    );
  }
  r.queries.forEach((q, i) => {
    const y = top + i * row;
    parts.push(
      `<text x="${left - 8}" y="${y + 20}" text-anchor="end">${esc(`${q.id} ${q.label}`)}</text>`,
    );
    if (!q.passed) {
      parts.push(
        `<text x="${left + 4}" y="${y + 20}" fill="#c53030" font-weight="bold">failed checks: no figure</text>`,
      );
      return;
    }
    for (const [j, value, color] of [
      [0, q.ratioB0, '#2b6cb0'],
      [1, q.ratioB1, '#dd6b20'],
    ] as const) {
      const by = y + 4 + j * 17;
      parts.push(
        `<rect x="${left}" y="${by}" width="${Math.max(1, x(value) - left).toFixed(1)}" height="14" fill="${color}"/>`,
        `<text x="${(x(value) + 4).toFixed(1)}" y="${by + 11}">${value.toFixed(2)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
