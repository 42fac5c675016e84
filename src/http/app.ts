import { createHash, randomUUID } from 'node:crypto';
import express from 'express';
import zlib from 'node:zlib';
import compression from 'compression';
import type { DataSource } from 'typeorm';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Services } from '../graphql/context';
import { CacheSlot, Context, createContext } from '../graphql/context';
import type { Authenticator } from '../graphql/principal';
import { createFormatError } from '../graphql/format-error';
import { IdenticalFieldsRule, identicalFieldsPlugin } from '../graphql/identical-fields';
import {
  KnownOperationTypesRule,
  queryLimitsPlugin,
  SubscriptionsOverHttpRule,
} from '../graphql/limits';
import { printAppSchema } from '../graphql/schema';
import { servedSubgraphSdl } from '../graphql/subgraph';
import { SqlTally, withSqlTally } from '../db/sql-counter';
import { jsonErrorHandler, sendGraphQLError } from './json-errors';
import { sqlCountPlugin } from './sql-count.plugin';
import { cachePlugins, RedisKeyValueCache } from './apollo-response-cache';
import { HttpAnswerCache } from './http-answer-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { ChangeWatch } from './change-watch';
import type { HttpRoute } from './routes';
import { connectRedis, RateBudget } from './rate-limit';
import { rateLimitPlugin } from './rate-limit.plugin';
import { admit, chargeCsrfRefusals, chargeUnreadBody } from './rate-limit-entry';
import { readinessProbe } from './readiness';
import { DocumentNormalizer } from './normalized-document';
import { corsPolicy, securityHeaders } from './security';
import { credentialFreeGets } from './csrf';
import { requestDeadline, untilDeadline } from './deadline';
import { requestLog } from './request-log';
import { costlyOperationsPlugin } from './costly-operations';
import { widgetRouter } from './widget-assets';
import {
  EXPRESS_RESPONSE,
  OperationLabels,
  operationLabelPlugin,
  requestTimer,
  serveMetrics,
} from './metrics-endpoint';
import { explorerRouter } from './explorer';
import { SubscriptionServer } from './subscriptions';
import { SubscriptionPlaces } from './subscription-places';
import { expressServer } from './express-server';

/** What the HTTP layer needs, built by start-up. */
export interface AppDeps {
  config: Config;
  log: Logger;
  db: DataSource;
  /** Who calls, from a request's credentials: the same for `/graphql` and every route. */
  authenticate: Authenticator;
  services: Services;
  schema: GraphQLSchema;
  /** The modules' routes beside `/graphql`, from the composition root. */
  routes: readonly HttpRoute[];
  /** Operation names that always get a label of their own in the request metrics. */
  knownOperations?: readonly string[];
  /** What the deployment's Redis keys start with (`redisNamespace`); '' without Redis. */
  redisNamespace: string;
}

/**
 * Brotli with a 256 kB window instead of zlib's 4 MB default: the same bytes for answers below
 * the window (nearly all; a national chart is 50 kB), at a fraction of the cost of setting up
 * the larger one on every response (docs/benchmarks.md, "Compressing GraphQL answers").
 */
