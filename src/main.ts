import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config';
import { createLogger, printableError, serverLogDestination } from './logger';
import { logLinesDropped } from './metrics';
import { boundHeapGrowth } from './heap';

/**
 * Entry point of `npm start`: configuration, tracing when asked for, then the gateway, then
 * signal handling; with WEB_CONCURRENCY above 1, the cluster's primary (src/cluster.ts), whose
 * workers run this again as single gateways.
 * Note: the gateway's modules are loaded only after tracing has started, so that its
 * instrumentations patch http, express, graphql and pg as they load; without
 * OTEL_EXPORTER_OTLP_ENDPOINT, no OpenTelemetry module is loaded at all.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  boundHeapGrowth(config.heapGrowingPercent);
  const root = createLogger(
    config.logLevel,
    serverLogDestination(config.logBufferBytes, () => logLinesDropped.inc()),
  );
  // A worker's lines say which worker wrote them.
  const log = cluster.isWorker
    ? root.child({ worker: Number(process.env.ANNUAIRE_WORKER_SLOT), pid: process.pid })
    : root;
  if (config.http.workers > 1 && cluster.isPrimary) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require('./cluster') as typeof import('./cluster')).runPrimary(config, log);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (cluster.isWorker) (require('./cluster') as typeof import('./cluster')).shareWorkerMetrics();
  const tracing = config.tracingEndpoint
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./tracing') as typeof import('./tracing')).startTracing()
    : null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startGateway } = require('./app/gateway') as typeof import('./app/gateway');
  // Note: the signal handlers are in place before the gateway starts, so that a signal sent as
  // soon as it says it is ready (or while it starts) drains it instead of killing the process.
  let stopping = false;
  let starting: Promise<{ stop(): Promise<void> }> | null = null;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining requests, then closing the database');
    starting!
      .then((gateway) => gateway.stop())
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (err) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  starting = startGateway(config, log);
  await starting;
}

main().catch((err) => {
  console.error(printableError(err, true));
  process.exit(1);
});
