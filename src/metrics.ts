import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics (served on `/metrics`, see src/http/metrics-endpoint.ts), in
 * one registry per process: a process runs one gateway. The layers that count (the SQL logger in
 * src/db, the caches and budgets in src/http) import the instruments from here, at the bottom of
 * the layers, and do no more than an increment where they decide.
 *
 * Extension point: a part that adds metrics (open subscriptions, webhook deliveries, failures
 * and lag, once those exist) defines its instruments here with `registers: [registry]` and the
 * `annuaire_` prefix, and counts where it decides, as the ones below do.
 */
export const registry = new Registry();

/** Seconds from a request's arrival to its answer, by route and GraphQL operation. */
export const requestDuration = new Histogram({
  name: 'annuaire_http_request_duration_seconds',
  help: 'Seconds from the arrival of a request to the end of its answer, by route (graphql, export, widget, health, ready, metrics, schema.graphql, other), GraphQL operation name (a bounded set; see docs/deployment.md) and status code.',
  labelNames: ['route', 'operation', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

/** Lookups in the two levels of the response cache. */
export const cacheLookups = new Counter({
  name: 'annuaire_cache_lookups_total',
  help: 'Lookups in the response caches, by level (answer: the serialized answers in this process; apollo: the response cache plugin, in memory or in Redis) and result (hit, miss).',
  labelNames: ['level', 'result'] as const,
  registers: [registry],
});

/** SQL statements sent to the database, by any part of the gateway. */
export const sqlStatements = new Counter({
  name: 'annuaire_sql_statements_total',
  help: 'SQL statements sent to the database (requests, migrations, compaction, probes on SQLite).',
  registers: [registry],
});

/** Requests the rate budgets refused. */
export const rateLimitRefusals = new Counter({
  name: 'annuaire_rate_limit_refusals_total',
  help: 'Requests refused by a rate budget: standard or sync (query-cost points), auth_failures (too many failed authentications from one address).',
  labelNames: ['budget'] as const,
  registers: [registry],
});

/** Log lines dropped because the log's reader fell behind (src/logger.ts, `serverLogDestination`). */
export const logLinesDropped = new Counter({
  name: 'annuaire_log_lines_dropped_total',
  help: 'Log lines dropped because the process that reads the log (a collector, the terminal) fell more than LOG_BUFFER_BYTES behind; the gateway drops lines rather than wait for it.',
  registers: [registry],
});

/** Attempts to deliver a webhook batch, by outcome. */
export const webhookDeliveries = new Counter({
  name: 'annuaire_webhook_deliveries_total',
  help: 'Attempts to deliver a webhook batch, by outcome: delivered (the receiver answered 2xx), retried (it failed and will be tried again), abandoned (its last attempt failed: the subscription is disabled).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Failed attempts, by why they failed. */
export const webhookFailures = new Counter({
  name: 'annuaire_webhook_failures_total',
  help: 'Failed webhook attempts, by reason: status (a non-2xx answer other than a redirect), redirect (3xx, never followed), timeout (connect or answer), network (refused, reset, unresolvable), address (the host resolved to a refused address), aborted (the gateway stopped during the attempt).',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/** Seconds from a change's commit to its successful delivery. */
export const webhookLag = new Histogram({
  name: 'annuaire_webhook_lag_seconds',
  help: 'Seconds from the commit of a change to the end of the successful delivery of the batch holding it, one sample per change and subscription (batching wait and retries included).',
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600],
  registers: [registry],
});

/** Costly operations in this process, running or waiting (`src/http/costly-operations.ts`). */
export const costlyOperations = new Gauge({
  name: 'annuaire_costly_operations',
  help: 'GraphQL operations of QUERY_COSTLY_COST points or more in this process, by state: running, or waiting for one of the QUERY_COSTLY_AT_ONCE places.',
  labelNames: ['state'] as const,
  registers: [registry],
});

/** Costly operations that never ran: nobody waited for them when their turn came. */
export const costlyOperationsAbandoned = new Counter({
  name: 'annuaire_costly_operations_abandoned_total',
  help: 'Costly operations dropped without running when their turn came, because their request had timed out or its client had gone.',
  registers: [registry],
});

/** Subscriptions open in this process, by transport. */
export const subscriptionsOpen = new Gauge({
  name: 'annuaire_subscriptions_open',
  help: 'GraphQL subscriptions open in this process, by transport (ws: graphql-ws on /graphql; sse: graphql-sse on /graphql/stream).',
  labelNames: ['transport'] as const,
  registers: [registry],
});

/** Subscribers that fell behind the hub and went back to reading the change log themselves. */
export const fellBehind = new Counter({
  name: 'annuaire_subscribers_fell_behind_total',
  help: 'Times a subscriber had more waiting for it than SUBSCRIPTION_BUFFER_BYTES and went back to reading the change log at its own pace.',
  registers: [registry],
});

/** What the database pool reports, read when Prometheus scrapes. */
export interface PoolCounts {
  total: number;
  idle: number;
  waiting: number;
}

let poolSource: (() => PoolCounts | null) | null = null;

/**
 * Names where the pool's counts come from (the PostgreSQL pool of the running gateway); null
 * leaves the gauge without samples (SQLite has no pool: one connection, statements run
 * synchronously, nothing ever waits for a connection).
 */
export function observePool(source: (() => PoolCounts | null) | null): void {
  poolSource = source;
}

new Gauge({
  name: 'annuaire_db_pool_connections',
  help: 'Connections of the PostgreSQL pool, by state: total (open), idle, waiting (requests queued for a connection). No samples on SQLite, which has no pool.',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    this.reset();
    const counts = poolSource?.();
    if (!counts) return;
    for (const state of ['total', 'idle', 'waiting'] as const) this.set({ state }, counts[state]);
  },
});

let defaultsStarted = false;

/**
 * Starts prom-client's process metrics (CPU, memory, heap, GC, handles, and the event-loop delay
 * from `perf_hooks.monitorEventLoopDelay`: `nodejs_eventloop_lag_*` seconds), once per process.
 * Called only when `/metrics` is served, since their collectors sample the process.
 */
export function startProcessMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ register: registry });
}
