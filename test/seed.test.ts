import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { stringify } from 'yaml';
import { freshDatabase } from './helpers/gateway';
import { databaseFingerprint } from './helpers/snapshot';
import { openDatabase } from '../src/app/gateway';
import type { Services } from '../src/graphql/context';
import { createServices } from '../src/app/services';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { loadSeeds, readSeedFile, SeedError, seedFiles, seedUuid } from '../src/seed/seed-loader';

const SEEDS_DIR = path.join(__dirname, '..', 'seeds');
const COMMITTED = path.join(SEEDS_DIR, 'prefecture-seine-et-marne.yaml');

/** Every table with a `version` column, and how many rows the committed seeds give it. */
const SEEDED_ROWS: Record<string, number> = {
  source: 1,
  org_unit: 8,
  post: 2,
  person: 1,
  appointment: 2,
  mission: 6,
  responsibility: 23,
  relation: 4,
};
const SEEDED_RECORDS = Object.values(SEEDED_ROWS).reduce((a, b) => a + b, 0);

/** A unit as a seed file writes it, with room for keys the schema does not know. */
type SeedUnit = { slug: string; kind: string; name: string; parent?: string } & Record<
  string,
  unknown
>;

/** A small, valid seed file of its own: two units, a post and two people. */
function smallSeed() {
  return {
    organization: 'Organisation de test',
    sources: [{ slug: 'test-source', title: 'Source de test', publisher: 'Tests' }],
    units: <SeedUnit[]>[
      { slug: 'test-root', kind: 'PREFECTURE', name: 'Préfecture de test' },
      { slug: 'test-bureau', kind: 'BUREAU', name: 'Bureau de test', parent: 'test-root' },
    ],
    posts: [{ slug: 'test-chef', title: 'Chef du bureau', unit: 'test-bureau', head: true }],
    people: [
      { slug: 'test-alice', givenName: 'Alice', familyName: 'Martin' },
      { slug: 'test-bob', givenName: 'Bob', familyName: 'Durand' },
    ],
  };
}

/** Each invalid seed file: its content, and the path and reason its error must give. */
const INVALID: Array<[string, () => string, string, RegExp]> = [
  ['not YAML', () => 'units: [unclosed\n  name: : x\n', '(root)', /not valid YAML/],
  [
    'an unknown key',
    () => {
      const s = smallSeed();
      s.units[1] = { ...s.units[1], colour: 'blue' };
      return stringify(s);
    },
    'units[1]',
    /Unrecognized key: "colour"/,
  ],
  [
    'a kind that is not one',
    () => {
      const s = smallSeed();
      s.units[1].kind = 'DEPARTMENT';
      return stringify(s);
    },
    'units[1].kind',
    /Invalid option: expected one of .*"BUREAU"/,
  ],
  [
    'a slug that is not one',
    () => {
      const s = smallSeed();
      s.units[0].slug = 'Test Root';
      return stringify(s);
    },
    'units[0].slug',
    /must be a slug/,
  ],
  [
    'a missing required field',
    () => {
      const s = smallSeed();
      s.units[1] = { slug: 'test-bureau', kind: 'BUREAU', parent: 'test-root' } as SeedUnit;
      return stringify(s);
    },
    'units[1].name',
    /expected string, received undefined/,
  ],
  [
    'a reference to an unknown unit',
    () => {
      const s = smallSeed();
      s.posts[0].unit = 'no-such-unit';
      return stringify(s);
    },
    'posts[0].unit',
    /names no OrgUnit "no-such-unit"/,
  ],
  [
    'a reference to an unknown parent',
    () => {
      const s = smallSeed();
      s.units[1].parent = 'no-such-unit';
      return stringify(s);
    },
    'units[1].parent',
    /names no OrgUnit "no-such-unit"/,
  ],
  [
    'a parent cycle between two units',
    () => {
      const s = smallSeed();
      s.units[0].parent = 'test-bureau';
      return stringify(s);
    },
    'units[0]',
    /"test-root" depends on itself through a cycle/,
  ],
  [
    'a parent cycle with units already in the directory',
    () =>
      stringify({
        ...smallSeed(),
        units: [
          {
            slug: 'prefecture-seine-et-marne',
            kind: 'PREFECTURE',
            name: 'Préfecture de Seine-et-Marne',
            parent: 'cabinet-du-prefet-seine-et-marne',
          },
        ],
        posts: [],
      }),
    'units[0].parentId',
    /cannot be placed under itself or one of its descendants/,
  ],
  [
    'overlapping appointments on one post',
    () =>
      stringify({
        ...smallSeed(),
        appointments: [
          {
            post: 'test-chef',
            person: 'test-alice',
            startDate: '2020-01-01',
            endDate: '2021-12-31',
          },
          { post: 'test-chef', person: 'test-bob', startDate: '2021-06-01' },
        ],
      }),
    'appointments[1].startDate',
    /already has a holder over part of this period/,
  ],
  [
    'an endDate before the startDate',
    () =>
      stringify({
        ...smallSeed(),
        appointments: [
          {
            post: 'test-chef',
            person: 'test-alice',
            startDate: '2021-01-01',
            endDate: '2020-12-31',
          },
        ],
      }),
    'appointments[0].endDate',
    /endDate comes before startDate/,
  ],
  [
    'a mission with two owners',
    () =>
      stringify({
        ...smallSeed(),
        missions: [
          {
            slug: 'test-mission',
            title: 'Mission de test',
            ownerUnit: 'test-bureau',
            ownerPost: 'test-chef',
          },
        ],
      }),
    'missions[0]',
    /give exactly one of ownerUnit and ownerPost/,
  ],
  [
    'a NUL character in a name',
    () => {
      const s = smallSeed();
      s.units[1].name = 'Bureau\u0000 de test';
      return stringify(s);
    },
    'units[1].name',
    /name holds a NUL character \(U\+0000\)/,
  ],
  [
    'a control character in a family name',
    () => {
      const s = smallSeed();
      s.people[0].familyName = 'Mar\u0007tin';
      return stringify(s);
    },
    'people[0].familyName',
    /familyName holds a control character \(U\+0007\)/,
  ],
];

