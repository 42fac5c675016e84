import http from 'node:http';
import zlib from 'node:zlib';
import * as jsonld from 'jsonld';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { toGlobalId, uuidOf } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { Person } from '../../src/modules/person/person.entity';
import { recordTypes } from '../../src/modules/node/record-types';
import { compactChangeLog, headSequence } from '../../src/modules/sync/change-feed';
import { SnapshotHeader, writeSnapshot } from '../../src/modules/sync/snapshot';

/**
 * The exports on the real server: the NDJSON snapshot (consistency with the change feed,
 * private fields, ETag, gzip), the W3C ORG JSON-LD, the national-directory JSON, access by role
 * and the rate budget.
 */

const PREFECTURE = seedUuid('OrgUnit', 'prefecture-seine-et-marne');
const CABINET = seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne');
const DIRECTION = seedUuid('OrgUnit', 'direction-des-securites-seine-et-marne');
const SERVICES = seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne');
const ONACVG = seedUuid('OrgUnit', 'onacvg');
const COMMISSION = seedUuid('OrgUnit', 'commission-departementale-memoire-seine-et-marne');
const PREFET = seedUuid('Post', 'prefet-seine-et-marne');
const DIRECTEUR = seedUuid('Post', 'directeur-cabinet-prefet-seine-et-marne');
const LAVIGNE = seedUuid('Person', 'frederic-lavigne');
const SOURCE = seedUuid('Source', 'pref77-le-cabinet-du-prefet');
/** A plainly fake address, set in the database directly: the seeds hold no contact details. */
const FAKE_EMAIL = 'frederic.lavigne@exemple.invalid';

const EXPORT_PATHS = ['/export/snapshot.ndjson', '/export/org.jsonld', '/export/annuaire.json'];

/** JSON, in the GraphQL-over-HTTP media type unless the client asks for plain JSON. */
const JSON_TYPE = /^application\/(graphql-response\+)?json; charset=utf-8$/;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const gid = (type: Parameters<typeof toGlobalId>[0], uuid: string) => toGlobalId(type, uuid);

interface SnapshotRecord {
  type: string;
  id: string;
  version: number;
  createdAt?: string;
  updatedAt?: string;
  fields: Record<string, unknown>;
  sources: string[];
}
interface Snapshot {
  res: Response;
  text: string;
  header: SnapshotHeader;
  records: SnapshotRecord[];
}
interface FeedChange {
  sequence: number;
  operation: string;
  entityType: string;
  entityId: string;
  version: number;
  changedFields: Array<{ field: string; before: unknown; after: unknown }>;
}

const FEED = `query Feed($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    pageInfo { endCursor hasNextPage }
    nodes { sequence operation entityType entityId version changedFields { field before after } }
  }
}`;

/** A GET answered as raw bytes, without the automatic decompression of fetch. */
function rawGet(
  gw: TestGateway,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${gw.origin}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function snapshotOf(gw: TestGateway, headers: Record<string, string> = {}) {
  const res = await gw.raw('/export/snapshot.ndjson', { headers });
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text.endsWith('\n')).toBe(true);
  const [header, ...records] = text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
  return { res, text, header, records } as Snapshot;
}

/** Every change after `after`, paging through the feed. */
async function feedAfter(gw: TestGateway, after: string | null): Promise<FeedChange[]> {
  const out: FeedChange[] = [];
  for (;;) {
    const res = await gw.gql<{
      changes: { pageInfo: { endCursor: string; hasNextPage: boolean }; nodes: FeedChange[] };
    }>(FEED, { after, first: 1000 });
    expect(res.body.errors).toBeUndefined();
    out.push(...res.body.data!.changes.nodes);
    after = res.body.data!.changes.pageInfo.endCursor;
    if (!res.body.data!.changes.pageInfo.hasNextPage) return out;
  }
}

/** The records as comparable state: version and non-null fields, by id. */
function stateOf(records: Iterable<Pick<SnapshotRecord, 'id' | 'version' | 'fields'>>) {
  const state: Record<string, { version: number; fields: Record<string, unknown> }> = {};
  for (const r of records) {
    const fields = Object.fromEntries(Object.entries(r.fields).filter(([, v]) => v !== null));
    state[r.id] = { version: r.version, fields };
  }
  return state;
}

/**
 * Applies feed changes to a snapshot's records, as a client would, and lists every change that
 * does not fit: a creation of a record the snapshot already has, a change whose version does not
 * follow the snapshot's, a deletion of a record it lacks. None means nothing was lost or doubled.
 */
