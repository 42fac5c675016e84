import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { DataSource } from 'typeorm';
import { freshDatabase, startTestGateway, TestGateway } from './helpers/gateway';
import { databaseFingerprint } from './helpers/snapshot';
import { openDatabase } from '../src/app/gateway';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import type { Services } from '../src/graphql/context';
import { createServices } from '../src/app/services';
import { importAnnuaire, importAnnuaireFile } from '../src/modules/import/annuaire-import';
import { importUuid } from '../src/modules/import/annuaire-values';
import { toGlobalId } from '../src/modules/node/global-id';
import { UnitByExternalIdDocument } from './generated/graphql';
import {
  IMPORTED_TYPES,
  ImportAbortedError,
  ImportFileError,
  ImportResult,
} from '../src/modules/import/import-report';
import { ChangeEntry } from '../src/modules/changelog/change-entry.entity';
import { OrgUnit } from '../src/modules/org-unit/org-unit.entity';
import { Appointment } from '../src/modules/person/appointment.entity';
import { ExternalIdentifier } from '../src/modules/source/external-identifier.entity';

/**
 * The import of files in the national directory's export format (`npm run import -- --format
 * annuaire`), on fresh databases: what it writes and reports, that a rerun changes nothing,
 * that a dry run and an aborted import write nothing; then its services over HTTP, and the
 * built CLI.
 */

const FIXTURES = path.join(__dirname, 'fixtures', 'annuaire');
const SERVICES = path.join(FIXTURES, 'services.json');
const LATER = path.join(FIXTURES, 'services-later.json');
const MALFORMED = path.join(FIXTURES, 'malformed.json');
const CLI = path.join(__dirname, '..', 'dist', 'cli', 'import.js');

/** National ids of the fixture services, and the ids they link to that exist nowhere. */
const ID = {
  prefecture: '01ee18b6-5ffc-498b-9650-95982d6513eb',
  cabinet: '2dd9334c-ca9e-49cf-9416-febbea29fc69',
  direction: 'df07b67d-46f6-496b-93aa-e41565aa2f38',
  bureau: 'f72dd174-04e8-4faf-a4a4-abf2c02c67fc',
  commission: '5c62c58a-4b34-4cff-944f-059380c535d4',
  missingChild: 'fe80bb09-99c6-4b44-9980-9b49e697df0a',
  missingUnderAuthority: '69ec999f-b088-46e5-ba8a-85a29b063a5e',
  valid: '0c9e9d7a-5cd7-4b5a-8ffa-3429d96c2ba9',
  validParent: 'cce8fc65-712a-45e6-a4d7-7b17f9ffdaaf',
  brokenJson: '9710574c-48d5-4998-b9e2-741173cb2c82',
};
const slug = (id: string) => `annuaire-${id}`;

/** Everything an import can write, the change log and identifiers included. */
async function everything(db: DataSource): Promise<string> {
  const log = await db.query('SELECT "entityId", operation, version, actor FROM change_log');
  const ids = await db.query('SELECT * FROM external_identifier ORDER BY scheme, value');
  return `${await databaseFingerprint(db)}\n${JSON.stringify(log)}\n${JSON.stringify(ids)}`;
}

/** Created + updated over every record type. */
function changes(result: ImportResult): number {
  return IMPORTED_TYPES.reduce(
    (n, t) => n + result.summary[t].created + result.summary[t].updated,
    0,
  );
}

/** Opens a fresh, migrated database with the services. */
async function openFresh() {
  const database = await freshDatabase();
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const db = await openDatabase(config, createLogger('silent'));
  return { database, db, services: createServices(config.database.dialect) };
}

