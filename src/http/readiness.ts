import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';

/** Most milliseconds the readiness probe waits for the database before answering 503. */
export const READY_TIMEOUT_MS = 2000;

/** Whether the database answers, for `/ready`. */
export interface ReadinessProbe {
  /** True when the database answered `SELECT 1` within READY_TIMEOUT_MS. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The readiness probe. On PostgreSQL it has a connection of its own, outside the pool, with its
 * own short timeouts, so that `/ready` never waits behind a queue of pooled work; probes that
 * arrive while one is under way share its answer. On SQLite, better-sqlite3 runs each statement
 * synchronously, with no queue to wait in: the probe reads through the data source.
 */
export function readinessProbe(config: Config, db: DataSource): ReadinessProbe {
  if (config.database.dialect !== 'postgres') {
    return {
      ready: () =>
        db.query('SELECT 1').then(
          () => true,
          () => false,
        ),
      close: async () => undefined,
    };
  }
  let client: Promise<Client> | null = null;
  let pending: Promise<boolean> | null = null;
  const connect = async (): Promise<Client> => {
    const c = new Client({
      connectionString: config.database.url,
      connectionTimeoutMillis: READY_TIMEOUT_MS,
      query_timeout: READY_TIMEOUT_MS,
      statement_timeout: READY_TIMEOUT_MS,
      application_name: 'annuaire-graphql readiness',
    });
    // Note: a broken connection is dropped and opened again by the next probe.
    c.on('error', () => void (client = null));
    await c.connect();
    return c;
  };
  const probe = async (): Promise<boolean> => {
    try {
      client ??= connect();
      await (await client).query('SELECT 1');
      return true;
    } catch {
      const broken = client;
      client = null;
      void broken?.then((c) => c.end()).catch(() => undefined);
      return false;
    }
  };
  return {
    ready() {
      pending ??= probe().finally(() => (pending = null));
      return pending;
    },
    async close() {
      const open = client;
      client = null;
      await open?.then((c) => c.end()).catch(() => undefined);
    },
  };
}