function replay(records: SnapshotRecord[], changes: FeedChange[]) {
  const byId = new Map(records.map((r) => [r.id, { ...r, fields: { ...r.fields } }]));
  const misfits: string[] = [];
  for (const c of changes) {
    const current = byId.get(c.entityId);
    const after = Object.fromEntries(c.changedFields.map((f) => [f.field, f.after]));
    if (c.operation === 'CREATED') {
      if (current) misfits.push(`${c.sequence}: ${c.entityId} created but already there`);
      byId.set(c.entityId, { ...current!, id: c.entityId, version: c.version, fields: after });
    } else if (c.operation === 'DELETED') {
      if (!current) misfits.push(`${c.sequence}: ${c.entityId} deleted but absent`);
      byId.delete(c.entityId);
    } else if (c.changedFields.length === 0 && current?.version === c.version) {
      // Moved along with a unit above it: nothing to apply.
    } else if (!current || current.version !== c.version - 1) {
      misfits.push(`${c.sequence}: ${c.entityId} v${c.version} after v${current?.version}`);
    } else {
      Object.assign(current.fields, after);
      current.version = c.version;
    }
  }
  return { state: stateOf(byId.values()), misfits };
}

describe('GET /export/snapshot.ndjson', () => {
  let gw: TestGateway;
  let keys: Record<'agent' | 'editor' | 'sync' | 'admin', Record<string, string>>;

  async function mutate(query: string, input: Record<string, unknown>) {
    const res = await gw.gql(query, { input }, keys.editor);
    expect(res.body.errors).toBeUndefined();
    const payload = Object.values(res.body.data as Record<string, { userErrors: unknown[] }>)[0];
    expect(payload.userErrors).toEqual([]);
    return payload as unknown as Record<string, { id: string; version: number }>;
  }
  const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id version } userErrors { code message } } }`;
  const UPDATE_UNIT = `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { id version } userErrors { code message } } }`;
  const MOVE_UNIT = `mutation($input: MoveUnitInput!) { moveUnit(input: $input) { unit { id version } userErrors { code message } } }`;
  const ARCHIVE_UNIT = `mutation($input: ArchiveUnitInput!) { archiveUnit(input: $input) { unit { id version } userErrors { code message } } }`;
  const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id version } userErrors { code message } } }`;
  const APPOINT = `mutation($input: AppointInput!) { appoint(input: $input) { appointment { id version } userErrors { code message } } }`;
  const UPDATE_PERSON = `mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id version } userErrors { code message } } }`;

  beforeAll(async () => {
    gw = await startTestGateway();
    const key = async (role: Role) => bearer((await gw.auth.keys.create(role, role)).key);
    keys = {
      agent: await key(Role.AGENT),
      editor: await key(Role.EDITOR),
      sync: await key(Role.SYNC),
      admin: await key(Role.ADMIN),
    };
  });
  afterAll(() => gw.stop());

  it('starts with a header: format, asOf, counts that match the lines of each type', async () => {
    const { res, header, records } = await snapshotOf(gw);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(header).toEqual({
      format: 'annuaire-graphql/snapshot',
      formatVersion: 1,
      asOf: expect.any(String),
      asOfSequence: expect.any(Number),
      generatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      withPrivateFields: false,
      counts: expect.any(Object),
    });
    const lines: Record<string, number> = {};
    for (const r of records) lines[r.type] = (lines[r.type] ?? 0) + 1;
    expect(header.counts).toEqual(lines);
    expect(Object.keys(header.counts).sort()).toEqual(
      recordTypes()
        .map((t) => t.name)
        .sort(),
    );
    for (const r of records) {
      expect(r).toEqual({
        type: expect.any(String),
        id: expect.any(String),
        version: expect.any(Number),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        fields: expect.any(Object),
        sources: expect.any(Array),
        // Units also list their identifiers in other systems (none in the seeds).
        ...(r.type === 'OrgUnit' ? { externalIds: [] } : {}),
      });
    }
  });

  it('holds every record of the seeded directory, with its fields and sources', async () => {
    const { records } = await snapshotOf(gw);
    for (const { name: type, table } of recordTypes()) {
      const rows = await gw.db.query<Array<{ id: string }>>(`SELECT id FROM ${table}`);
      expect(rows.length).toBeGreaterThan(0);
      const inSnapshot = records.filter((r) => r.type === type).map((r) => r.id);
      expect(inSnapshot.sort()).toEqual(rows.map((r) => gid(type, r.id)).sort());
    }
    const cabinet = records.find((r) => r.id === gid('OrgUnit', CABINET))!;
    expect(cabinet).toMatchObject({
      type: 'OrgUnit',
      version: 1,
      fields: {
        slug: 'cabinet-du-prefet-seine-et-marne',
        name: 'Cabinet du préfet',
        kind: 'CABINET',
        parentId: gid('OrgUnit', PREFECTURE),
        archivedAt: null,
      },
      sources: [gid('Source', SOURCE)],
    });
    const lavigne = records.find((r) => r.id === gid('Person', LAVIGNE))!;
    expect(lavigne.fields).toMatchObject({ givenName: 'Frédéric', familyName: 'Lavigne' });
  });

  it('puts every record after the records it points to: parents before children', async () => {
    const { records } = await snapshotOf(gw);
    const seen = new Set<string>();
    const late: string[] = [];
    for (const r of records) {
      for (const [field, value] of Object.entries(r.fields)) {
        if (field.endsWith('Id') && typeof value === 'string' && !seen.has(value))
          late.push(`${r.id}.${field}`);
      }
      for (const s of r.sources) if (!seen.has(s)) late.push(`${r.id}.sources`);
      seen.add(r.id);
    }
    expect(late).toEqual([]);
    const order = records.map((r) => r.id);
    expect(order.indexOf(gid('OrgUnit', PREFECTURE))).toBeLessThan(
      order.indexOf(gid('OrgUnit', CABINET)),
    );
    expect(order.indexOf(gid('Post', PREFET))).toBeLessThan(order.indexOf(gid('Post', DIRECTEUR)));
  });

  it('is as of the head of the change feed', async () => {
    const { header } = await snapshotOf(gw);
    expect(header.asOfSequence).toBe(await headSequence(gw.db));
    const all = await feedAfter(gw, null);
    expect(all[all.length - 1].sequence).toBe(header.asOfSequence);
    const res = await gw.gql<{ changes: { pageInfo: { endCursor: string } } }>(FEED, {
      first: 1000,
    });
    expect(res.body.data!.changes.pageInfo.endCursor).toBe(header.asOf);
    expect(await feedAfter(gw, header.asOf)).toEqual([]);
  });

  it('continues into the feed: from asOf come exactly the changes made after it', async () => {
    const before = await snapshotOf(gw);
    const unit = (
      await mutate(CREATE_UNIT, {
        slug: 'bureau-des-exports',
        name: 'Bureau des exports',
        kind: 'BUREAU',
        parentId: gid('OrgUnit', SERVICES),
      })
    ).unit;
    await mutate(UPDATE_UNIT, {
      id: unit.id,
      expectedVersion: 1,
      name: 'Bureau des exports (test)',
    });
    const post = (
      await mutate(CREATE_POST, { unitId: unit.id, slug: 'chef-bureau-exports', title: 'Chef' })
    ).post;
    const appointment = (
      await mutate(APPOINT, {
        postId: post.id,
        startDate: '2020-01-01',
        newPerson: { slug: 'camille-exemple', familyName: 'Exemple', givenName: 'Camille' },
      })
    ).appointment;
    await mutate(MOVE_UNIT, { id: unit.id, expectedVersion: 2, parentId: gid('OrgUnit', ONACVG) });
    const spare = (
      await mutate(CREATE_UNIT, {
        slug: 'bureau-ephemere',
        name: 'Bureau éphémère',
        kind: 'BUREAU',
      })
    ).unit;
    await mutate(ARCHIVE_UNIT, { id: spare.id, expectedVersion: 1 });

    const after = await snapshotOf(gw);
    const changes = await feedAfter(gw, before.header.asOf);
    expect(changes.every((c) => c.sequence > before.header.asOfSequence)).toBe(true);
    expect(changes[changes.length - 1].sequence).toBe(after.header.asOfSequence);
    const person = after.records.find((r) => r.fields.slug === 'camille-exemple')!;
    const mine = new Set([unit.id, post.id, appointment.id, spare.id, person.id]);
    expect(changes.filter((c) => !mine.has(c.entityId))).toEqual([]);
    expect(changes.filter((c) => c.entityId === unit.id).map((c) => c.operation)).toEqual([
      'CREATED',
      'UPDATED',
      'MOVED',
    ]);
    expect(changes.filter((c) => c.entityId === spare.id).map((c) => c.operation)).toEqual([
      'CREATED',
      'ARCHIVED',
    ]);
    // Applied to the first snapshot, they give the second one exactly.
    const replayed = replay(before.records, changes);
    expect(replayed.misfits).toEqual([]);
    expect(replayed.state).toEqual(stateOf(after.records));
  });

  it('stays consistent while writes go on: each snapshot plus the feed from its asOf is the final state', async () => {
    // Enough records for the snapshot to span several chunks and fill the socket's buffers.
    await gw.db.transaction(async (em) => {
      for (let i = 0; i < 600; i++) {
        await gw.services.people.create(
          { em, actor: 'test:exports' },
          { slug: `personne-fictive-${i}`, familyName: `Fictive ${i}`, givenName: 'Personne' },
        );
      }
    });
    // Note: on SQLite the transaction above held this process's event loop (gateway and client
    // alike) for seconds on a loaded machine. Sent at once, the next request went out on the
    // pooled keep-alive connection whose server-side timeout was already overdue, and the
    // server's timer, run before it read the request, reset the connection (seen once in CI as
    // `read ECONNRESET`). One turn of the timers lets both ends retire that connection first.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const people = (await snapshotOf(gw)).records.filter((r) => r.type === 'Person');
    let writing = true;
    const writes = (async () => {
      try {
        for (let i = 0; i < 24; i++) {
          const p = people[(i * 7) % people.length];
          const version = Number(
            (await gw.db.getRepository(Person).findOneByOrFail({ uuid: uuidOf(p.id, 'Person')! }))
              .version,
          );
          await mutate(UPDATE_PERSON, { id: p.id, expectedVersion: version, grade: `grade ${i}` });
          if (i % 6 === 0)
            await mutate(CREATE_UNIT, {
              slug: `bureau-concurrent-${i}`,
              name: `Bureau concurrent ${i}`,
              kind: 'BUREAU',
              parentId: gid('OrgUnit', CABINET),
            });
        }
      } finally {
        writing = false;
      }
    })();
    const snapshots: Snapshot[] = [];
    while (writing || snapshots.length < 3) {
      snapshots.push(await snapshotOf(gw, snapshots.length % 2 ? keys.sync : {}));
    }
    await writes;
    const final = await snapshotOf(gw);
    for (const s of snapshots) {
      const { state, misfits } = replay(s.records, await feedAfter(gw, s.header.asOf));
      expect(misfits).toEqual([]);
      expect(state).toEqual(stateOf(final.records));
      expect(Object.values(s.header.counts).reduce((a, b) => a + b, 0)).toBe(s.records.length);
    }
  });

  it('leaves out of a snapshot a write that commits while it is being read, and feeds it after asOf', async () => {
    const lines: string[] = [];
    const person = (await snapshotOf(gw)).records.find((r) => r.id === gid('Person', LAVIGNE))!;
    let during: { id: string } | null = null;
    // Note: the writer is called with the header once the read transaction has begun; the
    // writes made there commit before the records are read.
    await writeSnapshot(gw.db, { withPrivate: false }, async (line) => {
      lines.push(line);
      if (during) return;
      during = (
        await mutate(CREATE_UNIT, {
          slug: 'bureau-pendant-le-snapshot',
          name: 'Bureau créé pendant le snapshot',
          kind: 'BUREAU',
          parentId: gid('OrgUnit', CABINET),
        })
      ).unit;
      await mutate(UPDATE_PERSON, {
        id: person.id,
        expectedVersion: person.version,
        grade: 'sous-préfet hors classe',
      });
    });
    const [header, ...records] = lines.map((l) => JSON.parse(l)) as [
      SnapshotHeader,
      ...SnapshotRecord[],
    ];
    expect(records.some((r) => r.id === during!.id)).toBe(false);
    expect(records.find((r) => r.id === person.id)).toMatchObject({
      version: person.version,
      fields: { grade: 'sous-préfet' },
    });
    const changes = await feedAfter(gw, header.asOf);
    expect(changes.map((c) => [c.entityId, c.operation])).toEqual([
      [during!.id, 'CREATED'],
      [person.id, 'UPDATED'],
    ]);
    const replayed = replay(records, changes);
    expect(replayed.misfits).toEqual([]);
    expect(replayed.state).toEqual(stateOf((await snapshotOf(gw)).records));
  });

  it('shows private fields to AGENT, EDITOR and ADMIN keys only, and says so in the header', async () => {
    await gw.db.getRepository(Person).update({ uuid: LAVIGNE }, { email: FAKE_EMAIL });
    const cases: Array<[string, Record<string, string>, boolean]> = [
      ['anonymous', {}, false],
      ['SYNC', keys.sync, false],
      ['AGENT', keys.agent, true],
      ['EDITOR', keys.editor, true],
      ['ADMIN', keys.admin, true],
    ];
    for (const [who, headers, allowed] of cases) {
      const { text, header, records } = await snapshotOf(gw, headers);
      const lavigne = records.find((r) => r.id === gid('Person', LAVIGNE))!;
      expect({ who, withPrivateFields: header.withPrivateFields }).toEqual({
        who,
        withPrivateFields: allowed,
      });
      if (allowed) {
        expect(lavigne.fields).toMatchObject({ email: FAKE_EMAIL, phone: null, office: null });
      } else {
        expect(lavigne.fields).not.toHaveProperty('email');
        expect(lavigne.fields).not.toHaveProperty('phone');
        expect(lavigne.fields).not.toHaveProperty('office');
        expect(text).not.toContain(FAKE_EMAIL);
      }
    }
  });

  it('answers If-None-Match with 304 until the next write, per private or public variant', async () => {
    const first = await gw.raw('/export/snapshot.ndjson');
    await first.text();
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    expect(first.headers.get('vary')).toMatch(/Authorization/);

    const again = await gw.raw('/export/snapshot.ndjson', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const strong = etag.slice(2);
    const alsoWeak = await gw.raw('/export/snapshot.ndjson', {
      headers: { 'if-none-match': `"other", ${strong}` },
    });
    expect(alsoWeak.status).toBe(304);

    const agent = await gw.raw('/export/snapshot.ndjson', {
      headers: { 'if-none-match': etag, ...keys.agent },
    });
    expect(agent.status).toBe(200);
    await agent.text();
    expect(agent.headers.get('etag')).not.toBe(etag);
    expect(agent.headers.get('cache-control')).toBe('private, no-cache');

    await mutate(UPDATE_UNIT, {
      id: gid('OrgUnit', COMMISSION),
      expectedVersion: 1,
      acronym: 'CDM',
    });
    const changed = await gw.raw('/export/snapshot.ndjson', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).toContain('"acronym":"CDM"');
  });

  it('is gzipped for a client that accepts it, to the same lines', async () => {
    const plain = await rawGet(gw, '/export/snapshot.ndjson', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await rawGet(gw, '/export/snapshot.ndjson', { 'accept-encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    const unzipped = zlib.gunzipSync(gzipped.body).toString('utf8');
    expect(gzipped.body.length).toBeLessThan(unzipped.length);
    const withoutTime = (text: string) =>
      text.replace(/"generatedAt":"[^"]+"/, '"generatedAt":""').split('\n');
    expect(withoutTime(unzipped)).toEqual(withoutTime(plain.body.toString('utf8')));
  });

  it('answers HEAD with the headers only', async () => {
    const res = await rawGet(gw, '/export/snapshot.ndjson', {});
    const head = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .request(`${gw.origin}/export/snapshot.ndjson`, { method: 'HEAD' }, resolve)
        .on('error', reject)
        .end(),
    );
    expect(head.statusCode).toBe(200);
    expect(head.headers.etag).toBe(res.headers.etag);
    expect(head.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
  });

  it('stays continuable after the whole log was compacted', async () => {
    const { compactedThrough } = await compactChangeLog(gw.db, new Date(Date.now() + 60_000));
    const { header } = await snapshotOf(gw);
    expect(header.asOfSequence).toBe(compactedThrough);
    const res = await gw.gql(FEED, { after: header.asOf });
    expect(res.body.errors).toBeUndefined();
  });
});

const ORG = 'http://www.w3.org/ns/org#';
const PROV = 'http://www.w3.org/ns/prov#';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const iri = (type: Parameters<typeof toGlobalId>[0], uuid: string) =>
  `urn:annuaire-graphql:${gid(type, uuid)}`;

type JsonLdNode = Record<string, unknown> & { '@id'?: string; '@type'?: string | string[] };
type Expanded = Record<string, unknown> & { '@id'?: string; '@type'?: string[] };

/** The expanded nodes with this @id, merged. */
function expandedNode(expanded: Expanded[], id: string): Record<string, unknown[]> {
  const merged: Record<string, unknown[]> = {};
  for (const node of expanded.filter((n) => n['@id'] === id)) {
    for (const [key, value] of Object.entries(node)) {
      if (key !== '@id') merged[key] = [...(merged[key] ?? []), ...(value as unknown[])];
    }
  }
  return merged;
}

describe('GET /export/org.jsonld and /export/annuaire.json', () => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  let agent: Record<string, string>;

  async function orgGraph(headers: Record<string, string> = {}) {
    const res = await gw.raw('/export/org.jsonld', { headers });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      '@context': Record<string, unknown>;
      '@graph': JsonLdNode[];
    };
    return { res, doc, nodes: (id: string) => doc['@graph'].filter((n) => n['@id'] === id) };
  }
  interface Service {
    id: string;
    nom: string;
    sigle: string | null;
    type_organisme: string;
    hierarchie: Array<{ type_hierarchie: string; service: string }>;
    affectation_personne: Array<{ fonction: string; personne: Record<string, string | null> }>;
    mission: string | null;
    date_modification: string;
  }
  async function annuaire() {
    const res = await gw.raw('/export/annuaire.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { service: Service[] };
    return { res, doc, service: (id: string) => doc.service.find((s) => s.id === id) };
  }

  beforeAll(async () => {
    gw = await startTestGateway();
    editor = bearer((await gw.auth.keys.create('editor', Role.EDITOR)).key);
    agent = bearer((await gw.auth.keys.create('agent', Role.AGENT)).key);
    await gw.db.getRepository(Person).update({ uuid: LAVIGNE }, { email: FAKE_EMAIL });
  });
  afterAll(() => gw.stop());

  it('serves JSON-LD with a @context of W3C ORG, schema.org and PROV', async () => {
    const { res, doc } = await orgGraph();
    expect(res.headers.get('content-type')).toBe('application/ld+json; charset=utf-8');
    expect(doc['@context']).toMatchObject({
      org: ORG,
      schema: 'https://schema.org/',
      prov: PROV,
    });
    expect(Array.isArray(doc['@graph'])).toBe(true);
  });

  it('types units, posts and their links with ORG terms, sources with prov:wasDerivedFrom', async () => {
    const { nodes } = await orgGraph();
    const cabinet = nodes(iri('OrgUnit', CABINET));
    expect(cabinet[0]).toMatchObject({
      '@type': 'org:OrganizationalUnit',
      name: 'Cabinet du préfet',
      subOrganizationOf: iri('OrgUnit', PREFECTURE),
      classification: 'annuaire:CABINET',
      wasDerivedFrom: [iri('Source', SOURCE)],
    });
    const directeur = Object.assign({}, ...nodes(iri('Post', DIRECTEUR)));
    expect(directeur).toMatchObject({
      '@type': 'org:Post',
      name: 'Directeur de cabinet du préfet',
      postIn: iri('OrgUnit', CABINET),
      reportsTo: iri('Post', PREFET),
      heldBy: iri('Person', LAVIGNE),
    });
    // The prefect's post is held by someone the source does not name: no heldBy.
    expect(nodes(iri('Post', PREFET)).some((n) => 'heldBy' in n)).toBe(false);
    const onacvg = Object.assign({}, ...nodes(iri('OrgUnit', ONACVG)));
    expect(onacvg).toMatchObject({
      alternateName: 'ONACVG',
      supports: iri('OrgUnit', CABINET),
      linkedTo: iri('OrgUnit', CABINET),
    });
    expect(Object.assign({}, ...cabinet)).toMatchObject({
      underAuthorityOf: iri('Post', DIRECTEUR),
    });
    expect(nodes(iri('Source', SOURCE))[0]).toMatchObject({
      name: 'Le cabinet du préfet',
      publisher: 'Préfecture de Seine-et-Marne',
    });
  });

  it('expands, with its inline context and no network, to the W3C ORG and PROV IRIs', async () => {
    const { doc } = await orgGraph();
    const expanded = (await jsonld.expand(doc as never)) as Expanded[];
    const cabinet = expandedNode(expanded, iri('OrgUnit', CABINET));
    expect(cabinet['@type']).toContain(`${ORG}OrganizationalUnit`);
    expect(cabinet[`${ORG}subOrganizationOf`]).toEqual([{ '@id': iri('OrgUnit', PREFECTURE) }]);
    expect(cabinet[`${PROV}wasDerivedFrom`]).toEqual([{ '@id': iri('Source', SOURCE) }]);
    expect(cabinet[`${ORG}linkedTo`]).toEqual([{ '@id': iri('Post', DIRECTEUR) }]);
    const directeur = expandedNode(expanded, iri('Post', DIRECTEUR));
    expect(directeur['@type']).toContain(`${ORG}Post`);
    expect(directeur[`${ORG}reportsTo`]).toEqual([{ '@id': iri('Post', PREFET) }]);
    expect(directeur[`${ORG}heldBy`]).toEqual([{ '@id': iri('Person', LAVIGNE) }]);
    expect(directeur[`${ORG}postIn`]).toEqual([{ '@id': iri('OrgUnit', CABINET) }]);
    // The relation properties are declared sub-properties of org:linkedTo.
    for (const property of ['underAuthorityOf', 'supports', 'coordinatesWith']) {
      const declared = expandedNode(expanded, `urn:annuaire-graphql:vocab#${property}`);
      expect(declared[`${RDFS}subPropertyOf`]).toEqual([{ '@id': `${ORG}linkedTo` }]);
    }
    // Every reference is an IRI node, never a string that merely looks like one.
    const literals: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(walk);
      if (value && typeof value === 'object') {
        const v = (value as Record<string, unknown>)['@value'];
        if (typeof v === 'string' && v.startsWith('urn:annuaire-graphql:')) literals.push(v);
        Object.values(value).forEach(walk);
      }
    };
    walk(expanded);
    expect(literals).toEqual([]);
  });

  it('holds public fields only, whoever asks', async () => {
    for (const headers of [{}, agent]) {
      const res = await gw.raw('/export/org.jsonld', { headers });
      expect(await res.text()).not.toContain(FAKE_EMAIL);
      const json = await gw.raw('/export/annuaire.json', { headers });
      expect(await json.text()).not.toContain(FAKE_EMAIL);
    }
  });

  it('serves annuaire.json in the national format: {"service": [...]}', async () => {
    const { res, doc, service } = await annuaire();
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Object.keys(doc)).toEqual(['service']);
    const units = await gw.db.query<Array<{ id: string }>>('SELECT id FROM org_unit');
    expect(doc.service.map((s) => s.id).sort()).toEqual(units.map((u) => u.id).sort());
    for (const s of doc.service) {
      expect(s).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        nom: expect.any(String),
        sigle: s.sigle === null ? null : expect.any(String),
        type_organisme: expect.any(String),
        hierarchie: expect.any(Array),
        affectation_personne: expect.any(Array),
        mission: s.mission === null ? null : expect.any(String),
        date_modification: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/),
        // No seeded unit has identifiers in those registers; imported ones do (import tests).
        itm_identifiant: null,
        siret: null,
        siren: null,
      });
    }
    expect(service(PREFECTURE)).toMatchObject({
      nom: 'Préfecture de Seine-et-Marne',
      sigle: null,
      type_organisme: 'Préfecture',
      hierarchie: [{ type_hierarchie: 'Service Fils', service: CABINET }],
    });
    expect(service(ONACVG)).toMatchObject({
      sigle: 'ONACVG',
      type_organisme: 'Établissement public',
    });
    // The hierarchy is stored on the parent, as in the national export.
    expect(service(CABINET)!.hierarchie).toEqual(
      expect.arrayContaining([
        { type_hierarchie: 'Service Fils', service: DIRECTION },
        { type_hierarchie: 'Service Fils', service: SERVICES },
      ]),
    );
    expect(service(DIRECTION)!.hierarchie).toEqual([]);
    expect(service(CABINET)!.affectation_personne).toEqual([
      {
        fonction: 'Directeur de cabinet du préfet',
        personne: { nom: 'Lavigne', prenom: 'Frédéric', civilite: null, grade: 'sous-préfet' },
      },
    ]);
    // The prefect's post is held by someone unnamed: no affectation.
    expect(service(PREFECTURE)!.affectation_personne).toEqual([]);
    expect(service(CABINET)!.mission).toContain(
      'Garantir la sécurité des biens et des personnes dans le département',
    );
    expect(service(DIRECTION)!.mission).toContain('La sécurité routière');
    // The missions of the unit's posts join its text, named by the post.
    expect(service(CABINET)!.mission).toContain(
      'Directeur de cabinet du préfet : Missions traditionnelles du directeur du cabinet : Les missions traditionnelles',
    );
  });

  it('lists units placed under another unit’s authority as Autre hiérarchie, and leaves archived units out', async () => {
    const res = await gw.gql(
      `mutation($input: CreateRelationInput!) { createRelation(input: $input) { relation { id } userErrors { code message } } }`,
      {
        input: {
          slug: 'commission-sous-autorite-onacvg',
          type: 'UNDER_AUTHORITY_OF',
          fromUnitId: gid('OrgUnit', COMMISSION),
          toId: gid('OrgUnit', ONACVG),
        },
      },
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    const archived = await gw.gql(
      `mutation($input: ArchiveUnitInput!) { archiveUnit(input: $input) { unit { id } userErrors { code message } } }`,
      { input: { id: gid('OrgUnit', DIRECTION), expectedVersion: 1 } },
      editor,
    );
    expect(archived.body.errors).toBeUndefined();

    const { service } = await annuaire();
    expect(service(ONACVG)!.hierarchie).toEqual([
      { type_hierarchie: 'Autre hiérarchie', service: COMMISSION },
    ]);
    expect(service(DIRECTION)).toBeUndefined();
    expect(service(CABINET)!.hierarchie).toEqual([
      { type_hierarchie: 'Service Fils', service: SERVICES },
    ]);
    // The JSON-LD keeps the archived unit, marked with the time it was archived.
    const { doc } = await orgGraph();
    const expanded = (await jsonld.expand(doc as never)) as Expanded[];
    const direction = expandedNode(expanded, iri('OrgUnit', DIRECTION));
    expect(direction[`${PROV}invalidatedAtTime`]).toEqual([
      {
        '@type': 'http://www.w3.org/2001/XMLSchema#dateTime',
        '@value': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    expect(expandedNode(expanded, iri('OrgUnit', COMMISSION))).toMatchObject({
      'urn:annuaire-graphql:vocab#underAuthorityOf': [{ '@id': iri('OrgUnit', ONACVG) }],
    });
  });

  it('gives both exports an ETag and 304, and gzip', async () => {
    for (const path of ['/export/org.jsonld', '/export/annuaire.json']) {
      const first = await rawGet(gw, path, { 'accept-encoding': 'gzip' });
      expect(first.headers['content-encoding']).toBe('gzip');
      expect(() => JSON.parse(zlib.gunzipSync(first.body).toString('utf8'))).not.toThrow();
      const etag = first.headers.etag!;
      const again = await rawGet(gw, path, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
    }
  });
});

describe('exports reserved to the SYNC role (SYNC_ACCESS=sync)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ SYNC_ACCESS: 'sync', EXPORT_COST: '7' });
  });
  afterAll(() => gw.stop());

  it('answers anonymous callers 401, other roles 403, as JSON GraphQL errors', async () => {
    const agent = bearer((await gw.auth.keys.create('agent', Role.AGENT)).key);
    for (const path of EXPORT_PATHS) {
      for (const [headers, status, code] of [
        [{}, 401, 'UNAUTHENTICATED'],
        [{ authorization: 'Bearer ak_not_a_key' }, 401, 'UNAUTHENTICATED'],
        [agent, 403, 'FORBIDDEN'],
      ] as Array<[Record<string, string>, number, string]>) {
        const res = await gw.raw(path, { headers: { accept: 'application/json', ...headers } });
        expect({ path, status: res.status }).toEqual({ path, status });
        expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
        expect(await res.json()).toEqual({
          errors: [{ message: expect.any(String), extensions: { code } }],
        });
      }
    }
  });

  it('serves SYNC and ADMIN keys, privately, each download costing EXPORT_COST', async () => {
    for (const role of [Role.SYNC, Role.ADMIN]) {
      const headers = bearer((await gw.auth.keys.create(role, role)).key);
      for (const path of EXPORT_PATHS) {
        const res = await gw.raw(path, { headers });
        expect({ path, role, status: res.status }).toEqual({ path, role, status: 200 });
        await res.text();
        expect(res.headers.get('cache-control')).toBe('private, no-cache');
      }
      const res = await gw.raw('/export/annuaire.json', { headers });
      await res.text();
      const limit = Number(res.headers.get('ratelimit-limit'));
      expect(Number(res.headers.get('ratelimit-remaining'))).toBe(limit - 4 * 7);
    }
  });
});

