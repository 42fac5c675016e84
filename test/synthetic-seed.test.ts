import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/app/gateway';
import { createServices } from '../src/app/services';
import type { DataSource } from 'typeorm';
import type { WriteContext } from '../src/modules/node/record-writer';
import { generateDirectory } from '../src/modules/synthetic/generate';
import { writeDirectory, DirectoryNotEmptyError } from '../src/modules/synthetic/write';
import type { SyntheticDirectory } from '../src/modules/synthetic/synthetic.types';
import { freshDatabase, usingPostgres } from './helpers/gateway';

/** Writes a directory record by record through the services, in the bulk writer's order. */
async function writeThroughServices(db: DataSource, dir: SyntheticDirectory): Promise<void> {
  const services = createServices(usingPostgres ? 'postgres' : 'sqlite');
  await db.transaction(async (em) => {
    const actor = 'seed:synthetic';
    await services.sources.upsert({ em, actor }, dir.source);
    const tx: WriteContext = { em, actor, sourceIds: [dir.source.uuid] };
    for (const u of dir.units) await services.units.upsert(tx, u);
    for (const p of dir.posts) await services.posts.upsert(tx, p);
    for (const p of dir.people) await services.people.upsert(tx, p);
    for (const a of dir.appointments) await services.people.appoint(tx, a);
    for (const m of dir.missions) {
      await services.missions.upsert(tx, m);
      for (const r of dir.responsibilities.filter((x) => x.missionId === m.uuid))
        await services.responsibilities.upsert(tx, r);
    }
    for (const r of dir.responsibilities.filter((x) => !x.missionId))
      await services.responsibilities.upsert(tx, r);
  });
}

/** Every table the services write, without the columns that hold the time of writing. */
const TABLES: Array<[string, string]> = [
  ['org_unit', 'id'],
  ['post', 'id'],
  ['person', 'id'],
  ['appointment', 'id'],
  ['mission', 'id'],
  ['responsibility', 'id'],
  ['source', 'id'],
  ['citation', '"entityId"'],
  ['search_document', '"entityId"'],
  ['change_log', 'sequence'],
];
const TIMES = new Set(['createdAt', 'updatedAt', 'occurredAt']);

async function contents(db: DataSource): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, key] of TABLES) {
    const select =
      table === 'search_document' && usingPostgres ? '*, document::text AS document' : '*';
    const rows: Array<Record<string, unknown>> = await db.query(
      `SELECT ${select} FROM ${table} ORDER BY ${key}`,
    );
    out[table] = rows.map((r) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !TIMES.has(k))),
    );
  }
  return out;
}

describe('synthetic national directory', () => {
  it('is deterministic and national-sized', () => {
    const a = generateDirectory({ scale: 1, seed: 7 });
    expect(JSON.stringify(generateDirectory({ scale: 1, seed: 7 }))).toBe(JSON.stringify(a));
    expect(new Set(a.units.filter((u) => u.kind === 'PREFECTURE').map((u) => u.name)).size).toBe(
      101,
    );
    expect(a.units.length).toBeGreaterThan(9_000);
    expect(a.units.length).toBeLessThan(11_000);
    expect(a.posts.length).toBeGreaterThan(23_000);
    expect(a.posts.length).toBeLessThan(27_000);
    expect(a.people.length).toBeGreaterThan(18_000);
    expect(a.people.length).toBeLessThan(22_000);
    const work = a.missions.length + a.responsibilities.length;
    expect(work).toBeGreaterThan(55_000);
    expect(work).toBeLessThan(65_000);
    expect(a.people.every((p) => p.grade?.endsWith('(fictif)'))).toBe(true);
    const ended = a.appointments.filter((x) => x.endDate).length;
    const unnamed = a.appointments.filter((x) => !x.endDate && !x.personId).length;
    expect(ended).toBeGreaterThan(0);
    expect(unnamed).toBeGreaterThan(0);
    const held = new Set(a.appointments.filter((x) => !x.endDate).map((x) => x.postId));
    expect(held.size).toBeLessThan(a.posts.length);
  });

  it('writes in bulk exactly what the services write record by record', async () => {
    const dir = generateDirectory({ scale: 0.01, seed: 3 });
    const [bulkDb, servicesDb] = await Promise.all([freshDatabase(), freshDatabase()]);
    const log = createLogger('silent');
    const open = (url: string) =>
      openDatabase(loadConfig({ ...process.env, DATABASE_URL: url }), log);
    const [bulk, services] = await Promise.all([open(bulkDb.url), open(servicesDb.url)]);
    try {
      await writeDirectory(bulk, dir, { replace: false, actor: 'seed:synthetic' });
      await writeThroughServices(services, dir);
      const [a, b] = await Promise.all([contents(bulk), contents(services)]);
      for (const [table] of TABLES) {
        expect(a[table].length).toBeGreaterThan(0);
        expect({ table, rows: a[table] }).toEqual({ table, rows: b[table] });
      }

      await expect(
        writeDirectory(bulk, dir, { replace: false, actor: 'seed:synthetic' }),
      ).rejects.toBeInstanceOf(DirectoryNotEmptyError);
      const other = generateDirectory({ scale: 0.01, seed: 4 });
      await writeDirectory(bulk, other, { replace: true, actor: 'seed:synthetic' });
      const [{ n }] = await bulk.query('SELECT COUNT(*) AS n FROM org_unit');
      expect(Number(n)).toBe(other.units.length);
      if (usingPostgres) {
        // The planner has statistics of the new rows, whether autovacuum runs or not.
        const [stats] = await bulk.query(
          `SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'org_unit'`,
        );
        expect(stats.last_analyze).not.toBeNull();
      }
    } finally {
      await Promise.all([bulk.destroy(), services.destroy()]);
      await Promise.all([bulkDb.drop(), servicesDb.drop()]);
    }
  });

  it('ranks search hits page by page exactly as all at once, ties between prefectures included', async () => {
    const dir = generateDirectory({ scale: 0.05, seed: 5 });
    const database = await freshDatabase();
    const db = await openDatabase(
      loadConfig({ ...process.env, DATABASE_URL: database.url }),
      createLogger('silent'),
    );
    try {
      await writeDirectory(db, dir, { replace: false, actor: 'seed:synthetic' });
      const { search } = createServices(usingPostgres ? 'postgres' : 'sqlite');
      for (const types of [null, ['OrgUnit'], ['Post', 'Mission']]) {
        const whole = await search.search(db, 'bureau', types, 0, 5000);
        expect(whole.hits.length).toBeGreaterThan(10);
        expect(whole.total).toBe(whole.hits.length);
        // The same unit names recur in every prefecture: the ranking has ties to break.
        const titles: Array<{ title: string }> = await db.query(
          `SELECT title FROM search_document WHERE "entityId" IN (${whole.hits.map((h) => `'${h.entityId}'`).join(', ')})`,
        );
        expect(new Set(titles.map((t) => t.title)).size).toBeLessThan(titles.length);
        const paged = [];
        for (let offset = 0; offset < whole.total + 3; offset += 7) {
          const page = await search.search(db, 'bureau', types, offset, 7);
          expect(page.total).toBe(whole.total);
          paged.push(...page.hits);
        }
        expect(paged).toEqual(whole.hits);
      }
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
