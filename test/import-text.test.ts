import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { freshDatabase } from './helpers/gateway';
import { databaseFingerprint } from './helpers/snapshot';
import { openDatabase } from '../src/app/gateway';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import type { Services } from '../src/graphql/context';
import { createServices } from '../src/app/services';
import { importAnnuaire } from '../src/modules/import/annuaire-import';
import { ImportAbortedError } from '../src/modules/import/import-report';

/**
 * The import meets the rule on text that the database cannot keep: a record holding a NUL, a
 * lone surrogate or a control character in a field it writes is rejected, named with the
 * field; the import aborts with nothing written, or with `skip` leaves that record out.
 */

const SERVICES = path.join(__dirname, 'fixtures', 'annuaire', 'services.json');

/** The fixture file with a bad character in three of its records. */
function taintedFile(): { service: Array<Record<string, unknown>> } {
  const json = JSON.parse(fs.readFileSync(SERVICES, 'utf8'));
  const [a, b, c] = [1, 3, 4].map((i) => json.service[i]);
  a.nom = `${a.nom}\u0000`;
  b.sigle = `C\ud800B`;
  c.nom = `${c.nom}\u001b`;
  return json;
}

describe('Annuaire import of text that the database cannot keep', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let services: Services;
  beforeAll(async () => {
    database = await freshDatabase();
    const config = loadConfig({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    db = await openDatabase(config, createLogger('silent'));
    services = createServices(config.database.dialect);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const everything = async () =>
    `${await databaseFingerprint(db)}\n${JSON.stringify(await db.query('SELECT * FROM change_log'))}`;

  it('aborts by default, naming each record and field, with nothing written', async () => {
    const before = await everything();
    const json = taintedFile();
    const error = await importAnnuaire(db, services, 'tainted.json', json).catch((e) => e);
    expect(error).toBeInstanceOf(ImportAbortedError);
    const problems = (error as ImportAbortedError).problems.filter((p) => p.kind !== 'warning');
    // Note: the import stops at the first record a service rejects.
    expect(problems).toEqual([
      expect.objectContaining({
        kind: 'rejected',
        id: json.service[1].id,
        reason: expect.stringMatching(/^name: name holds a NUL character \(U\+0000\) at position/),
      }),
    ]);
    expect(await everything()).toBe(before);
  });

  it('with skip, leaves those records out and imports the others', async () => {
    const json = taintedFile();
    const result = await importAnnuaire(db, services, 'tainted.json', json, { onError: 'skip' });
    expect(result).toMatchObject({ records: 5, imported: 2, skipped: 3 });
    const rejected = result.problems.filter((p) => p.kind === 'rejected');
    expect(rejected).toEqual([
      expect.objectContaining({ index: 1, reason: expect.stringMatching(/^name: .*NUL/) }),
      expect.objectContaining({
        index: 3,
        reason: expect.stringMatching(/^acronym: .*lone surrogate \(U\+D800\)/),
      }),
      expect.objectContaining({
        index: 4,
        reason: expect.stringMatching(/^name: .*control character \(U\+001B\)/),
      }),
    ]);
    for (const i of [1, 3, 4])
      expect(
        await db.query(`SELECT 1 FROM org_unit WHERE slug = 'annuaire-${json.service[i].id}'`),
      ).toEqual([]);
  });
});
