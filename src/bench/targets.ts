import { BenchReport, oneAtATime, QueryReport } from './report';
import { hitRate } from './mixed';

/** One target of the issue with its verdict and the figures behind it. */
export interface TargetVerdict {
  target: string;
  met: boolean | null;
  evidence: string;
}

type Reports = Partial<
  Record<'seed-sqlite' | 'national-sqlite' | 'national-postgres', BenchReport>
>;

const find = (r: BenchReport | undefined, id: string): QueryReport | undefined =>
  r?.queries.find((q) => q.id === id);

/** Evaluates the targets of the issue against the latest results of each dataset and database. */
export function evaluateTargets(reports: Reports): TargetVerdict[] {
  const seed = reports['seed-sqlite'];
  const national = reports['national-sqlite'];
  const out: TargetVerdict[] = [];
  const verdict = (target: string, checks: Array<{ ok: boolean | null; text: string }>) => {
    const unknown = checks.some((c) => c.ok === null);
    out.push({
      target,
      met: unknown ? null : checks.every((c) => c.ok),
      evidence: checks.map((c) => c.text).join('; '),
    });
  };
  const statements = (q?: QueryReport) => q?.gateway.sqlStatements?.max ?? null;
  verdict(
    'SQL statements per request stay constant from seed to national, for Q1–Q3',
    ['Q1', 'Q2', 'Q3'].map((id) => {
      const a = statements(find(seed, id));
      const b = statements(find(national, id));
      return {
        ok: a === null || b === null ? null : b <= a,
        text: `${id}: ${a ?? '?'} (seed) → ${b ?? '?'} (national)`,
      };
    }),
  );
  const pg = reports['national-postgres'];
  const ratio = (r: BenchReport | undefined, id: string, base: 'B0' | 'B1', min: number) => {
    const q = find(r, id);
    const value = q ? (base === 'B0' ? q.ratioB0 : q.ratioB1) : 0;
    return {
      ok: q ? q.passed && value >= min : null,
      text: `${id} ${q ? (q.passed ? value.toFixed(2) : 'failed') : '?'} × ${base}`,
    };
  };
  const atInfo = (r?: BenchReport) => (r ? (r.settings.logLevel ?? 'warn') === 'info' : false);
  verdict('National, SQLite: Q0 ≥ 0.35 × B0 req/s', [ratio(national, 'Q0', 'B0', 0.35)]);
  for (const [name, r] of [
    ['SQLite', national],
    ['PostgreSQL', pg],
  ] as const)
    verdict(
      `National, ${name}: Q1–Q3 uncached ≥ 0.5 × B1 req/s`,
      ['Q1', 'Q2', 'Q3'].map((id) => ratio(r, id, 'B1', 0.5)),
    );
  const q6 = ratio(national, 'Q6', 'B0', 0.7);
  verdict('National, SQLite: Q6 cached ≥ 0.7 × B0 req/s, request log at info', [
    {
      ok: q6.ok === null ? null : q6.ok && atInfo(national),
      text: `${q6.text}${national && !atInfo(national) ? ' (measured at LOG_LEVEL=warn)' : ''}`,
    },
  ]);
  const at10 = national?.settings.connections === 10;
  const p99 = (id: string, limit: number) => {
    const q = find(national, id);
    return {
      ok: q && at10 ? q.passed && q.gateway.latency.p99 < limit : null,
      text: `${id} ${q ? `${q.gateway.latency.p99} ms` : '?'}${q && !at10 ? ' (not at 10 connections)' : ''}${q?.loopDelay ? ` (loop delay p99 ${q.loopDelay.p99} ms)` : ''}`,
    };
  };
  verdict(
    'National, SQLite: p99 under 25 ms at 10 connections (Q0–Q4, Q6)',
    ['Q0', 'Q1', 'Q2', 'Q3', 'Q4', 'Q6'].map((id) => p99(id, 25)),
  );
  verdict('National, SQLite: Q5 (feed page of 500) p99 under 250 ms at 10 connections', [
    p99('Q5', 250),
  ]);
  const q4 = find(national, 'Q4');
  verdict('National, SQLite: Q4 search p50 under 10 ms', [
    {
      ok: q4 ? q4.passed && q4.gateway.latency.p50 < 10 : null,
      text: `p50 ${q4 ? `${q4.gateway.latency.p50} ms at ${q4 && national?.settings.connections} connections` : '?'}${q4?.unloaded ? `; one at a time, ${oneAtATime(q4.unloaded).toFixed(1)} ms per request` : ''}`,
    },
  ]);
  const peak = national ? Math.max(...national.queries.map((q) => q.peakRssMiB)) : null;
  verdict('Serving the national dataset stays under 250 MB RSS', [
    {
      ok: peak === null ? null : peak * 1.048576 < 250,
      text: `peak ${peak === null ? '?' : `${Math.round(peak * 1.048576)} MB`} (SQLite)${national?.settings.inline ? ', inline run' : ''}`,
    },
  ]);
  const mixed = national?.mixed;
  const rate = mixed ? hitRate(mixed.withWrites) : null;
  verdict(
    'National, SQLite: Q7 with one write per second: hit rate ≥ 90 %, throughput ≥ 0.8 × without writes',
    [
      {
        ok: mixed ? mixed.passed && rate !== null && rate >= 0.9 : null,
        text: `hit rate ${rate === null ? '?' : `${(rate * 100).toFixed(1)} %`}`,
      },
      {
        ok: mixed ? mixed.passed && mixed.ratio >= 0.8 : null,
        text: `throughput ${mixed ? `${mixed.ratio.toFixed(2)} ×` : '?'}`,
      },
    ],
  );
  verdict('PostgreSQL figures are reported beside SQLite’s', [
    { ok: !!pg, text: pg ? `national, PostgreSQL: run of ${pg.date}` : 'no PostgreSQL run yet' },
  ]);
  return out;
}

/** The targets as a Markdown list. */
export function targetsMarkdown(verdicts: TargetVerdict[]): string {
  const mark = (m: boolean | null) =>
    m === null ? '**not measured yet**' : m ? '**met**' : '**not met**';
  return verdicts.map((v) => `- ${v.target}: ${mark(v.met)} (${v.evidence}).`).join('\n');
}
