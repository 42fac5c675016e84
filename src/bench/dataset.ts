import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { adminQuery, databaseUrl as urlOf, dropDatabase } from '../db/postgres-admin';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { openDatabase } from '../app/gateway';
import { createServices } from '../app/services';
import { loadSeeds, seedFiles } from '../seed/seed-loader';
import { DEFAULT_SEED, generateDirectory } from '../modules/synthetic/generate';
import { writeDirectory } from '../modules/synthetic/write';

/** A database prepared for a run: the gateway's DATABASE_URL, where B1 reads, and clean-up. */
export interface PreparedDataset {
  databaseUrl: string;
  raw: { dialect: 'sqlite' | 'postgres'; location: string };
  /** Whether it was generated now (false: taken from the cache). */
  generated: boolean;
  dispose(): Promise<void>;
}

export interface DatasetOptions {
  dataset: 'seed' | 'national';
  database: 'sqlite' | 'postgres';
  /** Folder of cached SQLite files. */
  cacheDir: string;
  /** PostgreSQL server URL (any database on it) where benchmark databases are created. */
  postgresUrl: string;
  seedsDir: string;
  log?: (line: string) => void;
}

/**
 * Prepares the benchmark database. `seed`: a fresh database loaded from the seed files.
 * `national`: the synthetic national directory, generated once into a cached SQLite file or
 * PostgreSQL database whose name carries a hash of its content, and reused while it matches.
 */
export async function prepareDataset(o: DatasetOptions): Promise<PreparedDataset> {
  const log = o.log ?? (() => undefined);
  const dir = o.dataset === 'national' ? generateDirectory({ scale: 1, seed: DEFAULT_SEED }) : null;
  const tag = dir
    ? createHash('sha1').update(JSON.stringify(dir)).digest('hex').slice(0, 10)
    : `${process.pid}_${Date.now()}`;
  let databaseUrl: string;
  let location: string;
  let dispose: () => Promise<void> = async () => undefined;
  let onFailure: () => Promise<unknown> = async () => undefined;
  if (o.database === 'sqlite') {
    const folder = dir ? o.cacheDir : fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-bench-'));
    fs.mkdirSync(folder, { recursive: true });
    location = path.resolve(folder, `${o.dataset}-${tag}.sqlite`);
    if (dir && fs.existsSync(location)) {
      log(`using cached ${location}`);
      const raw = { dialect: 'sqlite' as const, location };
      return { databaseUrl: `sqlite:${location}`, raw, generated: false, dispose };
    }
    // Note: generated under another name and renamed when complete, so a cache is never partial.
    databaseUrl = `sqlite:${location}${dir ? '.partial' : ''}`;
    if (dir)
      for (const f of fs.readdirSync(folder))
        if (/^national-.*\.sqlite/.test(f)) fs.rmSync(path.join(folder, f));
    if (!dir) dispose = async () => fs.rmSync(folder, { recursive: true, force: true });
  } else {
    const name = `annuaire_bench_${o.dataset}_${tag}`;
    databaseUrl = location = urlOf(o.postgresUrl, name);
    const exists = await adminQuery(o.postgresUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [
      name,
    ]);
    if (dir && exists.length) {
      log(`using cached database ${name}`);
      return { databaseUrl, raw: { dialect: 'postgres', location }, generated: false, dispose };
    }
    await adminQuery(o.postgresUrl, `CREATE DATABASE ${name}`);
    const drop = () => dropDatabase(o.postgresUrl, name);
    onFailure = drop;
    if (!dir) dispose = drop;
  }
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl, SEEDS_DIR: o.seedsDir });
  const db = await openDatabase(config, createLogger('warn'));
  try {
    const started = Date.now();
    if (dir) {
      await writeDirectory(db, dir, { replace: true, actor: 'seed:synthetic' });
      log(`generated the national directory in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } else {
      await loadSeeds(db, createServices(config.database.dialect), seedFiles(config.seeds.dir));
    }
  } catch (e) {
    await db.destroy();
    await onFailure();
    throw e;
  }
  await db.destroy();
  if (dir && o.database === 'sqlite') {
    fs.renameSync(`${location}.partial`, location);
    databaseUrl = `sqlite:${location}`;
  }
  return { databaseUrl, raw: { dialect: o.database, location }, generated: true, dispose };
}
