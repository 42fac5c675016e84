import path from 'node:path';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Role } from './graphql/role';

/** How tokens from an OpenID Connect provider are verified and mapped to roles. */
export interface OidcConfig {
  /** A JWKS: a file path or an https URL. */
  jwks: string;
  issuer?: string;
  audience?: string;
  /** The claim holding roles or groups; a dotted path such as `realm_access.roles` is allowed. */
  roleClaim: string;
  /** Claim values mapped to roles; a value naming a role (e.g. "EDITOR") maps to it as well. */
  roleMap: Record<string, Role>;
}
import { corsEntryProblem } from './cors-origins';

/** The SQL dialects the gateway runs on. */
export type Dialect = 'sqlite' | 'postgres';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The names of address ranges that Express's `trust proxy` knows. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** Whether `entry` is an address, a CIDR block or a range name, as Express's `trust proxy` takes. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && +prefix <= (family === 4 ? 32 : 128));
}

/**
 * `TRUST_PROXY`: off (`false`, `0`, empty), a hop count, or a list of trusted proxy addresses.
 * Note: Express would also take `true` (trust every hop), which lets any client pick its own
 * address with `X-Forwarded-For`; it is refused here in favour of a hop count.
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((raw, ctx): false | number | string[] => {
    const v = raw.trim();
    const refuse = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (v === '' || v === 'false') return false;
    if (v === 'true')
      return refuse('true would let any client pick its address: give the number of proxies');
    if (/^\d+$/.test(v)) {
      if (+v > 100) return refuse('a hop count of at most 100');
      return +v === 0 ? false : +v;
    }
    const entries = v.split(',').map((entry) => entry.trim());
    const wrong = entries.filter((entry) => !isProxyEntry(entry));
    if (wrong.length === 0) return entries;
    return refuse(
      `false, a hop count, or addresses, CIDR blocks and loopback, linklocal, uniquelocal; ` +
        `not ${wrong.map((entry) => JSON.stringify(entry)).join(', ')}`,
    );
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .min(1)
    .default('sqlite:./data/annuaire.sqlite')
    .refine((v) => /^(sqlite:|postgres(ql)?:\/\/)/.test(v), {
      message: 'must start with sqlite: (a file path, or :memory:) or postgres://',
    }),
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('localhost'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_BUFFER_MB: int(1, 1024).default(16),
  HEAP_GROWING_PERCENT: int(0, 1000).default(100),
  WEB_CONCURRENCY: int(1, 64).default(1),
  SEEDS_DIR: z.string().min(1).default('seeds'),
  SEED_ON_START: bool.default(true),
  QUERY_MAX_DEPTH: int(1, 100).default(12),
  QUERY_MAX_COMPLEXITY: int(1, 10_000_000).default(50_000),
  QUERY_MAX_ALIASES: int(0, 10_000).default(50),
  QUERY_MAX_DIRECTIVES: int(0, 10_000).default(20),
  QUERY_MAX_TOKENS: int(1, 1_000_000).default(5_000),
  QUERY_COSTLY_COST: int(1, 10_000_000).default(5_000),
  QUERY_COSTLY_AT_ONCE: int(0, 10_000).default(2),
  ORG_CHART_MAX_DEPTH: int(1, 100).default(20),
  SEARCH_MAX_LENGTH: int(1, 10_000).default(200),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'e.g. 100kb')
    .default('100kb'),
  REQUEST_TIMEOUT_MS: int(1, 3_600_000).default(30_000),
  TRUST_PROXY: trustProxy,
  SHUTDOWN_GRACE_MS: int(0, 3_600_000).default(8_000),
  DATABASE_LOCK_TIMEOUT_MS: int(1, 600_000).optional(),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .superRefine((entries, ctx) => {
      for (const problem of entries.map(corsEntryProblem))
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  INTROSPECTION: bool.optional(),
  FEDERATION: bool.default(false),
  RATE_LIMIT_POINTS: int(1, 1_000_000_000).default(1_000_000),
  RATE_LIMIT_SYNC_POINTS: int(1, 1_000_000_000).default(10_000_000),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(60),
  RATE_LIMIT_MIN_COST: int(1, 1_000_000).default(100),
  AUTH_FAILURE_LIMIT: int(1, 1_000_000).default(10),
  AUTH_FAILURE_WINDOW_SECONDS: int(1, 86_400).default(300),
  DATABASE_STATEMENT_TIMEOUT_MS: int(0, 3_600_000).optional(),
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'e.g. redis://127.0.0.1:6379')
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits and _ . : - (at most 100)')
    .optional(),
  EXPOSE_SQL_COUNT: bool.optional(),
  SYNC_ACCESS: z.enum(['public', 'sync']).default('public'),
  EXPLORER: z.enum(['sandbox', 'graphiql', 'off']).optional(),
  EXPORT_COST: int(0, 1_000_000_000).default(1000),
  CACHE_MAX_AGE: int(0, 86_400).default(60),
  CACHE_MEMORY_MB: int(0, 65_536).default(16),
  CHANGE_LOG_RETENTION_DAYS: int(1, 100_000).optional(),
  WEBHOOK_BATCH_SIZE: int(1, 1000).default(100),
  WEBHOOK_BATCH_MS: int(0, 3_600_000).default(1000),
  WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(8),
  WEBHOOK_BACKOFF_MS: int(1, 3_600_000).default(2000),
  WEBHOOK_BACKOFF_MAX_MS: int(1, 86_400_000).default(3_600_000),
  WEBHOOK_CONNECT_TIMEOUT_MS: int(1, 600_000).default(5000),
  WEBHOOK_TIMEOUT_MS: int(1, 600_000).default(10_000),
  WEBHOOK_POLL_MS: int(10, 600_000).default(500),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: bool.default(false),
  OIDC_JWKS: z.string().min(1).optional(),
  OIDC_ISSUER: z.string().min(1).optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_ROLE_CLAIM: z.string().min(1).default('roles'),
  OIDC_ROLE_MAP: z
    .string()
    .regex(
      /^([^=,]+=(AGENT|EDITOR|SYNC|ADMIN))(,[^=,]+=(AGENT|EDITOR|SYNC|ADMIN))*$/,
      'e.g. annuaire-editors=EDITOR,annuaire-admins=ADMIN',
    )
    .optional(),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,}$/, 'at least 16 printable characters, no spaces')
    .optional(),
  METRICS_PORT: int(0, 65535).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  SUBSCRIPTIONS_PER_CALLER: int(0, 100_000).default(10),
  SUBSCRIPTION_HEARTBEAT_MS: int(100, 3_600_000).default(15_000),
  SUBSCRIPTION_BUFFER_BYTES: int(1024, 1_073_741_824).default(1_048_576),
  SUBSCRIPTION_CATCH_UP_MS: int(50, 3_600_000).default(3_000),
});

/** The configuration variables the gateway reads (e.g. for checking deployment files). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Apollo Sandbox's origin, allowed by CORS outside production. */
export const SANDBOX_ORIGIN = 'https://studio.apollographql.com';