describe('seed loading', () => {
  let db: DataSource;
  let services: Services;
  let drop: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    const database = await freshDatabase();
    drop = database.drop;
    const config = loadConfig({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    db = await openDatabase(config, createLogger('silent'));
    services = createServices(config.database.dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-seeds-'));
  });
  afterAll(async () => {
    await db?.destroy();
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes a seed file into the temporary folder and returns its path. */
  function write(name: string, content: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  }

  /** The versions of every row of the seeded tables, keyed by table and slug (or id). */
  async function versions(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of Object.keys(SEEDED_ROWS)) {
      const key = table === 'appointment' ? 'id' : 'slug';
      const rows: Array<{ k: string; version: number }> = await db.query(
        `SELECT ${key} AS "k", version FROM ${table}`,
      );
      for (const row of rows) out[`${table}:${row.k}`] = Number(row.version);
    }
    return out;
  }

  async function rowCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of Object.keys(SEEDED_ROWS)) {
      const [row]: Array<{ n: string | number }> = await db.query(
        `SELECT COUNT(*) AS n FROM ${table}`,
      );
      out[table] = Number(row.n);
    }
    return out;
  }

  // Note: the tests of this file run in order on one database: first the committed seeds,
  // then invalid files against that state, then a changed seed.
  it('loads the committed seeds into an empty database, every record created once', async () => {
    const summary = await loadSeeds(db, services, seedFiles(SEEDS_DIR));
    expect(summary).toEqual({ created: SEEDED_RECORDS, updated: 0, unchanged: 0 });
    expect(await rowCounts()).toEqual(SEEDED_ROWS);
    const all = await versions();
    expect(Object.keys(all)).toHaveLength(SEEDED_RECORDS);
    expect(new Set(Object.values(all))).toEqual(new Set([1]));
  });

  it('changes nothing when the same seeds are loaded again', async () => {
    const before = await databaseFingerprint(db);
    const summary = await loadSeeds(db, services, seedFiles(SEEDS_DIR));
    expect(summary).toEqual({ created: 0, updated: 0, unchanged: SEEDED_RECORDS });
    expect(new Set(Object.values(await versions()))).toEqual(new Set([1]));
    expect(await databaseFingerprint(db)).toBe(before);
  });

  it('reads the committed seed file', () => {
    const seed = readSeedFile(COMMITTED);
    expect(seed.organization).toBe('Préfecture de Seine-et-Marne');
    expect(seed.units).toHaveLength(8);
    expect(seed.sources[0].sourceDate).toBe('2022-12-05');
  });

  describe.each(INVALID)('a seed file with %s', (_what, content, at, reason) => {
    /** Loads `files`, expecting a SeedError, and checks that nothing was written. */
    async function expectRejected(files: string[], file: string): Promise<SeedError> {
      const before = await databaseFingerprint(db);
      let error: unknown;
      try {
        await loadSeeds(db, services, files);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SeedError);
      const seedError = error as SeedError;
      expect(seedError.file).toBe(path.basename(file));
      expect(seedError.at).toBe(at === '(root)' ? '' : at);
      expect(seedError.reason).toMatch(reason);
      expect(seedError.message.startsWith(`${path.basename(file)}: ${at}: `)).toBe(true);
      expect(seedError.message).toMatch(reason);
      expect(await databaseFingerprint(db)).toBe(before);
      return seedError;
    }

    it('fails with a SeedError naming the file, the path and the reason, and writes nothing', async () => {
      const file = write(`invalid-${at.replace(/\W+/g, '-')}.yaml`, content());
      await expectRejected([file], file);
    });

    it('writes nothing either when it comes after a valid file in the same load', async () => {
      const valid = write(
        'a-valid.yaml',
        stringify({
          organization: 'Organisation valide',
          sources: [{ slug: 'valid-source', title: 'Source valide', publisher: 'Tests' }],
          units: [
            { slug: 'valid-unit', kind: 'OFFICE', name: 'Office valide' },
            {
              slug: 'valid-commission',
              kind: 'COMMISSION',
              name: 'Commission valide',
              parent: 'valid-unit',
            },
          ],
        }),
      );
      expect(readSeedFile(valid).units).toHaveLength(2);
      const file = write('b-invalid.yaml', content());
      await expectRejected([valid, file], file);
      const [row]: Array<{ n: string | number }> = await db.query(
        `SELECT COUNT(*) AS n FROM org_unit WHERE slug LIKE 'valid-%'`,
      );
      expect(Number(row.n)).toBe(0);
    });
  });

  it('loads a valid file of its own once, and then finds it unchanged', async () => {
    const file = write('small.yaml', stringify(smallSeed()));
    expect(await loadSeeds(db, services, [file])).toEqual({ created: 6, updated: 0, unchanged: 0 });
    expect(await loadSeeds(db, services, [file])).toEqual({ created: 0, updated: 0, unchanged: 6 });
    const rows: Array<{ slug: string; parentSlug: string | null }> = await db.query(
      `SELECT u.slug, p.slug AS "parentSlug" FROM org_unit u
       LEFT JOIN org_unit p ON p.id = u."parentId" WHERE u.slug LIKE 'test-%' ORDER BY u.slug`,
    );
    expect(rows).toEqual([
      { slug: 'test-bureau', parentSlug: 'test-root' },
      { slug: 'test-root', parentSlug: null },
    ]);
  });

  it('rejects two overlapping appointments of one person to one post without start dates', async () => {
    const file = write(
      'same-holder-twice.yaml',
      stringify({
        ...smallSeed(),
        appointments: [
          { post: 'test-chef', person: 'test-alice', endDate: '2019-12-31' },
          { post: 'test-chef', person: 'test-alice', note: 'Toujours en poste.' },
        ],
      }),
    );
    const before = await databaseFingerprint(db);
    await expect(loadSeeds(db, services, [file])).rejects.toThrow(/appointments\[1\].*twice/);
    expect(await databaseFingerprint(db)).toBe(before);
  });

  it('rejects a unit slug given twice in one file', async () => {
    const s = smallSeed();
    const file = write(
      'twice.yaml',
      stringify({
        ...s,
        units: [...s.units, { slug: 'test-bureau', kind: 'OFFICE', name: 'Autre bureau' }],
      }),
    );
    const before = await databaseFingerprint(db);
    await expect(loadSeeds(db, services, [file])).rejects.toThrow(/units\[2\]\.slug.*twice/);
    expect(await databaseFingerprint(db)).toBe(before);
  });

  it('updates only the unit whose name changed in a copy of the committed seed, to version 2', async () => {
    const slug = 'direction-des-securites-seine-et-marne';
    const original = fs.readFileSync(COMMITTED, 'utf8');
    const changed = original.replace(
      'name: Direction des sécurités\n',
      'name: Direction des sécurités intérieures\n',
    );
    expect(changed).not.toBe(original);
    const copy = write('prefecture-seine-et-marne.yaml', changed);
    const versionsBefore = await versions();
    const found = async () =>
      (await services.search.search(db, 'interieures', ['OrgUnit'], 0, 10)).hits.map(
        (h) => h.entityId,
      );
    expect(await found()).toEqual([]);

    const summary = await loadSeeds(db, services, [copy]);
    expect(summary).toEqual({ created: 0, updated: 1, unchanged: SEEDED_RECORDS - 1 });

    const [unit]: Array<{ name: string; version: number }> = await db.query(
      `SELECT name, version FROM org_unit WHERE slug = '${slug}'`,
    );
    expect({ name: unit.name, version: Number(unit.version) }).toEqual({
      name: 'Direction des sécurités intérieures',
      version: 2,
    });
    const versionsAfter = await versions();
    expect(versionsAfter).toEqual({ ...versionsBefore, [`org_unit:${slug}`]: 2 });
    expect(await found()).toEqual([seedUuid('OrgUnit', slug)]);

    // Loading the changed copy again changes nothing more.
    expect(await loadSeeds(db, services, [copy])).toEqual({
      created: 0,
      updated: 0,
      unchanged: SEEDED_RECORDS,
    });
    expect(await versions()).toEqual(versionsAfter);
  });
});
