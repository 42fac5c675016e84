import { BenchReport, oneAtATime, QueryReport } from './report';

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
  const ratio = (id: string, min: number) => {
    const q = find(national, id);
    return {
      ok: q ? q.passed && q.ratioB0 >= min : null,
      text: `${id} ${q ? (q.passed ? q.ratioB0.toFixed(2) : 'failed') : '?'} × B0`,
    };
  };
  verdict(
    'National, SQLite: Q1–Q3 uncached ≥ 0.35 × B0 req/s',
    ['Q1', 'Q2', 'Q3'].map((id) => ratio(id, 0.35)),
  );
  verdict('National, SQLite: Q6 cached ≥ 0.7 × B0 req/s', [ratio('Q6', 0.7)]);
  const at10 = national?.settings.connections === 10;
  verdict(
    'National, SQLite: p99 under 25 ms at 10 connections (Q1–Q6)',
    ['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6'].map((id) => {
      const q = find(national, id);
      return {
        ok: q && at10 ? q.passed && q.gateway.latency.p99 < 25 : null,
        text: `${id} ${q ? `${q.gateway.latency.p99} ms` : '?'}${q && !at10 ? ' (not at 10 connections)' : ''}`,
      };
    }),
  );
  const q4 = find(national, 'Q4');
  verdict('National, SQLite: Q4 search p50 under 10 ms', [
    {
      ok: q4 ? q4.passed && q4.gateway.latency.p50 < 10 : null,
      text: `p50 ${q4 ? `${q4.gateway.latency.p50} ms at ${q4 && national?.settings.connections} connections` : '?'}${q4?.unloaded ? `; one at a time, ${oneAtATime(q4.unloaded).toFixed(1)} ms per request` : ''}`,
    },
  ]);
  const peak = national ? Math.max(...national.queries.map((q) => q.peakRssMiB)) : null;
  verdict('Serving the national dataset stays under 300 MB RSS', [
    {
      ok: peak === null ? null : peak * 1.048576 < 300,
      text: `peak ${peak === null ? '?' : `${Math.round(peak * 1.048576)} MB`} (SQLite)${national?.settings.inline ? ', inline run' : ''}`,
    },
  ]);
  const pg = reports['national-postgres'];
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