/** How many query-cost points a caller may spend per window. */
export interface RateLimitConfig {
  /** Budget of anonymous, AGENT, EDITOR and ADMIN callers. */
  points: number;
  /** Budget of SYNC callers. */
  syncPoints: number;
  windowSeconds: number;
  /** Points every request pays, whatever becomes of it (parse, validation or auth failure). */
  minCost: number;
  /** Failed authentications allowed per client address and window, against key guessing. */
  authFailures: { limit: number; windowSeconds: number };
  redisUrl: string | null;
  /**
   * What every Redis key and channel of this deployment starts with; null: one drawn for the
   * database (`redisNamespace`), so that deployments sharing a Redis never share its entries.
   */
  redisPrefix: string | null;
}

/** How webhook batches are made and delivered (README, "Webhooks"). */
export interface WebhookConfig {
  /** Most changes in one delivery. */
  batchSize: number;
  /** How long the oldest undelivered change waits for others before a smaller batch goes. */
  batchMs: number;
  /** Attempts of one batch before its subscription is disabled. */
  maxAttempts: number;
  /** Delay before the second attempt; doubled at each further one, with jitter. */
  backoffMs: number;
  /** Longest delay between two attempts. */
  backoffMaxMs: number;
  /** Milliseconds to open the connection to the receiver (DNS included). */
  connectTimeoutMs: number;
  /** Milliseconds from the connection to the end of the receiver's answer. */
  timeoutMs: number;
  /** How often each instance looks for work. */
  pollMs: number;
  /** Deliver to private, loopback and link-local addresses too (tests, closed networks). */
  allowPrivateNetworks: boolean;
}

