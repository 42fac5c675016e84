import 'reflect-metadata';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { Pool } from 'pg';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createDataSource } from '../db/data-source';
import type { Services } from '../graphql/context';
import { createServices } from './services';
import { buildServedSchema } from './schema';
import { createHttpApp } from '../http/app';
import { HttpDrain } from '../http/drain';
import cluster from 'node:cluster';
import { openHeadChannel } from '../http/head-channel';
import { redisNamespace } from '../db/redis-namespace';
import { onCommitted } from '../db/write-transaction';
import { publishedOperationNames, startMetricsListener } from '../http/metrics-endpoint';
import { observePool, startProcessMetrics } from '../metrics';
import { loadSeeds, seedFiles } from '../seed/seed-loader';
import { OrgUnit } from '../modules/org-unit/org-unit.entity';
import { scheduleCompaction } from '../modules/sync/retention';
import { ChangeHub } from '../modules/sync/sync.module';
import { SyncState } from '../modules/sync/sync-state.entity';
import { createAuthServices, AuthServices } from '../modules/auth/auth-services';
import { requestAuthenticator } from '../modules/auth/authenticate';
import { startWebhookWorker } from '../modules/webhook/webhook-worker';
import { ENTITIES, ROUTES } from './modules';

/** The published operation documents, whose names label the request metrics. */
const OPERATIONS_DIR = path.join(__dirname, '..', '..', 'schema', 'operations');

/** A running gateway. */
export interface Gateway {
  url: string;
  db: DataSource;
  services: Services;
  auth: AuthServices;
  /** Where `/metrics` is served when METRICS_PORT is set; else null. */
  metricsUrl: string | null;
  /**
   * Stops accepting connections, answers every request received on the open ones (bounded by
   * `SHUTDOWN_GRACE_MS`), then closes the database.
   */
  stop(): Promise<void>;
}

/** Opens the database and applies the committed migrations. */
export async function openDatabase(config: Config, log: Logger): Promise<DataSource> {
  const db = createDataSource(config, log, ENTITIES);
  await db.initialize();
  const applied = await db.runMigrations({ transaction: 'each' });
  if (applied.length > 0)
    log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  return db;
}

/**
 * Seeds the directory from the seed files when it holds no unit at all and is not a mirror of
 * another gateway (a mirror of an empty directory stays empty).
 */
export async function seedIfEmpty(
  db: DataSource,
  services: Services,
  config: Config,
  log: Logger,
): Promise<void> {
  if (!config.seeds.onStart || (await db.getRepository(OrgUnit).count()) > 0) return;
  if ((await db.getRepository(SyncState).count()) > 0) return;
  const summary = await loadSeeds(db, services, seedFiles(config.seeds.dir));
  log.info({ summary }, 'empty directory seeded');
}

/** Start-up: migrations, seeding of an empty directory, schema, HTTP server. */
export async function startGateway(config: Config, log: Logger): Promise<Gateway> {
  const db = await openDatabase(config, log);
  const services = createServices(config.database.dialect);
  await seedIfEmpty(db, services, config, log);
  const schema = await buildServedSchema(config.federation);
  const auth = createAuthServices(db, config);
  // Note: subscriptions hear of every committed write through the head channel (this instance's
  // at once, others' through Redis or LISTEN/NOTIFY) and read the entries from the change log.
  const namespace = config.rateLimit.redisUrl ? await redisNamespace(config.rateLimit, db) : '';
  const heads = await openHeadChannel(
    {
      redisUrl: config.rateLimit.redisUrl,
      redisNamespace: namespace,
      postgresUrl: config.database.dialect === 'postgres' ? config.database.url : null,
    },
    log,
  );
  const hub = new ChangeHub(db, config, services, log, config.subscriptions.catchUpMs);
  services.changeHub = hub;
  heads.listen((head) => hub.notify(head));
  const stopPublishing = onCommitted(db, (head) => heads.publish(head));
  const { httpServer, apollo, subscriptions } = await createHttpApp({
    config,
    log,
    db,
    authenticate: requestAuthenticator(auth),
    services,
    schema,
    routes: ROUTES,
    redisNamespace: namespace,
    knownOperations: config.metrics ? publishedOperationNames(OPERATIONS_DIR) : [],
  });
  const drain = new HttpDrain(httpServer);
  drain.beforeClose(async () => {
    stopPublishing();
    hub.close();
    await subscriptions.close();
    await heads.close();
  });
  await new Promise<void>((resolve) =>
    httpServer.listen(config.http.port, config.http.host, resolve),
  );
  const { port } = httpServer.address() as AddressInfo;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host}:${port}/graphql`;
  // Note: a cluster's workers leave METRICS_PORT to the primary, which adds theirs up.
  const metricsListener =
    config.metrics?.port != null && !cluster.isWorker
      ? await startMetricsListener(
          { ...config.metrics, port: config.metrics.port },
          config.http.host,
          log,
        )
      : null;
  if (config.metrics) {
    startProcessMetrics();
    if (config.database.dialect === 'postgres') {
      const pool = (db.driver as PostgresDriver).master as Pool;
      observePool(() => ({
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
      }));
    }
  }
  const stopCompaction = config.changeLogRetentionDays
    ? scheduleCompaction(db, config.changeLogRetentionDays, log).stop
    : () => undefined;
  const webhooks = startWebhookWorker(db, config, services, log);
  log.info(
    { url, database: config.database.dialect, subscriptionHeads: heads.kind },
    'annuaire-graphql ready',
  );
  return {
    url,
    db,
    services,
    auth,
    metricsUrl: metricsListener?.url ?? null,
    async stop() {
      stopCompaction();
      // Note: attempts in flight are aborted and their batches handed back, so that another
      // instance (or the next start) retries them at once with the same webhook-id.
      await webhooks.stop();
      if (config.metrics) observePool(null);
      await metricsListener?.close();
      await drain.close(config.http.shutdownGraceMs, log);
      await apollo.stop();
      await db.destroy();
    },
  };
}
