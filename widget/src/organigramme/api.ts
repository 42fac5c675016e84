/** What went wrong with a request, for the widget to say in its own words. */
export type Failure =
  | { kind: 'network' }
  | { kind: 'rate-limited'; retryAfter: number }
  | { kind: 'unknown-root'; root: string }
  | { kind: 'graphql'; message: string }
  | { kind: 'http'; status: number };

/** A request that failed, carrying its {@link Failure}. */
export class ChartFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Seconds to wait from a `Retry-After` header: a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? 0 : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * A small GraphQL client over `fetch`: POST with `content-type: application/json`, which
 * Apollo's CSRF rule accepts from other origins once CORS allows them.
 */
export class GraphQLClient {
  constructor(readonly url: string) {}

  async request<T>(query: string, variables: Record<string, unknown>, root?: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch {
      throw new ChartFailure({ kind: 'network' });
    }
    if (res.status === 429) {
      throw new ChartFailure({
        kind: 'rate-limited',
        retryAfter: retryAfterSeconds(res.headers.get('retry-after')),
      });
    }
    let answer: GraphQLAnswer<T>;
    try {
      answer = (await res.json()) as GraphQLAnswer<T>;
    } catch {
      throw new ChartFailure(res.ok ? { kind: 'network' } : { kind: 'http', status: res.status });
    }
    const error = answer.errors?.[0];
    if (error) {
      const ext = error.extensions ?? {};
      if (ext.code === 'BAD_USER_INPUT' && ext.argumentName === 'root' && root !== undefined) {
        throw new ChartFailure({ kind: 'unknown-root', root });
      }
      throw new ChartFailure({ kind: 'graphql', message: error.message });
    }
    if (!answer.data) throw new ChartFailure({ kind: 'http', status: res.status });
    return answer.data;
  }
}