/**
 * Who may read `/metrics`. Served only when a token or a port is set: with `port`, on that
 * listener alone (not on the API's port); with `token`, to callers giving it as a bearer token.
 */
export interface MetricsConfig {
  token: string | null;
  /** A listener of its own for `/metrics`; 0 picks a free port (tests). */
  port: number | null;
}

/** `EXPLORER`: `sandbox` and `graphiql` both serve GraphiQL at `/graphiql`; `off` neither. */
export type Explorer = 'sandbox' | 'graphiql' | 'off';

/** The gateway's whole configuration, validated once at start-up. */
export interface Config {
  env: 'development' | 'production' | 'test';
  production: boolean;
  database: {
    dialect: Dialect;
    url: string;
    sqlitePath?: string;
    /** PostgreSQL cancels a statement running longer than this (ms); 0: never. */
    statementTimeoutMs: number;
    /**
     * On PostgreSQL, the loaders' reads go as named prepared statements, planned once per
     * connection; off for a pooler that does not keep them (PgBouncer in transaction mode
     * before 1.21).
     */
    preparedStatements: boolean;
    /**
     * Most milliseconds a mutation waits for another write transaction (an import) before it
     * gets DATABASE_BUSY; below the request timeout, so waiters never pile up.
     */
    lockTimeoutMs: number;
  };
  http: {
    port: number;
    host: string;
    bodyLimit: string;
    /** Most milliseconds a request may take, from its arrival to its answer. */
    requestTimeoutMs: number;
    /**
     * Origins that browsers may call the API from (CORS): exact origins, and patterns whose `*`
     * stands for one or more leading DNS labels (`https://*.interieur.gouv.fr`).
     */
    corsOrigins: string[];
    /**
     * Which peers' `X-Forwarded-For` is believed, as Express's `trust proxy`: none, the nearest
     * hops, or these addresses, blocks and range names. The client address it gives keys the
     * anonymous rate budgets and the request log.
     */
    trustProxy: false | number | string[];
    /** Most milliseconds a shutdown waits for the requests it accepted before cutting them off. */
    shutdownGraceMs: number;
    /** Worker processes serving the port together (node:cluster); 1: this process serves. */
    workers: number;
  };
  /** Whether the schema answers introspection queries. */
  introspection: boolean;
  /**
   * Serve the schema as an Apollo Federation 2 subgraph (`_service`, `_entities`, `@key` on
   * units, posts and people), for a router or gateway that composes it with other subgraphs.
   */
  federation: boolean;
  logLevel: string;
  /** Bytes of log lines the server holds while its log's reader is behind; past them, lines drop. */
  logBufferBytes: number;
  /**
   * How far V8 lets the heap grow past what a full collection left alive, in percent (V8's
   * `--heap-growing-percent`); 0 leaves V8's own factor, up to 300 % for a fast mutator.
   */
  heapGrowingPercent: number;
  seeds: { dir: string; onStart: boolean };
  limits: {
    maxDepth: number;
    maxComplexity: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    orgChartMaxDepth: number;
    searchMaxLength: number;
    pageSizeMax: number;
    pageSizeDefault: number;
    /**
     * Operations whose estimated cost reaches `costlyCost` run at most `costlyAtOnce` at a time
     * in one process (0: no bound), the others waiting their turn in order.
     */
    costlyCost: number;
    costlyAtOnce: number;
  };
  /** Query-cost budget per caller and window; kept in Redis when `redisUrl` is set. */
  rateLimit: RateLimitConfig;
  /** Report the number of SQL statements of each request (`extensions.sqlStatements`). */
  exposeSqlCount: boolean;
  /**
   * What a browser opening `/` gets: Apollo Sandbox (from Apollo's CDN) with a link to GraphiQL,
   * a landing page linking to GraphiQL (self-hosted at `/graphiql`), or a landing page alone.
   */
  explorer: Explorer;
  /** Who may read the change feed and the exports: everyone, or the SYNC role (and ADMIN). */
  syncAccess: 'public' | 'sync';
  /**
   * Rate-budget points one download of an export costs, charged like a GraphQL operation's cost;
   * a revalidation answered 304 costs 1.
   */
  exportCost: number;
  /** Seconds a public read may be kept by HTTP caches and the server's caches (0: neither). */
  cacheMaxAge: number;
  /**
   * Bytes of answers this process keeps, serialized, in front of Apollo (the HTTP answer cache,
   * the first level of the server's caches); 0 turns that level off.
   */
  cacheMemoryBytes: number;
  /** Days of change log kept; older entries are compacted away. Null: kept for ever. */
  changeLogRetentionDays: number | null;
  /** Webhook deliveries (src/modules/webhook). */
  webhooks: WebhookConfig;
  /** OpenID Connect JWT verification; null when bearer JWTs are not accepted. */
  oidc: OidcConfig | null;
  /** `/metrics`; null when it is not served (neither METRICS_TOKEN nor METRICS_PORT). */
  metrics: MetricsConfig | null;
  /**
   * OTLP endpoint that traces are sent to (the OpenTelemetry SDK reads the other `OTEL_*`
   * variables itself); null: no tracing, and none of its code is loaded.
   */
  tracingEndpoint: string | null;
  /** GraphQL subscriptions (WebSocket and Server-Sent Events). */
  subscriptions: {
    /** Most subscriptions one caller (key, subject, or anonymous address) may have open. */
    perCaller: number;
    /** Milliseconds between heartbeats: WebSocket pings, SSE comment lines. */
    heartbeatMs: number;
    /** Most bytes that may wait for one subscriber before it is closed as a slow consumer. */
    bufferBytes: number;
    /** Milliseconds between reads of the change log that catch up a lost notification. */
    catchUpMs: number;
  };
}

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {}