describe('Annuaire import', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let services: Services;
  beforeAll(async () => ({ database, db, services } = await openFresh()));
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('a dry run writes nothing and says what it would create', async () => {
    const before = await everything(db);
    const result = await importAnnuaireFile(db, services, SERVICES, { dryRun: true });
    expect(result).toMatchObject({ dryRun: true, records: 5, imported: 5, skipped: 0 });
    expect(result.summary.OrgUnit).toEqual({ created: 5, updated: 0, unchanged: 0 });
    expect(result.summary.Relation.created).toBe(1);
    expect(await everything(db)).toBe(before);
  });

  it('imports the services, parents first, with their identifiers, posts, people and missions', async () => {
    const progress: string[] = [];
    const result = await importAnnuaireFile(db, services, SERVICES, {
      onProgress: (p) => progress.push(`${p.phase} ${p.done}/${p.total}`),
    });
    expect(result.summary).toMatchObject({
      Source: { created: 1 },
      OrgUnit: { created: 5 },
      // The cabinet shares the prefecture's SIRET and SIREN: both units keep them.
      ExternalIdentifier: { created: 11 },
      Post: { created: 5 },
      Person: { created: 4 },
      Appointment: { created: 4 },
      Mission: { created: 3 },
      Relation: { created: 1 },
    });
    expect(progress).toContain('services 5/5');

    const units = db.getRepository(OrgUnit);
    const unit = async (id: string) => units.findOneByOrFail({ slug: slug(id) });
    const prefecture = await unit(ID.prefecture);
    expect(prefecture).toMatchObject({
      uuid: importUuid('OrgUnit', ID.prefecture),
      name: 'Préfecture de test du Val-Fictif',
      acronym: 'PTVF',
      kind: 'PREFECTURE',
      parentId: null,
    });
    // Note: the direction's id is upper-case in the file, and the bureau comes before its parent.
    expect(await unit(ID.cabinet)).toMatchObject({ kind: 'CABINET', parentId: prefecture.uuid });
    const direction = await unit(ID.direction);
    expect(direction).toMatchObject({ kind: 'DIRECTORATE', parentId: prefecture.uuid });
    expect(await unit(ID.bureau)).toMatchObject({ kind: 'BUREAU', parentId: direction.uuid });
    expect(await unit(ID.commission)).toMatchObject({ kind: 'SERVICE', parentId: null });

    const ids = await db.getRepository(ExternalIdentifier).findBy({ entityId: prefecture.uuid });
    expect(ids.map((i) => `${i.scheme}:${i.value}`).sort()).toEqual([
      `annuaire:${ID.prefecture}`,
      'itm:990001',
      'siren:990000000',
      'siret:99000000000017',
    ]);
    const [source] = await db.query(`SELECT * FROM source WHERE slug = 'annuaire-import-services'`);
    expect(source).toMatchObject({
      title: "Annuaire de l'administration",
      publisher: "Annuaire de l'administration",
      sourceDate: '2023-03-15',
    });
  });

  it("logs every record as CREATED by import:<file>, then each unit's identifiers", async () => {
    const entries = await db.getRepository(ChangeEntry).find({ order: { sequence: 'ASC' } });
    const created = entries.filter((e) => e.operation === 'CREATED');
    expect(created).toHaveLength(23);
    expect(new Set(entries.map((e) => e.actor))).toEqual(new Set(['import:services.json']));
    const units = created.filter((e) => e.entityType === 'OrgUnit').map((e) => e.entityId);
    expect(units).toContain(importUuid('OrgUnit', ID.bureau));
    // Each unit's identifiers in other systems: one UPDATED entry after its creation.
    const identified = entries.filter((e) => e.operation === 'UPDATED');
    expect(identified.map((e) => e.entityId).sort()).toEqual([...units].sort());
    const bureau = identified.find((e) => e.entityId === importUuid('OrgUnit', ID.bureau))!;
    expect(bureau).toMatchObject({ entityType: 'OrgUnit', version: 2 });
    expect(Object.keys(bureau.changes)).toEqual(['externalIds']);
    expect(bureau.changes.externalIds.before).toEqual([]);
    expect(bureau.changes.externalIds.after).toContainEqual({
      scheme: 'annuaire',
      value: ID.bureau,
    });
  });

  it('reports links to ids that are nowhere, and warnings, without failing', async () => {
    const result = await importAnnuaireFile(db, services, SERVICES, { dryRun: true });
    expect(result.problems.filter((p) => p.kind === 'missing-link')).toEqual([
      expect.objectContaining({
        index: 1,
        id: ID.prefecture,
        missingId: ID.missingChild,
        reason: expect.stringMatching(/hierarchie\[2\] \(Service Fils\).*neither in the file/),
      }),
      expect.objectContaining({
        index: 3,
        id: ID.cabinet,
        missingId: ID.missingUnderAuthority,
        reason: expect.stringMatching(/hierarchie\[1\] \(Autre hiérarchie\)/),
      }),
    ]);
    const warnings = result.problems.filter((p) => p.kind === 'warning');
    expect(warnings.map((w) => `${w.index} ${w.reason}`)).toEqual([
      '4 unknown type_organisme "Comité consultatif": a new unit is a SERVICE, an existing one keeps its kind',
      '4 date_modification "31/02/2023" is not a date: ignored',
    ]);
  });

  it('a second run changes nothing and logs nothing', async () => {
    const before = await everything(db);
    const result = await importAnnuaireFile(db, services, SERVICES);
    expect(changes(result)).toBe(0);
    expect(result.summary.OrgUnit.unchanged).toBe(5);
    expect(await everything(db)).toBe(before);
  });

  it('a later export updates what changed and ends the previous holder', async () => {
    const result = await importAnnuaireFile(db, services, LATER);
    // One unit changed; the four others now also cite the later file: a new version each.
    expect(result.summary).toMatchObject({
      OrgUnit: { created: 0, updated: 5, unchanged: 0 },
      Person: { created: 1 },
      Appointment: { created: 1, updated: 4 },
    });
    const sources: string[] = (await db.query('SELECT id FROM source')).map(
      (r: { id: string }) => r.id,
    );
    expect(sources).toHaveLength(2);
    const entries = await db
      .getRepository(ChangeEntry)
      .find({ where: { actor: 'import:services-later.json', entityType: 'OrgUnit' } });
    const citedOnly = entries.filter((e) => Object.keys(e.changes).join() === 'sources');
    expect(citedOnly).toHaveLength(4);
    for (const entry of citedOnly) {
      // Version 1 created it, 2 gave it its identifiers, 3 cites the later file.
      expect(entry).toMatchObject({ operation: 'UPDATED', version: 3 });
      const { before, after } = entry.changes.sources as { before: string[]; after: string[] };
      expect(before).toHaveLength(1);
      expect(sources).toContain(before[0]);
      expect([...after].sort()).toEqual([...sources].sort());
    }
    const post = importUuid('Post', `${ID.prefecture}/prefete`);
    const holders = await db.getRepository(Appointment).find({ where: { postId: post } });
    expect(holders.map((a) => [a.startDate, a.endDate]).sort()).toEqual([
      [null, '2023-06-01'],
      ['2023-06-02', null],
    ]);
    expect(changes(await importAnnuaireFile(db, services, LATER))).toBe(0);
  });

  it('refuses a file that is not an export', async () => {
    await expect(importAnnuaireFile(db, services, __filename)).rejects.toThrow(ImportFileError);
  });
});

