import fs from 'node:fs';
import { adminQuery, databaseUrl as urlOf, dropDatabase } from '../db/postgres-admin';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { openDatabase } from '../app/gateway';
import { ApiKeyService } from '../modules/auth/api-key.service';
import { Role } from '../graphql/role';
import type { RawDb } from './raw-db';
import type { RawLocation } from './processes';
import type { LoadResult } from './load';

/**
 * Q7, the mixed workload: reads rotate over the charts of every prefecture and 50 unit cards,
 * on a gateway with the server's caches on, first without writes, then while an EDITOR key makes
 * one write per second to a random unit. The writes change a unit's `description`, which no read
 * selects, so every response can still be checked byte for byte against B1, and each write still
 * invalidates every answer that read the unit it touched.
 */
export interface MixedReport {
  /** Read variants: prefecture charts and unit cards. */
  variants: number;
  passed: boolean;
  problems: string[];
  withoutWrites: LoadResult;
  withWrites: LoadResult;
  /** Writes committed during the measured run with writes. */
  writes: number;
  /** Throughput with writes over throughput without. */
  ratio: number;
}

/** Hits over all responses that said, from `Cache-Status`; null when none said. */
export const hitRate = (r: LoadResult): number | null =>
  r.cache && r.cache.hits + r.cache.misses > 0
    ? r.cache.hits / (r.cache.hits + r.cache.misses)
    : null;

/** A copy of the benchmark database that Q7 may write to, so that the cached dataset stays as generated. */
export interface WritableCopy {
  databaseUrl: string;
  raw: RawLocation;
  dispose(): Promise<void>;
}

/**
 * Copies the prepared database: the SQLite file, or a PostgreSQL database created from it as a
 * template (which needs no other connection to it: call this before anything opens it).
 */
export async function writableCopy(raw: RawLocation, postgresUrl: string): Promise<WritableCopy> {
  if (raw.dialect === 'sqlite') {
    const file = `${raw.location}.q7-${process.pid}`;
    fs.copyFileSync(raw.location, file);
    return {
      databaseUrl: `sqlite:${file}`,
      raw: { dialect: 'sqlite', location: file },
      async dispose() {
        for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      },
    };
  }
  const source = new URL(raw.location).pathname.slice(1);
  const name = `${source}_q7_${process.pid}`.slice(0, 63);
  await adminQuery(postgresUrl, `CREATE DATABASE ${name} TEMPLATE ${source}`);
  const url = urlOf(postgresUrl, name);
  return {
    databaseUrl: url,
    raw: { dialect: 'postgres', location: url },
    dispose: () => dropDatabase(postgresUrl, name),
  };
}

/** Creates the EDITOR key that Q7's writer uses, on the copy. */
export async function editorKey(databaseUrl: string): Promise<string> {
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl });
  const db = await openDatabase(config, createLogger('warn'));
  try {
    const { key } = await new ApiKeyService(db).create('bench Q7 writer', Role.EDITOR);
    return key;
  } finally {
    await db.destroy();
  }
}

/**
 * Writes to a random unit now and then every `intervalMs` until stopped, through the gateway's
 * API with an EDITOR key, each write a version-checked `updateUnit` of the unit's description.
 */
export function startWriter(
  url: string,
  key: string,
  slugs: readonly string[],
  intervalMs = 1000,
): { stop(): Promise<{ writes: number; problems: string[] }> } {
  let writes = 0;
  let n = 0;
  const problems: string[] = [];
  const post = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (res.status !== 200 || body.errors) throw new Error(JSON.stringify(body).slice(0, 200));
    return body.data!;
  };
  const writeOnce = async () => {
    const slug = slugs[Math.floor(Math.random() * slugs.length)];
    const found = (await post('query($slug: String!) { unit(slug: $slug) { id version } }', {
      slug,
    })) as { unit: { id: string; version: number } };
    n += 1;
    const done = (await post(
      'mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }',
      {
        input: {
          id: found.unit.id,
          expectedVersion: found.unit.version,
          description: `Écriture ${n} du banc d'essai Q7.`,
        },
      },
    )) as { updateUnit: { userErrors: Array<{ code: string }> } };
    if (done.updateUnit.userErrors.length)
      throw new Error(`updateUnit: ${done.updateUnit.userErrors[0].code}`);
    writes += 1;
  };
  let running = Promise.resolve();
  const tick = () => {
    running = running.then(writeOnce).catch((err: Error) => {
      if (problems.length < 3) problems.push(`write failed: ${err.message}`);
    });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
      return { writes, problems };
    },
  };
}

/** The slugs of every unit, for the writer to choose from. */
export async function unitSlugs(raw: RawDb): Promise<string[]> {
  const rows = await raw.all<{ slug: string }>(
    'SELECT slug FROM org_unit WHERE "archivedAt" IS NULL ORDER BY slug',
  );
  return rows.map((r) => r.slug);
}
