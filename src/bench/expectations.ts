import type { BenchQuery } from './queries';
import type { RawDb } from './raw-db';
import type { Expectation } from './load';

/**
 * The expectations of one query, one per variant: B1's answer, its JSON and its count. Each
 * variant is also sent once to the gateway, whose answer must be B1's byte for byte; its
 * response body is kept for B0 to send back. Disagreements are returned as problems.
 */
export async function expectationsOf(
  q: BenchQuery,
  variants: Array<Record<string, unknown>>,
  raw: RawDb,
  gatewayUrl: string,
  options: { today: string; wrongCount: boolean },
): Promise<{ expectations: Expectation[]; problems: string[]; responses: Record<string, string> }> {
  const expectations: Expectation[] = [];
  const problems: string[] = [];
  const responses: Record<string, string> = {};
  for (const variables of variants) {
    const body = JSON.stringify({ query: q.text, variables });
    const data = await q.answer(raw, variables, options.today);
    const json = JSON.stringify(data);
    const dataCount = q.count(data);
    expectations.push({
      body,
      json,
      dataCount,
      count: dataCount + (options.wrongCount ? 1 : 0),
      countOf: (d) => q.count(d),
    });
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    });
    const text = await res.text();
    responses[body] = text;
    const answer = JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string }> };
    const agree = res.status === 200 && !answer.errors && JSON.stringify(answer.data) === json;
    if (!agree && problems.length < 3) {
      const why = answer.errors?.[0]?.message ?? firstDifference(answer.data, data);
      problems.push(`gateway and B1 disagree for ${JSON.stringify(variables)}: ${why}`);
    }
  }
  return { expectations, problems, responses };
}

/**
 * The fewest and most SQL statements the variants take, one request each, as a gateway with
 * `EXPOSE_SQL_COUNT` says in `x-sql-statements`; null when it says nothing.
 */
export async function statementsOf(
  expectations: Expectation[],
  countingUrl: string,
): Promise<{ min: number; max: number } | null> {
  let out: { min: number; max: number } | null = null;
  for (const e of expectations) {
    const res = await fetch(countingUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: e.body,
    });
    await res.text();
    const header = res.headers.get('x-sql-statements');
    if (header === null) return null;
    const n = Number(header);
    out = out ? { min: Math.min(out.min, n), max: Math.max(out.max, n) } : { min: n, max: n };
  }
  return out;
}

/** Where two JSON values first differ, as a path and the two values, for a readable failure. */
function firstDifference(a: unknown, b: unknown, at = 'data'): string {
  if (JSON.stringify(a) === JSON.stringify(b)) return `${at} differs in key order`;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (JSON.stringify(x) !== JSON.stringify(y)) return firstDifference(x, y, `${at}.${k}`);
    }
  }
  return `${at}: gateway ${JSON.stringify(a)?.slice(0, 120)}, B1 ${JSON.stringify(b)?.slice(0, 120)}`;
}