describe('Annuaire import of identifiers shared or taken', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let services: Services;
  beforeAll(async () => ({ database, db, services } = await openFresh()));
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('lets services share a SIREN, but keeps a national id with the first service that has it', async () => {
    const first = 'a1111111-1111-4111-8111-111111111111';
    const second = 'b2222222-2222-4222-8222-222222222222';
    const service = (id: string, nom: string) => ({
      id,
      nom,
      itm_identifiant: '990777',
      siren: '990000001',
    });
    const result = await importAnnuaire(db, services, 'shared.json', {
      service: [service(first, 'Service A de test'), service(second, 'Service B de test')],
    });
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        id: second,
        kind: 'warning',
        reason: 'itm 990777 already identifies another unit: left there',
      }),
    );
    const held = async (id: string) =>
      (
        await db.getRepository(ExternalIdentifier).find({
          where: { entityId: importUuid('OrgUnit', id) },
          order: { scheme: 'ASC' },
        })
      ).map(({ scheme, value }) => ({ scheme, value }));
    expect(await held(first)).toEqual([
      { scheme: 'annuaire', value: first },
      { scheme: 'itm', value: '990777' },
      { scheme: 'siren', value: '990000001' },
    ]);
    expect(await held(second)).toEqual([
      { scheme: 'annuaire', value: second },
      { scheme: 'siren', value: '990000001' },
    ]);
  });
});

