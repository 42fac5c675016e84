import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import type { Config } from './config';
import type { Logger } from './logger';
import { startMetricsListener } from './http/metrics-endpoint';
import { relayClusterHeads } from './http/head-channel';
import { registry } from './metrics';

/** The environment variable that tells a worker its slot (0 … WEB_CONCURRENCY − 1). */
export const WORKER_SLOT = 'ANNUAIRE_WORKER_SLOT';

/** First wait before a dead worker is replaced; it doubles while replacements die young. */
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A worker that lived this long resets its slot's backoff. */
const HEALTHY_MS = 60_000;

/**
 * The primary process of `WEB_CONCURRENCY=N` (N > 1): N workers serving one port (node:cluster
 * hands each connection to one of them), and nothing else. The first worker migrates the
 * database and seeds it if asked; the others start once it listens, with SEED_ON_START off. A
 * worker that dies is replaced after a backoff that doubles while replacements die young; a
 * worker that dies before the first one ever listened stops everything (exit 1: the gateway
 * cannot start). SIGTERM and SIGINT drain every worker (each as a single gateway does) and exit 0.
 *
 * State shared by the workers: the rate budgets are kept here in the primary
 * (rate-limiter-flexible's cluster limiter) unless REDIS_URL puts them in Redis; the caches and
 * the compaction schedule are right across processes already, since they are checked against
 * the database (the change log, and the compaction's claim). On SQLite without Redis, the
 * subscriptions' heads go through the primary. With METRICS_PORT, the primary
 * serves every worker's metrics added together (prom-client's AggregatorRegistry).
 */
export async function runPrimary(config: Config, log: Logger): Promise<void> {
  const workers = config.http.workers;
  if (!config.rateLimit.redisUrl) new RateLimiterClusterMaster();
  relayClusterHeads();
  const slots = new Map<Worker, number>();
  const backoff = new Array<number>(workers).fill(FIRST_BACKOFF_MS);
  let firstListened = false;
  let stopping = false;
  let failed = false;

  const fork = (slot: number) => {
    const worker = cluster.fork({
      [WORKER_SLOT]: String(slot),
      ...(slot > 0 ? { SEED_ON_START: 'false' } : {}),
    });
    slots.set(worker, slot);
    const bornAt = Date.now();
    worker.once('listening', () => {
      if (slot === 0 && !firstListened) {
        firstListened = true;
        for (let next = 1; next < workers; next++) fork(next);
      }
    });
    worker.once('exit', (code, signal) => {
      slots.delete(worker);
      if (stopping) return;
      if (!firstListened) {
        log.error({ slot, code, signal }, 'the first worker could not start; stopping');
        failed = true;
        stopAll('first worker failed');
        return;
      }
      backoff[slot] = Date.now() - bornAt > HEALTHY_MS ? FIRST_BACKOFF_MS : backoff[slot];
      const wait = backoff[slot];
      backoff[slot] = Math.min(MAX_BACKOFF_MS, backoff[slot] * 2);
      log.warn({ slot, code, signal, restartInMs: wait }, 'worker died; replacing it');
      setTimeout(() => !stopping && fork(slot), wait).unref();
    });
  };

  const metrics =
    config.metrics?.port != null
      ? await startMetricsListener(
          { ...config.metrics, port: config.metrics.port },
          config.http.host,
          log,
          clusterMetrics(),
        )
      : null;

  const stopAll = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason, workers: slots.size }, 'draining every worker');
    const exits = [...slots.keys()].map(
      (worker) =>
        new Promise<number>((resolve) => {
          if (worker.isDead()) return resolve(worker.process.exitCode ?? 0);
          worker.once('exit', (code) => resolve(code ?? 0));
          worker.process.kill('SIGTERM');
        }),
    );
    Promise.all(exits)
      .then(async (codes) => {
        await metrics?.close();
        process.exit(failed || codes.some((c) => c !== 0) ? 1 : 0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));
  log.info({ workers, pid: process.pid }, 'starting workers');
  fork(0);
}

/** Every worker's metrics added together, asked of them over the cluster's channel. */
function clusterMetrics() {
  const aggregator = new AggregatorRegistry();
  return {
    contentType: aggregator.contentType,
    collect: () => aggregator.clusterMetrics(),
  };
}

/** In a worker: lets the primary's AggregatorRegistry read this process's registry. */
export function shareWorkerMetrics(): void {
  // Note: prom-client answers the primary's requests once an AggregatorRegistry exists here.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}
