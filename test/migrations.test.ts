import { DataSource } from 'typeorm';
import { freshDatabase, usingPostgres } from './helpers/gateway';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/app/gateway';

describe(`the committed migrations (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let db: DataSource;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    db = await openDatabase(
      loadConfig({ ...process.env, DATABASE_URL: fresh.url }),
      createLogger('silent'),
    );
  });
  afterAll(async () => {
    await db.destroy();
    await drop();
  });

  it('bring a fresh database exactly to the entities: nothing is left for synchronize to do', async () => {
    const pending = await db.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('revert down to an empty schema and apply again', async () => {
    const count = db.migrations.length;
    for (let i = 0; i < count; i++) await db.undoLastMigration({ transaction: 'each' });
    expect(await db.showMigrations()).toBe(true);
    const applied = await db.runMigrations({ transaction: 'each' });
    expect(applied).toHaveLength(count);
    expect((await db.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });

  it(`run with ${usingPostgres ? 'the unaccent extension' : 'foreign keys on and the WAL journal'}`, async () => {
    if (usingPostgres) {
      const rows = await db.query(`SELECT extname FROM pg_extension WHERE extname = 'unaccent'`);
      expect(rows).toHaveLength(1);
    } else {
      expect(await db.query('PRAGMA foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      expect(await db.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    }
  });
});