describe('Annuaire import of malformed records', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let services: Services;
  beforeAll(async () => ({ database, db, services } = await openFresh()));
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('aborts by default, naming each record and why, with nothing written', async () => {
    const before = await everything(db);
    const error = await importAnnuaireFile(db, services, MALFORMED).catch((e) => e);
    expect(error).toBeInstanceOf(ImportAbortedError);
    const malformed = (error as ImportAbortedError).problems.filter((p) => p.kind === 'malformed');
    expect(malformed.map((p) => [p.index, p.reason])).toEqual([
      [1, 'not an object'],
      [2, 'no id'],
      [3, 'id "pas-un-uuid" is not a UUID'],
      [4, 'no nom'],
      [5, expect.stringMatching(/^hierarchie holds JSON that does not parse/)],
    ]);
    expect(await everything(db)).toBe(before);
  });

  it('with skip, imports the others and reports the link to the left-out record', async () => {
    const result = await importAnnuaireFile(db, services, MALFORMED, { onError: 'skip' });
    expect(result).toMatchObject({ records: 7, imported: 2, skipped: 5 });
    const valid = await db.getRepository(OrgUnit).findOneByOrFail({ slug: slug(ID.valid) });
    expect(valid.parentId).toBe(importUuid('OrgUnit', ID.validParent));
    expect(result.problems.filter((p) => p.kind === 'missing-link')).toEqual([
      expect.objectContaining({
        index: 6,
        missingId: ID.brokenJson,
        reason: expect.stringMatching(/left out of the import \(service\[5\]\)/),
      }),
    ]);
    expect(await db.getRepository(OrgUnit).countBy({ slug: slug(ID.brokenJson) })).toBe(0);
  });
});

