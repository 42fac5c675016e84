import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import onHeaders from 'on-headers';
import type { CacheSlot, Context } from '../graphql/context';
import { anonymous } from '../graphql/principal';
import type { SqlTally } from '../db/sql-counter';
import { rateLimitHeaders, type RateBudget } from './rate-limit';
import { plainVariables } from './apollo-response-cache';
import type { DocumentNormalizer } from './normalized-document';
import type { ChangeWatch } from './change-watch';
import { surrogateKey } from './surrogate-key';
import { cacheLookups } from '../metrics';

/** One kept answer: the serialized `data`, what it costs, and the headers it went out with. */
interface KeptAnswer {
  /** `data`, serialized to UTF-8. */
  data: Buffer;
  /** The estimate, the actual cost and what the request that produced the answer paid. */
  cost: { requested: number; actual: number; charged: number };
  storedAt: number;
  contentType: string;
  cacheControl: string;
  /** The ETag on the data that the Apollo path gave a GET (see `cachePlugins`); null for POSTs. */
  etag: string | null;
  /** The head of the change log when the request that produced it arrived. */
  head: number;
  /** What the answer read (see `AnswerTags`): a later entry touching one makes it stale. */
  tags: string[];
  /** The `Surrogate-Key` header it went out with. */
  surrogateKey: string;
  /** The operation's label in the request metrics, as the request that produced it had it. */
  operation: string | undefined;
}

/** This cache's name in `Cache-Status` (RFC 9211). */
const CACHE_NAME = 'annuaire-graphql';

const OPEN_DATA = Buffer.from('{"data":');

/**
 * The first level of the response cache: the serialized answers of public reads, in this
 * process, answered before Express hands the request to Apollo.
 *
 * Apollo's response cache plugin (the second level, in memory or in Redis) still parses the kept
 * answer, runs the request pipeline and serializes the answer again on every hit; for a 50 kB
 * org chart that is most of a hit's cost. This level keeps the bytes of `data` and writes them
 * out with the per-request parts (rate budget, SQL count) added. It follows the same rules as the
 * second level:
 * - only anonymous requests, which Apollo itself would accept (no credentials, CSRF preflight);
 * - only answers without errors whose cache policy is public with a max-age, kept for that long;
 * - keyed by the calendar day and the request, its document in normal form
 *   (`DocumentNormalizer`), so that midnight makes the next request miss and variants of a
 *   document in whitespace or comments share one answer; kept with the head of the change log
 *   at which it was produced and the tags of what it read, and served only while no entry
 *   committed since, by any process, touched one of those tags (`ChangeWatch`);
 * - the rate budget is charged what the request that produced the answer paid (its actual cost),
 *   the minimum at least; when it cannot pay, the request goes to Apollo, which refuses it with
 *   RATE_LIMITED.
 * Its size is bounded (`CACHE_MEMORY_MB`), least recently used first out. Responses it saw say
 * whether it answered them in a `Cache-Status` header (RFC 9211): `hit` or `fwd=miss`.
 */
export class HttpAnswerCache {
  private readonly kept: LRUCache<string, KeptAnswer>;

  constructor(
    maxBytes: number,
    private readonly normalizer: DocumentNormalizer,
    private readonly watch: ChangeWatch,
  ) {
    this.kept = new LRUCache<string, KeptAnswer>({
      maxSize: maxBytes,
      sizeCalculation: (answer, key) =>
        answer.data.length + key.length + answer.surrogateKey.length * 2 + 512,
    });
  }

  /** The plugin that hands public answers over to this cache. */
  plugin(): ApolloServerPlugin<Context> {
    return {
      async requestDidStart({ contextValue }) {
        const slot = contextValue.cacheSlot;
        if (!slot) return;
        return {
          async willSendResponse({ response, overallCachePolicy }) {
            if (response.body.kind !== 'single' || contextValue.principal.kind !== 'anonymous')
              return;
            const { data, errors } = response.body.singleResult;
            const policy = overallCachePolicy.policyIfCacheable();
            if (errors?.length || !data || !policy || policy.scope === 'PRIVATE') return;
            if (response.http.status !== undefined && response.http.status !== 200) return;
            slot.answer = {
              data: JSON.stringify(data),
              cost: contextValue.cost,
              maxAgeSeconds: policy.maxAge,
              tags: [...contextValue.answerTags.tags],
            };
          },
        };
      },
    };
  }

  /**
   * The middleware in front of Apollo: answers a kept answer, or notes the request's slot (read
   * by the context) and keeps the answer as its headers go out.
   */
  middleware(deps: { budget: RateBudget; exposeSqlCount: boolean }) {
    const handler: RequestHandler = (req, res, next) => {
      const key = requestKey(req, this.normalizer);
      if (key === null) return next();
      this.serve(req, res, next, key, deps).catch(next);
    };
    return handler;
  }

