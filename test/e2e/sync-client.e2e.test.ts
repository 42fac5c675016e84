import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { forward, readBody } from '../helpers/forward';
import { freshDatabase, startTestGateway, TestGateway } from '../helpers/gateway';
import { servedExport } from '../helpers/canonical-export';
import { OrgChartDocument, SearchDocument, UnitCardDocument } from '../generated/graphql';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { openDatabase } from '../../src/app/gateway';
import { NodeType, toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { ChangeEntry } from '../../src/modules/changelog/change-entry.entity';
import { OrgUnit } from '../../src/modules/org-unit/org-unit.entity';
import {
  compactChangeLog,
  decodeFeedCursor,
  headSequence,
} from '../../src/modules/sync/change-feed';
import { SyncState } from '../../src/modules/sync/sync-state.entity';
import { createServices } from '../../src/app/services';
import { importAnnuaireFile } from '../../src/modules/import/annuaire-import';
import { importUuid } from '../../src/modules/import/annuaire-values';

/** National id of the prefecture of the import fixtures. */
const FIXTURE_PREFECTURE = '01ee18b6-5ffc-498b-9650-95982d6513eb';

/**
 * The sync client end to end: gateway A on its database, the built CLI (`npm run sync`)
 * mirroring it into another database, killed mid-way and resumed, and gateway B started on the
 * mirror serving the same export and the same answers as A.
 */

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli', 'sync.js');
const seeded = (type: NodeType, slug: string) => toGlobalId(type, seedUuid(type, slug));
const DIRSEC = seeded('OrgUnit', 'direction-des-securites-seine-et-marne');
const COMMUNICATION = seeded('OrgUnit', 'bureau-communication-interministerielle-seine-et-marne');
const REPRESENTATION = seeded('OrgUnit', 'bureau-representation-etat-seine-et-marne');
const MEMOIRE = seeded('OrgUnit', 'commission-departementale-memoire-seine-et-marne');
const ONACVG = seeded('OrgUnit', 'onacvg');
const DIRCAB = seeded('Post', 'directeur-cabinet-prefet-seine-et-marne');

/** A running CLI: its output lines as they come, and its exit. */
interface CliRun {
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /**
   * The next line matching `re` (lines before it are passed over for good), or a rejection if
   * the process exits first.
   */
  line(re: RegExp): Promise<string>;
  kill(signal: NodeJS.Signals): void;
}

function startCli(args: string[]): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let consumed = 0;
  let waiting: { re: RegExp; resolve: (l: string) => void } | null = null;
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    if (waiting?.re.test(line)) {
      consumed = lines.length;
      const { resolve } = waiting;
      waiting = null;
      resolve(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  ).then((r) => ({ ...r, stderr }));
  return {
    lines,
    exited,
    line: (re) =>
      new Promise((resolve, reject) => {
        const index = lines.findIndex((l, i) => i >= consumed && re.test(l));
        if (index >= 0) {
          consumed = index + 1;
          return resolve(lines[index]);
        }
        consumed = lines.length;
        waiting = { re, resolve };
        void exited.then(({ code, signal }) =>
          reject(
            new Error(
              `sync exited (${code ?? signal}) before printing ${re}: ${lines.join(' | ')} ${stderr}`,
            ),
          ),
        );
      }),
    kill: (signal) => child.kill(signal),
  };
}

/** Runs the CLI to its end; fails unless it exits 0. */
async function runCli(args: string[]): Promise<string[]> {
  const run = startCli(args);
  const { code, signal, stderr } = await run.exited;
  if (code !== 0)
    throw new Error(`sync exited (${code ?? signal}): ${run.lines.join('\n')}\n${stderr}`);
  return run.lines;
}

/**
 * An HTTP proxy to `origin`, through which the CLI reaches A. After `holdAfter(n)`, it answers
 * n more feed pages and then holds the next one unanswered: a sync through it stops at a known
 * change, deterministically. With `cutSnapshots`, it sends only half of each snapshot.
 */
async function feedProxy(origin: string) {
  let allowed = Infinity;
  let cut = false;
  let onHeld: () => void = () => undefined;
  const server = http.createServer(async (req, res) => {
    const body = (await readBody(req)).toString();
    if (body.includes('ChangesPage') && allowed-- <= 0) return onHeld();
    const upstream = await forward(origin, req, body);
    res.writeHead(upstream.status, { 'content-type': upstream.contentType });
    let payload = upstream.payload;
    if (cut && req.url === '/export/snapshot.ndjson') {
      const lines = payload.toString().split('\n');
      payload = Buffer.from(lines.slice(0, lines.length / 2).join('\n'));
    }
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    /** Holds the feed page after the next `pages`; resolves once one is held. */
    holdAfter(pages: number): Promise<void> {
      allowed = pages;
      return new Promise((resolve) => (onHeld = resolve));
    },
    cutSnapshots(on: boolean) {
      cut = on;
    },
    /** Answers every request again; held ones are dropped. */
    release() {
      allowed = Infinity;
      server.closeAllConnections();
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('npm run sync: gateway B mirrors gateway A', () => {
  let a: TestGateway;
  let b: TestGateway | null = null;
  let mirror: { url: string; drop: () => Promise<void> };
  let editor: Record<string, string>;
  let syncKey: string;
  let proxy: Awaited<ReturnType<typeof feedProxy>>;
  const cli = (...args: string[]) => [
    '--from',
    proxy.url,
    '--key',
    syncKey,
    '--database',
    mirror.url,
    ...args,
  ];

  beforeAll(async () => {
    a = await startTestGateway();
    editor = { authorization: `Bearer ${(await a.auth.keys.create('editor', Role.EDITOR)).key}` };
    syncKey = (await a.auth.keys.create('ministry mirror', Role.SYNC)).key;
    mirror = await freshDatabase();
    proxy = await feedProxy(a.origin);
  });
  afterAll(async () => {
    proxy.close();
    await b?.stop();
    await a.stop();
    await mirror.drop();
  });

  /** Runs a mutation on A that must succeed; returns its payload's record. */
  async function mutate(
    name: string,
    input: Record<string, unknown>,
    record: string,
  ): Promise<{ id: string; version: number }> {
    const inputType = `${name[0].toUpperCase()}${name.slice(1)}Input`;
    const res = await a.gql<
      Record<string, Record<string, { id: string; version: number }> & { userErrors: unknown[] }>
    >(
      `mutation Run($input: ${inputType}!) { ${name}(input: $input) { ${record} { id version } userErrors { code message } } }`,
      { input },
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data![name].userErrors).toEqual([]);
    return res.body.data![name][record];
  }

  /** The version of a record on A, for `expectedVersion`. */
  async function versionOf(id: string): Promise<number> {
    const res = await a.gql<{ node: { version: number } }>(
      `query($id: ID!) { node(id: $id) { version } }`,
      { id },
    );
    return res.body.data!.node.version;
  }

  /** Stored state of the mirror database, read with a connection of its own. */
  async function mirrorState(): Promise<SyncState | null> {
    const db = await openDatabase(
      loadConfig({ ...process.env, DATABASE_URL: mirror.url }),
      createLogger('silent'),
    );
    try {
      return (await db.getRepository(SyncState).find({ take: 1 }))[0] ?? null;
    } finally {
      await db.destroy();
    }
  }

  /** The sequences of A's change log after `sequence`, in order. */
  async function sequencesAfter(sequence: number): Promise<number[]> {
    const rows = await a.db
      .getRepository(ChangeEntry)
      .createQueryBuilder('c')
      .select('c.sequence', 'sequence')
      .where('c.sequence > :sequence', { sequence })
      .orderBy('c.sequence')
      .getRawMany<{ sequence: number }>();
    return rows.map((r) => Number(r.sequence));
  }

  /**
   * The sequences of A's entries that only record that a record moved along with a unit above
   * it (no changed field, version unchanged): a full copy already has them and skips them.
   */
  async function alongMovesAfter(sequence: number): Promise<number[]> {
    const rows = await a.db.getRepository(ChangeEntry).find({ order: { sequence: 'ASC' } });
    return rows
      .filter((r) => r.sequence > sequence && Object.keys(r.changes).length === 0)
      .map((r) => r.sequence);
  }

  /** A and B serve the same canonical export and the same answers to a few reads. */
  async function expectSameAnswers(gateway: TestGateway, unitSlugs: string[]) {
    expect(await servedExport(gateway.origin)).toEqual(await servedExport(a.origin));
    const reads: Array<[Parameters<TestGateway['gql']>[0], Record<string, unknown>]> = [
      [OrgChartDocument, { maxDepth: 10 }],
      [SearchDocument, { query: 'securite routiere', first: 20 }],
      ...unitSlugs.map((slug): [typeof UnitCardDocument, Record<string, unknown>] => [
        UnitCardDocument,
        { slug },
      ]),
    ];
    for (const [document, variables] of reads) {
      const [fromA, fromB] = await Promise.all([
        a.gql(document, variables),
        gateway.gql(document, variables),
      ]);
      expect(fromA.body.errors).toBeUndefined();
      expect(fromB.body.data).toEqual(fromA.body.data);
    }
  }

  it('copies A, is killed mid-way through the feed, resumes where it stopped, and B serves what A serves', async () => {
    const first = await runCli(cli());
    expect(first[0]).toMatch(/^snapshot \(first copy\): \d+ records/);
    const start = decodeFeedCursor((await mirrorState())!.cursor);

    // A scripted series of edits on A: creations, a rename, moves, archives, appointments.
    const bureau = await mutate(
      'createUnit',
      {
        slug: 'bureau-securite-routiere-77',
        name: 'Bureau de la sécurité routière',
        kind: 'BUREAU',
        parentId: DIRSEC,
      },
      'unit',
    );
    const chef = await mutate(
      'createPost',
      {
        slug: 'chef-bureau-securite-routiere-77',
        title: 'Chef du bureau',
        unitId: bureau.id,
        isHead: true,
        reportsToId: DIRCAB,
      },
      'post',
    );
    const firstHolder = await mutate(
      'appoint',
      {
        postId: chef.id,
        startDate: '2024-09-01',
        newPerson: {
          slug: 'camille-exemple',
          familyName: 'Exemple',
          givenName: 'Camille',
          grade: 'attachée',
        },
      },
      'appointment',
    );
    await mutate(
      'createResponsibility',
      {
        slug: 'pdasr-77',
        title: "Plan départemental d'actions de sécurité routière",
        reference: 'PDASR',
        ownerId: bureau.id,
      },
      'responsibility',
    );
    await mutate(
      'moveUnit',
      { id: COMMUNICATION, expectedVersion: await versionOf(COMMUNICATION), parentId: DIRSEC },
      'unit',
    );
    await mutate(
      'updateUnit',
      {
        id: REPRESENTATION,
        expectedVersion: await versionOf(REPRESENTATION),
        name: "Bureau de la représentation de l'État et du protocole",
      },
      'unit',
    );
    await mutate('archiveUnit', { id: MEMOIRE, expectedVersion: await versionOf(MEMOIRE) }, 'unit');
    await mutate(
      'endAppointment',
      { id: firstHolder.id, expectedVersion: 1, endDate: '2025-03-31' },
      'appointment',
    );
    await mutate(
      'appoint',
      {
        postId: chef.id,
        startDate: '2025-04-01',
        newPerson: { slug: 'dominique-essai', familyName: 'Essai', givenName: 'Dominique' },
      },
      'appointment',
    );
    const relation = await mutate(
      'createRelation',
      {
        slug: 'bureau-securite-routiere-coordonne-onacvg',
        type: 'COORDINATES_WITH',
        fromUnitId: bureau.id,
        toId: ONACVG,
      },
      'relation',
    );
    await mutate(
      'deleteRelation',
      { id: relation.id, expectedVersion: relation.version },
      'relation',
    );
    await mutate('restoreUnit', { id: MEMOIRE, expectedVersion: await versionOf(MEMOIRE) }, 'unit');
    await mutate('archiveUnit', { id: MEMOIRE, expectedVersion: await versionOf(MEMOIRE) }, 'unit');
    const changes = await sequencesAfter(start);
    expect(changes.length).toBeGreaterThan(10);

    // Two pages of two changes go through; the third page is held, and the sync is killed there.
    const held = proxy.holdAfter(2);
    const run = startCli(cli('--page-size', '2'));
    await run.line(/^applied 2 change\(s\)/);
    await held;
    run.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    proxy.release();
    expect(decodeFeedCursor((await mirrorState())!.cursor)).toBe(changes[3]);

    // Resumed: no new snapshot, only the changes after the stored cursor.
    const resumed = await runCli(cli('--page-size', '2'));
    expect(resumed.some((l) => l.startsWith('snapshot'))).toBe(false);
    const skipped = (await alongMovesAfter(changes[3])).length;
    expect(resumed[resumed.length - 1]).toBe(
      `done: 0 snapshot(s), ${changes.length - 4 - skipped} change(s) applied, ${skipped} skipped`,
    );
    expect(decodeFeedCursor((await mirrorState())!.cursor)).toBe(changes[changes.length - 1]);

    // B: a gateway started on the mirror's database (seeding on, but a mirror is never re-seeded).
    b = await startTestGateway({ DATABASE_URL: mirror.url });
    // Not re-seeded; its own change log holds the changes it applied after the snapshot, so B
    // has a feed of its own that another directory could follow.
    const local = await b.db.getRepository(ChangeEntry).find({ order: { sequence: 'ASC' } });
    const applied = changes.length - (await alongMovesAfter(start)).length;
    expect(local.map((e) => e.actor)).toEqual(Array(applied).fill('mirror'));
    const feed = await b.gql('{ changes(first: 1000) { nodes { entityId version } } }');
    expect((feed.body.data as { changes: { nodes: unknown[] } }).changes.nodes).toHaveLength(
      applied,
    );
    await expectSameAnswers(b, [
      'bureau-securite-routiere-77',
      'direction-des-securites-seine-et-marne',
      'prefecture-seine-et-marne',
    ]);
  });

  it('follows A with --watch while B serves, and stops on SIGTERM', async () => {
    const watch = startCli(cli('--watch'));
    try {
      await watch.line(/up to date/);
      // The cabinet's new name reaches the search document of its post, on A as on the mirror.
      const id = seeded('OrgUnit', 'cabinet-du-prefet-seine-et-marne');
      await mutate(
        'updateUnit',
        {
          id,
          expectedVersion: await versionOf(id),
          name: 'Cabinet du préfet et sécurité routière',
        },
        'unit',
      );
      await mutate('moveUnit', { id, expectedVersion: await versionOf(id), position: 3 }, 'unit');
      const found = await a.gql(SearchDocument, { query: 'securite routiere', types: ['POST'] });
      expect(JSON.stringify(found.body.data)).toContain(DIRCAB);
      // Each round of polling prints a line; wait for the rounds until the mirror reaches A's head.
      const head = await headSequence(a.db);
      while (decodeFeedCursor((await mirrorState())!.cursor) < head) await watch.line(/^applied/);
    } finally {
      watch.kill('SIGTERM');
    }
    const { code } = await watch.exited;
    expect(code).toBe(0);
    expect(watch.lines).toContain('SIGTERM: stopping after the change in progress');
    await expectSameAnswers(b!, ['cabinet-du-prefet-seine-et-marne', 'prefecture-seine-et-marne']);
  });

  it('carries to the mirror the sources that an import cites on records it leaves as they were', async () => {
    const services = createServices(a.config.database.dialect);
    const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', 'annuaire', name);
    await importAnnuaireFile(a.db, services, fixture('services.json'));
    await runCli(cli());
    // The later export changes one unit and leaves four as they were, which now cite it too.
    const later = await importAnnuaireFile(a.db, services, fixture('services-later.json'));
    expect(later.summary.OrgUnit).toEqual({ created: 0, updated: 5, unchanged: 0 });
    const lines = await runCli(cli());
    expect(lines[lines.length - 1]).toMatch(/^done: 0 snapshot\(s\), [1-9]\d* change\(s\) applied/);
    const exported = await servedExport(a.origin);
    const prefecture = exported.find(
      (r) => r.id === toGlobalId('OrgUnit', importUuid('OrgUnit', FIXTURE_PREFECTURE)),
    ) as { externalIds?: unknown[] } | undefined;
    expect(prefecture?.externalIds).toEqual([
      { scheme: 'annuaire', value: FIXTURE_PREFECTURE },
      { scheme: 'itm', value: '990001' },
      { scheme: 'siren', value: '990000000' },
      { scheme: 'siret', value: '99000000000017' },
    ]);
    expect(await servedExport(b!.origin)).toEqual(exported);
  });

  it('takes a new snapshot by itself when its cursor has expired (SYNC_CURSOR_EXPIRED), and converges', async () => {
    await mutate(
      'updateUnit',
      { id: ONACVG, expectedVersion: await versionOf(ONACVG), acronym: 'ONaCVG' },
      'unit',
    );
    // Everything committed so far is compacted away, including the change the mirror lacks.
    await compactChangeLog(a.db, new Date(Date.now() + 60_000));
    await mutate('restoreUnit', { id: MEMOIRE, expectedVersion: await versionOf(MEMOIRE) }, 'unit');
    const feed = await a.gql(
      `query($after: String) { changes(after: $after) { pageInfo { endCursor } } }`,
      {
        after: (await mirrorState())!.cursor,
      },
    );
    expect(feed.body.errors?.[0].extensions?.code).toBe('SYNC_CURSOR_EXPIRED');
    const lines = await runCli(cli('--page-size', '2'));
    expect(lines[0]).toMatch(/^snapshot \(cursor expired\): \d+ records/);
    expect(lines[lines.length - 1]).toBe('done: 1 snapshot(s), 0 change(s) applied, 0 skipped');
    await expectSameAnswers(b!, ['onacvg', 'commission-departementale-memoire-seine-et-marne']);
  });

  it('writes nothing from a snapshot cut short, and says so', async () => {
    const other = await freshDatabase();
    proxy.cutSnapshots(true);
    try {
      const run = startCli(['--from', proxy.url, '--database', other.url]);
      const { code, stderr } = await run.exited;
      expect(code).toBe(1);
      expect(stderr).toMatch(/it was cut short/);
      const db = await openDatabase(
        loadConfig({ ...process.env, DATABASE_URL: other.url }),
        createLogger('silent'),
      );
      try {
        expect(await db.getRepository(SyncState).count()).toBe(0);
        expect(await db.getRepository(OrgUnit).count()).toBe(0);
      } finally {
        await db.destroy();
      }
    } finally {
      proxy.cutSnapshots(false);
      await other.drop();
    }
  });
});