/** The dialect a database URL selects. */
export function dialectOf(url: string): Dialect {
  return url.startsWith('postgres') ? 'postgres' : 'sqlite';
}

/**
 * Reads and validates the configuration from environment variables.
 * Every problem is listed at once, each with its variable name.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // Note: by default a write waits 2 s, or half the request timeout when that is shorter.
  const lockTimeoutMs =
    e.DATABASE_LOCK_TIMEOUT_MS ??
    Math.max(1, Math.min(2_000, Math.floor(e.REQUEST_TIMEOUT_MS / 2)));
  if (lockTimeoutMs >= e.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_LOCK_TIMEOUT_MS: must be less than REQUEST_TIMEOUT_MS',
    );
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    throw new ConfigError(
      'Invalid configuration:\n  METRICS_PORT: must differ from PORT (it is a listener of its own)',
    );
  }
  const production = e.NODE_ENV === 'production';
  const dialect = dialectOf(e.DATABASE_URL);
  const sqliteTarget = dialect === 'sqlite' ? e.DATABASE_URL.slice('sqlite:'.length) : undefined;
  return {
    env: e.NODE_ENV,
    production,
    database: {
      dialect,
      url: e.DATABASE_URL,
      sqlitePath:
        sqliteTarget === undefined || sqliteTarget === ':memory:'
          ? sqliteTarget
          : path.resolve(sqliteTarget),
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS ?? e.REQUEST_TIMEOUT_MS,
      preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
      lockTimeoutMs,
    },
    http: {
      port: e.PORT,
      host: e.HOST,
      bodyLimit: e.BODY_LIMIT,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      corsOrigins: [...new Set([...e.CORS_ORIGINS, ...(production ? [] : [SANDBOX_ORIGIN])])],
      trustProxy: e.TRUST_PROXY,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      workers: e.WEB_CONCURRENCY,
    },
    introspection: e.INTROSPECTION ?? !production,
    federation: e.FEDERATION,
    logLevel: e.LOG_LEVEL,
    logBufferBytes: e.LOG_BUFFER_MB * 1024 * 1024,
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    seeds: { dir: path.resolve(e.SEEDS_DIR), onStart: e.SEED_ON_START },
    limits: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxComplexity: e.QUERY_MAX_COMPLEXITY,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxDirectives: e.QUERY_MAX_DIRECTIVES,
      maxTokens: e.QUERY_MAX_TOKENS,
      orgChartMaxDepth: e.ORG_CHART_MAX_DEPTH,
      searchMaxLength: e.SEARCH_MAX_LENGTH,
      pageSizeMax: 100,
      pageSizeDefault: 20,
      costlyCost: e.QUERY_COSTLY_COST,
      costlyAtOnce: e.QUERY_COSTLY_AT_ONCE,
    },
    rateLimit: {
      points: e.RATE_LIMIT_POINTS,
      syncPoints: e.RATE_LIMIT_SYNC_POINTS,
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      minCost: e.RATE_LIMIT_MIN_COST,
      authFailures: { limit: e.AUTH_FAILURE_LIMIT, windowSeconds: e.AUTH_FAILURE_WINDOW_SECONDS },
      redisUrl: e.REDIS_URL ?? null,
      redisPrefix: e.REDIS_PREFIX ?? null,
    },
    exposeSqlCount: e.EXPOSE_SQL_COUNT ?? !production,
    // Note: GraphiQL is the gateway's own code and calls no other origin, so production has it.
    explorer: e.EXPLORER ?? (production ? 'graphiql' : 'sandbox'),
    syncAccess: e.SYNC_ACCESS,
    exportCost: e.EXPORT_COST,
    cacheMaxAge: e.CACHE_MAX_AGE,
    cacheMemoryBytes: e.CACHE_MEMORY_MB * 1024 * 1024,
    changeLogRetentionDays: e.CHANGE_LOG_RETENTION_DAYS ?? null,
    webhooks: {
      batchSize: e.WEBHOOK_BATCH_SIZE,
      batchMs: e.WEBHOOK_BATCH_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      backoffMaxMs: e.WEBHOOK_BACKOFF_MAX_MS,
      connectTimeoutMs: e.WEBHOOK_CONNECT_TIMEOUT_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      pollMs: e.WEBHOOK_POLL_MS,
      allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    },
    oidc: e.OIDC_JWKS
      ? {
          jwks: /^https?:\/\//.test(e.OIDC_JWKS) ? e.OIDC_JWKS : path.resolve(e.OIDC_JWKS),
          issuer: e.OIDC_ISSUER,
          audience: e.OIDC_AUDIENCE,
          roleClaim: e.OIDC_ROLE_CLAIM,
          roleMap: Object.fromEntries(
            (e.OIDC_ROLE_MAP ?? '')
              .split(',')
              .filter(Boolean)
              .map((pair) => pair.split('=') as [string, Role]),
          ),
        }
      : null,
    metrics:
      e.METRICS_TOKEN !== undefined || e.METRICS_PORT !== undefined
        ? { token: e.METRICS_TOKEN ?? null, port: e.METRICS_PORT ?? null }
        : null,
    tracingEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    subscriptions: {
      perCaller: e.SUBSCRIPTIONS_PER_CALLER,
      heartbeatMs: e.SUBSCRIPTION_HEARTBEAT_MS,
      bufferBytes: e.SUBSCRIPTION_BUFFER_BYTES,
      catchUpMs: e.SUBSCRIPTION_CATCH_UP_MS,
    },
  };
}

/**
 * The dialect of the configured database, for the few column types that differ.
 * Note: entity decorators run at import time, before the config object exists, so this reads
 * `DATABASE_URL` alone; `loadConfig` validates the same variable.
 */
export function configuredDialect(env: NodeJS.ProcessEnv = process.env): Dialect {
  return dialectOf(env.DATABASE_URL ?? 'sqlite:');
}
