import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { loadConfig, Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { Gateway, startGateway } from '../../src/app/gateway';
import { adminQuery, databaseUrl, dropDatabase } from '../../src/db/postgres-admin';

/** A response as the tests see it. */
export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
    extensions?: { sqlStatements?: number } & Record<string, unknown>;
  };
}

/** A gateway started for one test file, on port 0, with a fresh seeded database. */
export interface TestGateway extends Gateway {
  config: Config;
  origin: string;
  /** POSTs an operation (text or typed document) and returns status, headers and body. */
  gql<T = Record<string, unknown>>(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    query: string | TypedDocumentNode<T, any>,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<T>>;
  /** Sends a raw HTTP request to a path of the gateway. */
  raw(pathname: string, init?: RequestInit): Promise<Response>;
}

/** The database URL given to the test run: PostgreSQL when it says so, else SQLite. */
export const usingPostgres = (process.env.DATABASE_URL ?? '').startsWith('postgres');

/**
 * Creates a throw-away database: a temporary SQLite file, or a new PostgreSQL database on the
 * server of `DATABASE_URL`. Returns its URL and a function that drops it.
 */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `annuaire_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  if (!usingPostgres) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-'));
    return {
      url: `sqlite:${path.join(dir, `${name}.sqlite`)}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.DATABASE_URL!;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  return { url: databaseUrl(admin, name), drop: () => dropDatabase(admin, name) };
}

/** Starts a gateway on a fresh database; `env` overrides configuration variables. */
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const database = await freshDatabase();
  return startGatewayOn(database, env);
}

/**
 * Starts another gateway on the database of a running one, as a second instance of the same
 * deployment: it finds the database migrated and seeded; stopping it leaves the database.
 */
export async function startSiblingGateway(
  of: TestGateway,
  env: Record<string, string> = {},
): Promise<TestGateway> {
  return startGatewayOn({ url: of.config.database.url, drop: async () => undefined }, env);
}

async function startGatewayOn(
  database: { url: string; drop: () => Promise<void> },
  env: Record<string, string>,
): Promise<TestGateway> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    SEEDS_DIR: path.join(__dirname, '..', '..', 'seeds'),
    DATABASE_URL: database.url,
    // Note: the tests send many bad credentials from one address; the tests of that limit set it.
    AUTH_FAILURE_LIMIT: '1000000',
    // Note: a stopped test gateway cuts its idle keep-alive connections off at once instead of
    // waiting for their timeout; test/e2e/shutdown.e2e.test.ts runs the real shutdown.
    SHUTDOWN_GRACE_MS: '0',
    ...env,
  });
  const gateway = await startGateway(config, createLogger(config.logLevel));
  const origin = new URL(gateway.url).origin;
  return {
    ...gateway,
    config,
    origin,
    async stop() {
      await gateway.stop();
      await database.drop();
    },
    raw: (pathname, init) => fetch(`${origin}${pathname}`, init),
    async gql(query, variables, headers = {}) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...headers,
        },
        body: JSON.stringify({
          query: typeof query === 'string' ? query : print(query),
          variables,
        }),
      });
      return {
        status: res.status,
        headers: res.headers,
        body: (await res.json()) as GqlResponse<never>['body'],
      };
    },
  };
}