describe('exports under the rate budget', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_POINTS: '2500', RATE_LIMIT_SYNC_POINTS: '100000' });
  });
  afterAll(() => gw.stop());

  it('charges EXPORT_COST to the budget GraphQL operations draw on, and refuses past it with 429', async () => {
    const key = bearer((await gw.auth.keys.create('rate', Role.AGENT)).key);
    const first = await gw.raw('/export/annuaire.json', { headers: key });
    expect(first.status).toBe(200);
    await first.text();
    expect(first.headers.get('ratelimit-limit')).toBe('2500');
    expect(first.headers.get('ratelimit-remaining')).toBe('1500');
    expect(first.headers.get('ratelimit-policy')).toBe('2500;w=60');
    expect(first.headers.get('ratelimit-reset')).toMatch(/^\d+$/);

    const query = await gw.gql('{ unit(slug: "onacvg") { id } }', undefined, key);
    expect(query.body.extensions?.cost).toMatchObject({ requested: 102, remaining: 1398 });

    const second = await gw.raw('/export/snapshot.ndjson', { headers: key });
    expect(second.status).toBe(200);
    await second.text();
    expect(second.headers.get('ratelimit-remaining')).toBe('398');

    const refused = await gw.raw('/export/org.jsonld', { headers: key });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(JSON_TYPE);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-remaining')).toBe('398');
    expect(refused.headers.get('etag') ?? '').not.toMatch(/org-/);
    expect(await refused.json()).toEqual({
      errors: [
        {
          message: expect.stringMatching(/rate limit/i),
          extensions: { code: 'RATE_LIMITED', cost: 1000, remaining: 398, limit: 2500, retryAfter },
        },
      ],
    });

    // A revalidation answered 304 costs one point, like the smallest operation.
    const etag = second.headers.get('etag')!;
    const revalidated = await gw.raw('/export/snapshot.ndjson', {
      headers: { ...key, 'if-none-match': etag },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('ratelimit-remaining')).toBe('397');
  });

  it('gives SYNC keys their larger budget', async () => {
    const key = bearer((await gw.auth.keys.create('sync', Role.SYNC)).key);
    for (let i = 1; i <= 4; i++) {
      const res = await gw.raw('/export/snapshot.ndjson', { headers: key });
      expect(res.status).toBe(200);
      await res.text();
      expect(res.headers.get('ratelimit-limit')).toBe('100000');
      expect(res.headers.get('ratelimit-remaining')).toBe(String(100000 - i * 1000));
    }
  });
});