const ANSWER_COMPRESSION: compression.CompressionOptions = {
  brotli: { params: { [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } },
};

/**
 * Builds the Express app and the Apollo server on one HTTP server: `/graphql` (and `/`, where
 * browsers get Apollo Sandbox or a landing page, as `EXPLORER` says), `/graphiql`, `/health`,
 * `/ready`, `/schema.graphql`.
 */
export async function createHttpApp(deps: AppDeps) {
  const { config, log, db, authenticate, services, schema, redisNamespace: namespace } = deps;
  const app = express();
  // Note: Node's own timeouts bound receiving a request (answered 408, checked only every 30 s);
  // requestDeadline answers a request that takes too long as a whole.
  const timeout = config.http.requestTimeoutMs;
  const httpServer = expressServer(app, {
    requestTimeout: timeout,
    headersTimeout: Math.min(timeout, 60_000),
  });
  app.disable('x-powered-by');
  // Note: Express would hash every response body for an ETag, POST answers of 50–300 kB
  // included, where no ETag is ever used; the routes that revalidate set their own.
  app.set('etag', false);
  app.set('trust proxy', config.http.trustProxy);

  const budget = await RateBudget.create(config.rateLimit, log, namespace);
  const redisCache = config.rateLimit.redisUrl
    ? await connectRedis(config.rateLimit.redisUrl, log, 'Apollo response cache')
    : null;
  const normalizer = new DocumentNormalizer(config.limits.maxTokens);
  // Note: one per process, shared by both cache levels: what the change log says was written.
  const watch = new ChangeWatch(db);
  const answers =
    config.cacheMaxAge > 0 && config.cacheMemoryBytes > 0
      ? new HttpAnswerCache(config.cacheMemoryBytes, normalizer, watch)
      : null;
  const probe = readinessProbe(config, db);
  const formatError = createFormatError(log, config.production);
  const apollo = new ApolloServer<Context>({
    schema,
    cache: redisCache
      ? new RedisKeyValueCache(redisCache, log, `${namespace}apollo:`)
      : new InMemoryLRUCache({ maxSize: apolloMemoryChars(config.cacheMemoryBytes) }),
    introspection: config.introspection,
    hideSchemaDetailsFromClientErrors: config.production,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxLexicalTokens: config.limits.maxTokens },
    validationRules: [KnownOperationTypesRule, SubscriptionsOverHttpRule, IdenticalFieldsRule],
    formatError,
    logger: log,
    // Note: shutdown is the gateway's (src/http/drain.ts), on the signals main.ts handles.
    stopOnTerminationSignals: false,
    plugins: [
      // Note: browsers get their pages from explorerRouter, before Apollo.
      ApolloServerPluginLandingPageDisabled(),
      // Note: Apollo would add inline field traces (ftv1) to the answers of a federated subgraph
      // whenever a router asks for them, with the timings of every resolver.
      ApolloServerPluginInlineTraceDisabled(),
      queryLimitsPlugin(schema, config.limits),
      rateLimitPlugin(budget),
      // Note: after the rate limit, whose charge must come before a cached answer.
      ...cachePlugins(config.cacheMaxAge, normalizer, watch),
      ...(answers ? [answers.plugin()] : []),
      // Note: after the caches, whose answers take no place.
      costlyOperationsPlugin({
        cost: config.limits.costlyCost,
        atOnce: config.limits.costlyAtOnce,
      }),
      {
        async serverWillStart() {
          return {
            serverWillStop: async () => {
              redisCache?.disconnect();
              await probe.close();
            },
          };
        },
      },
      ...(config.exposeSqlCount ? [sqlCountPlugin()] : []),
      identicalFieldsPlugin(),
      ...(config.metrics
        ? [operationLabelPlugin(new OperationLabels(deps.knownOperations ?? []))]
        : []),
    ],
  });
  await apollo.start();

  if (config.metrics) app.use(requestTimer());
  app.use((req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', id);
    (req as { id?: string }).id = id;
    next();
  });
  // Note: the probes answer before the request log, the budgets and body parsing, and /ready
  // reads the database outside the pool (readinessProbe), so both answer while the rest is busy.
  const probeHeaders = securityHeaders();
  app.get('/health', probeHeaders, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', probeHeaders, async (_req, res) => {
    if (await probe.ready()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable' });
  });
  // Note: with METRICS_PORT, /metrics is served on that listener alone (src/http/metrics-endpoint.ts);
  // scrapes, like the probes, are not logged.
  if (config.metrics && config.metrics.port === null) {
    const scrape = serveMetrics(config.metrics.token);
    app.get('/metrics', probeHeaders, (req, res) => scrape(req, res));
  }
  // Note: skipped when it would log nothing.
  if (log.isLevelEnabled('info')) {
    app.use(requestLog(log));
  }
  app.use(securityHeaders());
  app.use(corsPolicy(config));

  // Note: a subgraph's SDL is the one composition takes, with its federation directives.
  const sdl = config.federation ? servedSubgraphSdl(schema) : printAppSchema(schema);
  const sdlTag = `W/"${createHash('sha1').update(sdl).digest('base64url')}"`;
  app.get('/schema.graphql', (_req, res) => {
    res.type('text/plain; charset=utf-8').set('etag', sdlTag).send(sdl);
  });

  const graphql = [
    requestDeadline(timeout),
    // Note: br or gzip as the client accepts, answers of 1 kB and more (docs/benchmarks.md).
    compression(ANSWER_COMPRESSION),
    credentialFreeGets(),
    chargeCsrfRefusals(budget),
    express.json({ limit: config.http.bodyLimit }),
    chargeUnreadBody(budget),
    (req: express.Request, res: express.Response, next: express.NextFunction) => {
      const tally: SqlTally = { statements: 0 };
      res.locals.sql = tally;
      // Note: the tally rides an AsyncLocalStorage, whose promise hooks cost every request a
      // little; only the SQL-count extension reads it, so without it nothing is counted.
      if (config.exposeSqlCount) withSqlTally(tally, next);
      else next();
    },
    ...(answers ? [answers.middleware({ budget, exposeSqlCount: config.exposeSqlCount })] : []),
    untilDeadline(
      expressMiddleware(apollo, {
        context: async ({ req, res }) => {
          const admission = await admit(req, budget, authenticate);
          const context = createContext(
            db,
            config,
            services,
            res.locals.sql as SqlTally,
            admission.principal,
            (res.locals.cacheSlot as CacheSlot | undefined) ?? null,
          );
          context.cost.paid = admission.paid;
          context.cost.budget = admission.budget;
          context.abandoned = () => res.locals.timedOut === true || res.destroyed;
          if (config.metrics) Object.assign(context, { [EXPRESS_RESPONSE]: res });
          return context;
        },
      }),
    ),
  ];
  // Note: subscriptions over WebSocket come as upgrades of /graphql, over Server-Sent Events on
  // /graphql/stream, which has none of the chain above: an event stream is answered at once,
  // stays open, and must not be compressed (buffered), cached, or cut by the request deadline.
  const subscriptions = new SubscriptionServer(
    {
      config,
      log,
      db,
      services,
      schema,
      authenticate,
      budget,
      app,
      formatError,
      places: new SubscriptionPlaces(
        config.subscriptions.perCaller,
        redisCache,
        `${namespace}subscriptions:`,
        log,
      ),
    },
    config.subscriptions,
  );
  subscriptions.attach(httpServer);
  app.use('/graphql/stream', subscriptions.sseHandler());
  app.use(widgetRouter());
  app.use(explorerRouter(config));
  for (const route of deps.routes)
    app.use(route.path, route.handler({ db, config, log, budget, authenticate }));
  app.all('/graphql', ...graphql);
  app.all('/', ...graphql);

  app.use((req, res) =>
    sendGraphQLError(req, res, 404, 'NOT_FOUND', `No route for ${req.method} ${req.path}.`),
  );
  app.use(jsonErrorHandler(log));

  return { app, httpServer, apollo, subscriptions };
}

/**
 * Size of Apollo's in-memory cache (the response cache's second level and persisted queries,
 * without REDIS_URL), in UTF-16 code units as lru-cache counts strings: half of CACHE_MEMORY_MB,
 * since the first level already keeps the same answers, and at least 4 Mi for persisted queries
 * when the first level is off. Note: Apollo's default, 30 Mi code units, kept the same answers
 * a second time; on the national directory the feed pages it held were about 40 MB of the
 * gateway's heap (docs/benchmarks.md).
 */
export function apolloMemoryChars(cacheMemoryBytes: number): number {
  return Math.max(4 * 1024 * 1024, Math.floor(cacheMemoryBytes / 2));
}