  private async serve(
    req: Request,
    res: Response,
    next: NextFunction,
    requestKey: string,
    deps: { budget: RateBudget; exposeSqlCount: boolean },
  ): Promise<void> {
    // Note: the head is read before the answer is produced, so a write that commits meanwhile
    // makes the kept answer stale at the next lookup.
    const head = await this.watch.probe();
    const today = new Date().toISOString().slice(0, 10);
    const key = `${today}|${requestKey}`;
    let kept = this.kept.get(key);
    if (kept && !this.watch.valid(kept.head, kept.tags)) {
      this.kept.delete(key);
      kept = undefined;
    }
    if (kept) {
      const price = Math.max(kept.cost.charged, deps.budget.minimum);
      // Note: a refusal here is counted by Apollo, which refuses the request in turn.
      const charge = await deps.budget.charge(anonymous(req.ip ?? 'unknown'), price, {
        countRefusal: false,
      });
      if (charge.allowed) {
        const { state } = charge;
        res.set(rateLimitHeaders(state));
        res.set('content-type', kept.contentType);
        res.set('cache-control', kept.cacheControl);
        res.set('age', String(Math.floor((Date.now() - kept.storedAt) / 1000)));
        const ttl = Math.max(0, Math.floor(this.kept.getRemainingTTL(key) / 1000));
        res.set('cache-status', `${CACHE_NAME}; hit; ttl=${ttl}`);
        cacheLookups.inc({ level: 'answer', result: 'hit' });
        res.locals.operation = kept.operation;
        if (kept.etag) res.set('etag', kept.etag);
        if (kept.surrogateKey) res.set('surrogate-key', kept.surrogateKey);
        const cost = JSON.stringify({
          requested: kept.cost.requested,
          actual: kept.cost.actual,
          charged: price,
          remaining: state.remaining,
          limit: state.limit,
          resetAt: state.resetAt.toISOString(),
        });
        let extensions = `"cost":${cost}`;
        if (deps.exposeSqlCount) {
          const statements = (res.locals.sql as SqlTally | undefined)?.statements ?? 0;
          res.set('x-sql-statements', String(statements));
          extensions += `,"sqlStatements":${statements}`;
        }
        if (kept.etag && req.fresh) {
          res.status(304).end();
          return;
        }
        // Note: three writes in one packet, without copying the kept bytes.
        const tail = Buffer.from(`,"extensions":{${extensions}}}\n`);
        res
          .status(200)
          .set('content-length', String(OPEN_DATA.length + kept.data.length + tail.length));
        res.cork();
        res.write(OPEN_DATA);
        res.write(kept.data);
        res.end(tail);
        return;
      }
    }
    if (!kept) {
      res.set('cache-status', `${CACHE_NAME}; fwd=miss`);
      cacheLookups.inc({ level: 'answer', result: 'miss' });
    }
    const slot: CacheSlot = { head, today };
    res.locals.cacheSlot = slot;
    // Note: kept when the headers go out, not on 'finish': a compressed answer's headers reach
    // the client before the compressor ends, and the same request sent on at once must hit.
    onHeaders(res, () => {
      const answer = slot.answer;
      if (!answer || res.statusCode !== 200) return;
      const contentType = res.getHeader('content-type');
      const cacheControl = res.getHeader('cache-control');
      const etag = res.getHeader('etag');
      if (typeof contentType !== 'string' || typeof cacheControl !== 'string') return;
      this.kept.set(
        key,
        {
          data: Buffer.from(answer.data),
          cost: {
            requested: answer.cost.requested ?? 0,
            actual: answer.cost.actual ?? 0,
            charged: answer.cost.paid,
          },
          storedAt: Date.now(),
          contentType,
          cacheControl,
          etag: typeof etag === 'string' ? etag : null,
          head,
          tags: answer.tags,
          surrogateKey: surrogateKey(answer.tags),
          operation: res.locals.operation as string | undefined,
        },
        { ttl: answer.maxAgeSeconds * 1000 },
      );
    });
    next();
  }
}

/** Content types a browser may send without a CORS preflight (as Apollo's CSRF rule lists). */
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/**
 * What identifies a request's answer, or null when this cache must leave the request to Apollo:
 * credentials, a request that Apollo's CSRF prevention would refuse, a body that is not one
 * operation, a document that does not parse, hostile variables. The document is in normal form.
 */
function requestKey(req: Request, normalizer: DocumentNormalizer): string | null {
  const auth = req.headers.authorization;
  if (auth !== undefined && auth !== '') return null;
  const accept = req.headers.accept ?? '';
  if (req.method === 'GET') {
    // Note: Apollo answers 415 to a GET with another content type.
    const type = req.headers['content-type'];
    if (type !== undefined && essence(type) !== 'application/json') return null;
    if (!preflighted(req)) return null;
    const { query, operationName, variables, extensions } = req.query;
    const params = [query, operationName, variables, extensions];
    if (!params.every((p) => p === undefined || typeof p === 'string')) return null;
    const normal = typeof query === 'string' ? normalizer.ofText(query) : undefined;
    if (normal === null) return null;
    return `GET|${accept}|${JSON.stringify([normal, operationName, variables, extensions])}`;
  }
  if (req.method !== 'POST') return null;
  const body: unknown = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  if (!plainVariables(variables) || !plainVariables(extensions)) return null;
  const normal = typeof query === 'string' ? normalizer.ofText(query) : query;
  if (normal === null) return null;
  // Note: express.json parsed the body, so its content type was JSON: preflighted.
  return `POST|${accept}|${JSON.stringify([normal, operationName, variables, extensions])}`;
}

/** True when Apollo's CSRF prevention lets the GET through (see its `preventCsrf`). */
function preflighted(req: Request): boolean {
  const type = essence(req.headers['content-type'] ?? '');
  if (type && !SIMPLE_CONTENT_TYPES.has(type)) return true;
  return ['x-apollo-operation-name', 'apollo-require-preflight'].some((name) => {
    const value = req.headers[name];
    return typeof value === 'string' && value.length > 0;
  });
}

/** A content type without its parameters, lower-cased. */
function essence(type: string): string {
  return type.split(';')[0].trim().toLowerCase();
}
