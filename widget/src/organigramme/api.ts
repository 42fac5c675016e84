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

/** Longer URLs than this go as a POST: some proxies and servers refuse long request lines. */
export const MAX_GET_URL = 2000;

const ACCEPT = 'application/graphql-response+json, application/json';

/**
 * The request for an operation: a plain GET, the query and variables in the URL, with no custom
 * header, so a browser sends it across origins without a preflight and it passes Apollo's CSRF
 * rule (a GET with no cookie nor `Authorization`, see the gateway's `credentialFreeGets`); its
 * answer can then be kept by the browser's and the intranet's HTTP caches. A URL longer than
 * {@link MAX_GET_URL} goes as a JSON POST, which CORS preflights. `credentials: 'omit'`: no
 * cookie of the gateway's site ever rides along, which would make Apollo refuse the GET.
 */
export function operationRequest(
  endpoint: string,
  query: string,
  variables: Record<string, unknown>,
): { url: string; init: RequestInit } {
  const url = new URL(endpoint);
  url.searchParams.set('query', query);
  if (Object.keys(variables).length) url.searchParams.set('variables', JSON.stringify(variables));
  if (url.href.length <= MAX_GET_URL) {
    return { url: url.href, init: { headers: { accept: ACCEPT }, credentials: 'omit' } };
  }
  return {
    url: endpoint,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT },
      body: JSON.stringify({ query, variables }),
      credentials: 'omit',
    },
  };
}

/** A small GraphQL client over `fetch`, reading with GETs ({@link operationRequest}). */
export class GraphQLClient {
  constructor(readonly url: string) {}

  async request<T>(query: string, variables: Record<string, unknown>, root?: string): Promise<T> {
    const { url, init } = operationRequest(this.url, query, variables);
    let res: Response;
    try {
      res = await fetch(url, init);
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