describe('Annuaire import of a record a service rejects', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;
  let services: Services;
  const prefete = importUuid('Post', `${ID.prefecture}/prefete`);
  beforeAll(async () => {
    ({ database, db, services } = await openFresh());
    await importAnnuaireFile(db, services, SERVICES);
    // An editor records that Alice left and that someone else holds the post from 2023-06-05:
    // the file, older, still names Alice, and reappointing her would overlap.
    await db.transaction(async (em) => {
      const ctx = { em, actor: 'test:editor' };
      const alice = await em.getRepository(Appointment).findOneByOrFail({ postId: prefete });
      await services.people.endAppointment(ctx, alice.uuid, '2023-06-01', alice.version);
      await services.people.startAppointment(ctx, {
        postId: prefete,
        newPerson: { slug: 'editeur-test', givenName: 'Bob', familyName: 'Éditeur' },
        startDate: '2023-06-05',
      });
    });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('aborts by default, naming the record and the rule, with nothing written', async () => {
    const before = await everything(db);
    const error = await importAnnuaireFile(db, services, SERVICES).catch((e) => e);
    expect(error).toBeInstanceOf(ImportAbortedError);
    expect((error as ImportAbortedError).problems).toContainEqual(
      expect.objectContaining({
        index: 1,
        kind: 'rejected',
        reason: expect.stringMatching(/already has a holder/),
      }),
    );
    expect(await everything(db)).toBe(before);
  });

  it('with skip, rolls back that record only: its earlier writes are undone', async () => {
    const before = await everything(db);
    const result = await importAnnuaireFile(db, services, SERVICES, { onError: 'skip' });
    expect(result).toMatchObject({ records: 5, imported: 4, skipped: 1 });
    expect(result.problems).toContainEqual(expect.objectContaining({ index: 1, kind: 'rejected' }));
    expect(changes(result)).toBe(0);
    // Note: before failing, the record ended the editor's open appointment; that is undone.
    expect(await everything(db)).toBe(before);
  });
});

describe('Imported services over GraphQL', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
    await importAnnuaireFile(gw.db, gw.services, SERVICES);
  });
  afterAll(() => gw?.stop());

  it('finds them by text, with their parent, children, posts, holders, missions and relations', async () => {
    const found = await gw.gql<{ units: { nodes: Array<{ slug: string }> } }>(
      '{ units(filter: { text: "val fictif" }) { nodes { slug } } }',
    );
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data!.units.nodes.map((n) => n.slug)).toEqual([slug(ID.prefecture)]);

    const res = await gw.gql(
      `query ($slug: String!) {
        unit(slug: $slug) {
          name kind
          parent { slug }
          children { nodes { slug } }
          posts { title holder { givenName familyName } }
          missions { title description }
          relations { type direction other { ... on OrgUnit { slug } } }
        }
      }`,
      { slug: slug(ID.direction) },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      unit: {
        name: 'Direction de la citoyenneté de test',
        kind: 'DIRECTORATE',
        parent: { slug: slug(ID.prefecture) },
        children: { nodes: [{ slug: slug(ID.bureau) }] },
        posts: [
          { title: 'Directeur', holder: { givenName: 'Bob', familyName: 'Exemple' } },
          { title: 'Chargée de mission', holder: { givenName: 'Carole', familyName: 'Fictive' } },
          { title: 'Chargée de mission', holder: { givenName: 'Diane', familyName: 'Essai' } },
          { title: 'Adjoint au directeur', holder: null },
        ],
        missions: [],
        relations: [],
      },
    });

    const bureau = await gw.gql<{
      unit: { missions: unknown[]; relations: unknown[] };
    }>(
      `{ unit(slug: "${slug(ID.bureau)}") {
        missions { title }
        relations { type direction other { ... on OrgUnit { slug } } }
      } }`,
    );
    expect(bureau.body.data!.unit).toEqual({
      missions: [{ title: "Délivrer les titres fictifs de l'exemple." }],
      relations: [
        { type: 'UNDER_AUTHORITY_OF', direction: 'OUTGOING', other: { slug: slug(ID.cabinet) } },
      ],
    });
  });

  it('finds a unit by its identifier in another system, and refuses a malformed lookup', async () => {
    const lookup = (args: string) =>
      gw.gql<{ unit: { slug: string } | null }>(`{ unit(${args}) { slug } }`);
    const byNationalId = await gw.gql(UnitByExternalIdDocument, {
      scheme: 'annuaire',
      value: ID.bureau,
    });
    expect(byNationalId.body.errors).toBeUndefined();
    expect(byNationalId.body.data!.unit).toMatchObject({
      slug: slug(ID.bureau),
      externalIds: expect.arrayContaining([{ scheme: 'annuaire', value: ID.bureau }]),
    });
    const byItm = await lookup('externalId: { scheme: "itm", value: "990001" }');
    expect(byItm.body.data!.unit).toEqual({ slug: slug(ID.prefecture) });
    // A SIREN is the legal entity's: the prefecture and its cabinet share it.
    const shared = await gw.gql<{ units: { nodes: Array<{ slug: string }> } }>(
      '{ units(filter: { externalId: { scheme: "siren", value: "990000000" } }) { nodes { slug } } }',
    );
    expect(shared.body.errors).toBeUndefined();
    expect(shared.body.data!.units.nodes.map((n) => n.slug).sort()).toEqual(
      [slug(ID.prefecture), slug(ID.cabinet)].sort(),
    );
    const ambiguous = await lookup('externalId: { scheme: "siren", value: "990000000" }');
    expect(ambiguous.body.data?.unit ?? null).toBeNull();
    expect(ambiguous.body.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'externalId',
      units: 2,
    });
    const unknown = await lookup(`externalId: { scheme: "annuaire", value: "${ID.missingChild}" }`);
    expect(unknown.body.errors).toBeUndefined();
    expect(unknown.body.data).toEqual({ unit: null });

    const before = await databaseFingerprint(gw.db);
    for (const [args, argumentName] of [
      [`slug: "x", externalId: { scheme: "siren", value: "990000000" }`, 'id'],
      ['externalId: { scheme: "", value: "990000000" }', 'externalId.scheme'],
      [`externalId: { scheme: "siren", value: "${'9'.repeat(5000)}" }`, 'externalId.value'],
    ]) {
      const res = await lookup(args);
      expect(res.body.data?.unit ?? null).toBeNull();
      expect(res.body.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName,
      });
    }
    expect(await databaseFingerprint(gw.db)).toBe(before);
  });

  it('exports their identifiers: in the snapshot, in annuaire.json, as org:identifier in JSON-LD', async () => {
    const id = toGlobalId('OrgUnit', importUuid('OrgUnit', ID.prefecture));
    const expected = [
      { scheme: 'annuaire', value: ID.prefecture },
      { scheme: 'itm', value: '990001' },
      { scheme: 'siren', value: '990000000' },
      { scheme: 'siret', value: '99000000000017' },
    ];
    const snapshot = (await (await gw.raw('/export/snapshot.ndjson')).text())
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(snapshot.find((r) => r.id === id).externalIds).toEqual(expected);
    const annuaire = (await (await gw.raw('/export/annuaire.json')).json()) as {
      service: Array<Record<string, unknown>>;
    };
    expect(
      annuaire.service.find((r) => r.id === importUuid('OrgUnit', ID.prefecture)),
    ).toMatchObject({ itm_identifiant: '990001', siret: '99000000000017', siren: '990000000' });
    const graph = (await (await gw.raw('/export/org.jsonld')).json()) as {
      '@graph': Array<Record<string, unknown>>;
    };
    const node = graph['@graph'].find((n) => n.identifier === id)!;
    expect(node.orgIdentifier).toEqual(
      expected.map(({ scheme, value }) => ({
        '@value': value,
        '@type': `annuaire:identifier-${scheme}`,
      })),
    );
  });

  it('shows a later file citing an unchanged unit in its history, sources as global ids', async () => {
    await importAnnuaireFile(gw.db, gw.services, LATER);
    const res = await gw.gql<{
      unit: {
        id: string;
        version: number;
        sources: Array<{ id: string }>;
        externalIds: Array<{ scheme: string; value: string }>;
        history: {
          nodes: Array<{
            version: number;
            operation: string;
            changedFields: Array<{ field: string; before: unknown; after: unknown }>;
          }>;
        };
      };
    }>(
      `{ unit(slug: "${slug(ID.cabinet)}") {
        id version sources { id } externalIds { scheme value }
        history(first: 10) { nodes { version operation changedFields { field before after } } }
      } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const unit = res.body.data!.unit;
    expect(unit.version).toBe(3);
    expect(unit.sources).toHaveLength(2);
    expect(unit.externalIds).toContainEqual({ scheme: 'annuaire', value: ID.cabinet });
    const latest = unit.history.nodes.find((n) => n.version === 3)!;
    expect(latest.operation).toBe('UPDATED');
    expect(latest.changedFields).toHaveLength(1);
    const [change] = latest.changedFields;
    expect(change.field).toBe('sources');
    expect(change.after).toEqual(expect.arrayContaining(unit.sources.map((s) => s.id)));
    expect(change.before).toHaveLength(1);
  });
});

describe('npm run import (the built CLI)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: DataSource;

  /** Runs the CLI on the test database. */
  function cli(...args: string[]) {
    const run = spawnSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
      encoding: 'utf8',
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  beforeAll(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
    ({ database, db } = await openFresh());
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('refuses a format other than annuaire', () => {
    const run = cli('--format', 'csv', SERVICES);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/Allowed choices are annuaire/);
  });

  it('--dry-run prints what would be created and writes nothing', async () => {
    const before = await everything(db);
    const run = cli('--format', 'annuaire', SERVICES, '--dry-run');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^OrgUnit\s+5\s+0\s+0$/m);
    expect(run.stdout).toMatch(/nothing was written/);
    expect(await everything(db)).toBe(before);
  });

  it('imports, with plain progress lines and the missing links on stderr', async () => {
    const run = cli('--format', 'annuaire', SERVICES);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^OrgUnit\s+5\s+0\s+0$/m);
    expect(run.stderr).toMatch(/^services: 5\/5$/m);
    expect(run.stderr).toContain(
      `missing-link: hierarchie[2] (Service Fils) names ${ID.missingChild}`,
    );
    const actors = await db.query(
      `SELECT DISTINCT actor, operation FROM change_log ORDER BY operation`,
    );
    expect(actors).toEqual([
      { actor: 'import:services.json', operation: 'CREATED' },
      { actor: 'import:services.json', operation: 'UPDATED' },
    ]);
  });

  it('a second run prints all unchanged', async () => {
    const before = await everything(db);
    const run = cli('--format', 'annuaire', SERVICES);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^OrgUnit\s+0\s+0\s+5$/m);
    expect(run.stdout).toMatch(/All unchanged/);
    expect(await everything(db)).toBe(before);
  });

  it('aborts on a malformed file with a non-zero exit, the index and the reason', async () => {
    const before = await everything(db);
    const run = cli('--format', 'annuaire', MALFORMED);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('service[3]: malformed: id "pas-un-uuid" is not a UUID');
    expect(run.stderr).toMatch(/Import aborted.*nothing was written/);
    expect(await everything(db)).toBe(before);
  });

  it('--on-error skip imports the well-formed records', async () => {
    const run = cli('--format', 'annuaire', MALFORMED, '--on-error', 'skip');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/7 record\(s\), 2 imported, 5 skipped/);
    expect(await db.getRepository(OrgUnit).countBy({ slug: slug(ID.valid) })).toBe(1);
  });
});
