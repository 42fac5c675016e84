import autocannon from 'autocannon';

/**
 * Note: autocannon appends each chunk of a response body to a string, which turns a UTF-8
 * character cut across two socket reads into two replacement characters, so that a correct
 * response with accents would now and then fail its check. Chunks are kept as bytes and decoded
 * once, when the check reads the body.
 */
function keepBodiesAsBytes(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Queue = require('autocannon/lib/pipelinedRequestsQueue') as {
    prototype: { addBody(data: Buffer): void; peek(): Record<string, unknown> | undefined };
  };
  if (typeof Queue?.prototype?.addBody !== 'function')
    throw new Error('autocannon changed: re-check keepBodiesAsBytes');
  Queue.prototype.addBody = function (data: Buffer) {
    const pending = this.peek();
    if (!pending) return;
    if (!pending.chunks) {
      pending.chunks = [];
      Object.defineProperty(pending, 'body', {
        configurable: true,
        get: () => Buffer.concat(pending.chunks as Buffer[]).toString('utf8'),
      });
    }
    (pending.chunks as Buffer[]).push(Buffer.from(data));
  };
}
keepBodiesAsBytes();

/** What one response must be: the exact `data` and the number of items it holds. */
export interface Expectation {
  /** Request body sent for this variant. */
  body: string;
  /** `JSON.stringify` of the expected `data`. */
  json: string;
  /** Items the answer must hold (checked on every response). */
  count: number;
  /** Items the expected `data` holds. */
  dataCount: number;
  /** Counts the items of a parsed `data`. */
  countOf(data: unknown): number;
}

/** The outcome of driving one target with one query. */
export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  /** Milliseconds, whole: autocannon records latencies to the millisecond. */
  latency: { p50: number; p90: number; p99: number };
  /** Responses that failed a check, and the first reasons. */
  failed: number;
  reasons: string[];
  /** SQL statements per request from `x-sql-statements`, when the target sends it. */
  sqlStatements: { min: number; max: number } | null;
  /** Answers that said `Cache-Status: …; hit` and `…; fwd=miss`, when the target sends it. */
  cache?: { hits: number; misses: number };
}

/**
 * Checks a response: status 200, no `errors`, `data` exactly as expected, and the expected
 * number of items. The common case is a prefix comparison; anything else is parsed to say why.
 */
export function checkResponse(status: number, body: string, e: Expectation): string | null {
  if (status !== 200) return `status ${status}: ${body.slice(0, 200)}`;
  const prefix = `{"data":${e.json}`;
  if (body.startsWith(prefix) && !body.includes('"errors"', prefix.length)) {
    return e.dataCount === e.count ? null : `expected ${e.count} items, got ${e.dataCount}`;
  }
  let parsed: { data?: unknown; errors?: Array<{ message: string }> };
  try {
    parsed = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 200)}`;
  }
  if (parsed.errors?.length) return `errors: ${parsed.errors[0].message}`;
  if (parsed.data == null) return 'no data';
  const count = e.countOf(parsed.data);
  if (count !== e.count) return `expected ${e.count} items, got ${count}`;
  const json = JSON.stringify(parsed.data);
  if (json === e.json) return null;
  let at = 0;
  while (json[at] === e.json[at]) at += 1;
  return `data differs from the expected answer at character ${at}: …${json.slice(Math.max(0, at - 40), at + 40)}…`;
}

/**
 * Drives `url` with POSTs of the expectations' bodies, rotated across all connections, for a
 * duration (seconds) or a number of requests, and checks every response.
 */
export async function drive(
  url: string,
  expectations: Expectation[],
  options: { connections: number; duration?: number; amount?: number },
): Promise<LoadResult> {
  let next = 0;
  let failed = 0;
  const reasons: string[] = [];
  let sql: { min: number; max: number } | null = null;
  const cache = { hits: 0, misses: 0 };
  const result = await autocannon({
    url,
    connections: options.connections,
    // Note: a run of a fixed number of requests otherwise lasts at least one 1 s sample.
    ...(options.amount
      ? { amount: options.amount, sampleInt: 50 }
      : { duration: options.duration ?? 10 }),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        setupRequest: (request: autocannon.Request, context: Record<string, unknown>) => {
          const i = next++ % expectations.length;
          context.variant = i;
          return { ...request, body: expectations[i].body };
        },
        onResponse: (
          status: number,
          body: string,
          context: Record<string, unknown>,
          headers?: Record<string, string | string[]>,
        ) => {
          const problem = checkResponse(status, body, expectations[context.variant as number]);
          if (problem) {
            failed += 1;
            if (reasons.length < 5 && !reasons.includes(problem)) reasons.push(problem);
          }
          const cacheStatus = headers?.['cache-status'] ?? headers?.['Cache-Status'];
          if (typeof cacheStatus === 'string') {
            if (cacheStatus.includes('; hit')) cache.hits += 1;
            else if (cacheStatus.includes('fwd=miss')) cache.misses += 1;
          }
          const header = headers?.['x-sql-statements'] ?? headers?.['X-SQL-Statements'];
          if (header !== undefined) {
            const n = Number(header);
            sql = sql
              ? { min: Math.min(sql.min, n), max: Math.max(sql.max, n) }
              : { min: n, max: n };
          }
        },
      } as autocannon.Request,
    ],
  });
  const transportErrors = result.errors + result.timeouts + result.non2xx;
  if (transportErrors > 0) {
    failed += transportErrors;
    reasons.push(`${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  }
  const requests = result.requests.total;
  return {
    requests,
    requestsPerSecond: result.duration > 0 ? requests / result.duration : 0,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99 },
    failed,
    reasons,
    sqlStatements: sql,
    ...(cache.hits + cache.misses > 0 ? { cache } : {}),
  };
}
