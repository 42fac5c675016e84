import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { Context } from '../graphql/context';
import type { DocumentNormalizer } from './normalized-document';
import { cacheLookups } from '../metrics';

/**
 * Caching of public reads, for anonymous callers only (the only ones whose answers are the same
 * for everyone):
 * - every response says how long it may be kept (`Cache-Control: max-age=…, public`; `private`
 *   for authenticated callers), so widgets can sit behind an HTTP cache;
 * - whole responses are kept in the server's cache, keyed by the directory version (the head of
 *   the change log, read once per cached request), so any committed write, from any process,
 *   makes the next request miss, and by the document in normal form (`DocumentNormalizer`),
 *   so variants of a document in whitespace or comments share one entry.
 */
export function cachePlugins(
  maxAgeSeconds: number,
  normalizer: DocumentNormalizer,
): ApolloServerPlugin<Context>[] {
  const cacheable = (ctx: { contextValue: Context; request: { variables?: unknown } }) =>
    ctx.contextValue.principal.kind === 'anonymous' && plainVariables(ctx.request.variables);
  return [
    ApolloServerPluginCacheControl({ defaultMaxAge: maxAgeSeconds }),
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
          async willSendResponse({ request, response, operation, metrics, contextValue }) {
            // Note: the response cache plugin marks `responseCacheHit` (false first) when it is
            // asked for an answer; it then reads the cache for the anonymous queries.
            const looked =
              metrics.responseCacheHit !== undefined && operation?.operation === 'query';
            if (looked && cacheable({ contextValue, request }))
              cacheLookups.inc({
                level: 'apollo',
                result: metrics.responseCacheHit ? 'hit' : 'miss',
              });
            if (request.http?.method !== 'GET' || response.body.kind !== 'single') return;
            const { data, errors } = response.body.singleResult;
            if (errors?.length || !data) return;
            const hash = createHash('sha1').update(JSON.stringify(data)).digest('base64url');
            response.http.headers.set('etag', `W/"${hash}"`);
          },
        };
      },
    },
    ...(maxAgeSeconds === 0
      ? []
      : [
          responseCachePlugin<Context>({
            shouldReadFromCache: async (ctx) => cacheable(ctx),
            shouldWriteToCache: async (ctx) => cacheable(ctx),
            extraCacheKeyData: async (ctx) =>
              `${await directoryVersion(ctx.contextValue)}|${ctx.contextValue.today}`,
            // Note: the plugin's own key has the text as sent; Apollo parsed it by now.
            generateCacheKey: (ctx, key) => {
              const data = key as Record<string, unknown>;
              const source = ctx.document ? normalizer.ofDocument(ctx.document) : data.source;
              return createHash('sha256')
                .update(JSON.stringify({ ...data, source }))
                .digest('hex');
            },
          }),
        ]),
  ];
}

/**
 * The sequence of the latest committed change: the version of the whole directory. The answer
 * cache in front of Apollo has read it already for the requests it saw.
 */
async function directoryVersion(ctx: Context): Promise<number> {
  return ctx.cacheSlot ? ctx.cacheSlot.head : readDirectoryVersion(ctx.db);
}

/** Reads the directory version: one statement, on the primary key of the change log. */
export async function readDirectoryVersion(db: DataSource): Promise<number> {
  const rows: Array<{ head: number | null }> = await db.query(
    'SELECT MAX(sequence) AS head FROM change_log',
  );
  return Number(rows[0]?.head ?? 0);
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
    private readonly prefix = 'annuaire:apollo:',
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
