import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import type { CacheHint } from '@apollo/cache-control-types';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { OperationDefinitionNode } from 'graphql';
import { cacheableOperation } from '../graphql/cache-policy';
import type { Context } from '../graphql/context';
import type { DocumentNormalizer } from './normalized-document';
import type { ChangeWatch } from './change-watch';
import { surrogateKey } from './surrogate-key';

/** One kept response of the Apollo response cache, as stored (JSON) in memory or Redis. */
interface KeptResponse {
  data: Record<string, unknown>;
  cachePolicy: Required<CacheHint>;
  cacheTime: number;
  /** The head of the change log when the request that produced it arrived. */
  head: number;
  /** What it read (see `AnswerTags`). */
  tags: string[];
}

/** Prefix of the kept responses in the key-value cache (as Apollo's response cache plugin). */
const PREFIX = 'fqc:';
import { cacheLookups } from '../metrics';

/**
 * Caching of public reads, for anonymous callers only (the only ones whose answers are the same
 * for everyone):
 * - every response says how long it may be kept (`Cache-Control: max-age=…, public`; `private`
 *   for authenticated callers), so widgets can sit behind an HTTP cache, and what it read
 *   (`Surrogate-Key`), so that such a cache can purge it when a write changes it;
 * - whole responses are kept in the server's cache (Apollo's, in memory, or Redis), keyed by the
 *   document in normal form (`DocumentNormalizer`), so variants of a document in whitespace or
 *   comments share one entry, by the variables and by the day; each is kept with the head of the
 *   change log at which it was produced and its tags, and served only while no entry committed
 *   since, from any process, touched one of them (`ChangeWatch`).
 */
export function cachePlugins(
  maxAgeSeconds: number,
  normalizer: DocumentNormalizer,
  watch: ChangeWatch,
): ApolloServerPlugin<Context>[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    staticCachePolicy(maxAgeSeconds),
    {
      async requestDidStart({ contextValue }) {
        return {
          async didResolveOperation({ overallCachePolicy }) {
            if (contextValue.principal.kind !== 'anonymous')
              overallCachePolicy.restrict({ scope: 'PRIVATE' });
          },
          // Note: an ETag on the data alone, for GETs: the body's `extensions` (budget, SQL count)
          // change on every request and would make every ETag new. Express answers
          // `If-None-Match` with 304 from it.
          async willSendResponse({ request, response, overallCachePolicy }) {
            if (response.body.kind !== 'single') return;
            const { data, errors } = response.body.singleResult;
            if (errors?.length || !data) return;
            const policy = overallCachePolicy.policyIfCacheable();
            if (
              policy &&
              policy.scope !== 'PRIVATE' &&
              contextValue.principal.kind === 'anonymous'
            ) {
              const key = surrogateKey(contextValue.answerTags.tags);
              if (key) response.http.headers.set('surrogate-key', key);
            }
            if (request.http?.method !== 'GET') return;
            const hash = createHash('sha1').update(JSON.stringify(data)).digest('base64url');
            response.http.headers.set('etag', `W/"${hash}"`);
          },
        };
      },
    },
    ...(maxAgeSeconds === 0 ? [] : [taggedResponseCache(normalizer, watch)]),
  ];
}

/**
 * The cache policy of an operation, known before it runs (`cacheableOperation`): `maxAgeSeconds`,
 * public, or not cacheable; the `Cache-Control` header of its
 * answer as Apollo's cache-control plugin wrote it (`max-age=…, public|private`, or `no-store`
 * for an answer that is not cacheable or has errors). Note: in place of that plugin, whose hook
 * on every resolved field computed the same from the default policy (docs/benchmarks.md).
 */
function staticCachePolicy(maxAgeSeconds: number): ApolloServerPlugin<Context> {
  const cacheable = new WeakMap<OperationDefinitionNode, boolean>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, overallCachePolicy }) {
          if (!operation) return;
          let may = cacheable.get(operation);
          if (may === undefined) {
            may = cacheableOperation(schema, document, operation);
            cacheable.set(operation, may);
          }
          if (may) overallCachePolicy.restrict({ maxAge: maxAgeSeconds });
          else overallCachePolicy.restrict({ maxAge: 0, scope: 'PRIVATE' });
        },
        async willSendResponse({ response, overallCachePolicy }) {
          const policy = overallCachePolicy.policyIfCacheable();
          response.http.headers.set(
            'cache-control',
            policy && response.body.kind === 'single' && !response.body.singleResult.errors
              ? `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}`
              : 'no-store',
          );
        },
      };
    },
  };
}

/**
 * The Apollo response cache: whole `data` of anonymous queries, checked against the change log
 * on every read. The head is taken before execution (by the HTTP answer cache when it saw the
 * request, else here), so a write committing during execution makes the kept response stale at
 * the next lookup. A hit hands its tags on to the request, so the HTTP answer cache keeps them.
 */
function taggedResponseCache(
  normalizer: DocumentNormalizer,
  watch: ChangeWatch,
): ApolloServerPlugin<Context> {
  const cacheable = (ctx: GraphQLRequestContext<Context>) =>
    ctx.operation?.operation === 'query' &&
    ctx.contextValue.principal.kind === 'anonymous' &&
    plainVariables(ctx.request.variables);
  return {
    // Note: Apollo's cache: in memory, or Redis when REDIS_URL is set (`RedisKeyValueCache`).
    async requestDidStart({ cache }) {
      let key: string | null = null;
      let head = 0;
      let age: number | null = null;
      return {
        async responseForOperation(ctx) {
          if (!cacheable(ctx)) return null;
          const { contextValue } = ctx;
          head = contextValue.cacheSlot ? contextValue.cacheSlot.head : await watch.probe();
          // Note: the text as sent is not the key: Apollo parsed it by now.
          const source = ctx.document ? normalizer.ofDocument(ctx.document) : ctx.source;
          key = createHash('sha256')
            .update(
              JSON.stringify({
                source,
                operationName: ctx.operationName,
                variables: ctx.request.variables ?? {},
                today: contextValue.today,
              }),
            )
            .digest('hex');
          const raw = await cache.get(PREFIX + key);
          const kept = raw === undefined ? undefined : (JSON.parse(raw) as KeptResponse);
          if (!kept || !watch.valid(kept.head, kept.tags)) {
            cacheLookups.inc({ level: 'apollo', result: 'miss' });
            return null;
          }
          cacheLookups.inc({ level: 'apollo', result: 'hit' });
          ctx.overallCachePolicy.replace(kept.cachePolicy);
          for (const tag of kept.tags) contextValue.answerTags.add(tag);
          age = Math.round((Date.now() - kept.cacheTime) / 1000);
          return {
            body: { kind: 'single', singleResult: { data: kept.data } },
            http: { status: undefined, headers: new HeaderMap() },
          };
        },
        async willSendResponse(ctx) {
          if (ctx.response.body.kind !== 'single' || key === null) return;
          if (age !== null) {
            ctx.response.http.headers.set('age', String(age));
            return;
          }
          const { data, errors } = ctx.response.body.singleResult;
          const policy = ctx.overallCachePolicy.policyIfCacheable();
          if (errors || !data || !policy || policy.scope === 'PRIVATE') return;
          const kept: KeptResponse = {
            data,
            cachePolicy: policy,
            cacheTime: Date.now(),
            head,
            tags: [...ctx.contextValue.answerTags.tags],
          };
          cache
            .set(PREFIX + key, JSON.stringify(kept), { ttl: policy.maxAge })
            .catch((err: unknown) => ctx.logger.warn(err));
        },
      };
    },
  };
}

/**
 * True for variables small and shallow enough to be part of a cache key. Note: the cache key
 * serializes them recursively; absurdly nested variables (a hostile request) would overflow the
 * stack there, so such a request simply bypasses the cache.
 */
export function plainVariables(variables: unknown): boolean {
  const stack: Array<[unknown, number]> = [[variables, 0]];
  let seen = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (++seen > 10_000 || depth > 32) return false;
    if (value && typeof value === 'object')
      for (const v of Object.values(value)) stack.push([v, depth + 1]);
  }
  return true;
}

/**
 * Apollo's key-value cache (used by the response cache and by automatic persisted queries) in
 * Redis, shared by every gateway instance. A Redis error counts as a miss: the request is then
 * executed, never failed.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    /** The deployment's namespace and `apollo:` (see `redisNamespace`). */
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch (err) {
      this.log.warn({ err }, 'response cache (Redis) read failed');
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    try {
      if (options?.ttl)
        await this.redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.ceil(options.ttl)));
      else await this.redis.set(this.prefix + key, value);
    } catch (err) {
      this.log.warn({ err }, 'response cache (Redis) write failed');
    }
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key).catch(() => 0)) > 0;
  }
}
