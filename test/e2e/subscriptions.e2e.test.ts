import { startTestGateway, TestGateway } from '../helpers/gateway';
import { WsConnection } from '../helpers/subscription';
import { databaseFingerprint } from '../helpers/snapshot';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import {
  compactChangeLog,
  encodeFeedCursor,
  headSequence,
} from '../../src/modules/sync/change-feed';
import { ChangeEntry } from '../../src/modules/changelog/change-entry.entity';

const CABINET = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne'));
const PREFECTURE = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'prefecture-seine-et-marne'));

/** The fields a test compares between the feed and the subscription. */
const CHANGE_FIELDS = `sequence cursor operation entityType entityId version occurredAt
  changedFields { field before after } node { __typename id } tombstone { id reason } surrogateKeys`;

const SUBSCRIBE = `subscription($after: String, $subtree: ID, $types: [EntityType!]) {
  directoryChanges(after: $after, subtree: $subtree, types: $types) { ${CHANGE_FIELDS} }
}`;

const FEED = `query($after: String) {
  changes(after: $after, first: 1000) { pageInfo { endCursor } nodes { ${CHANGE_FIELDS} } }
}`;

const RENAME = `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { id version } userErrors { code } } }`;

type Change = Record<string, unknown> & { sequence: number; cursor: string };

describe('directoryChanges over WebSocket and Server-Sent Events', () => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  let version = 1;
  const open: WsConnection[] = [];

  async function rename(name: string): Promise<void> {
    const res = await gw.gql(
      RENAME,
      { input: { id: CABINET, expectedVersion: version, name } },
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    version += 1;
  }
  async function feedAfter(after: string): Promise<{ nodes: Change[]; endCursor: string }> {
    const res = await gw.gql<{ changes: { nodes: Change[]; pageInfo: { endCursor: string } } }>(
      FEED,
      { after },
    );
    expect(res.body.errors).toBeUndefined();
    return {
      nodes: res.body.data!.changes.nodes,
      endCursor: res.body.data!.changes.pageInfo.endCursor,
    };
  }
  async function connect(payload: Record<string, unknown> = {}): Promise<WsConnection> {
    const ws = await WsConnection.open(gw.url, payload);
    open.push(ws);
    await ws.acknowledged();
    return ws;
  }
  const head = async () => encodeFeedCursor(await headSequence(gw.db));

  beforeAll(async () => {
    gw = await startTestGateway();
    const { key } = await gw.auth.keys.create('subscriptions editor', Role.EDITOR);
    editor = { authorization: `Bearer ${key}` };
  });
  afterEach(async () => {
    const closing = open.splice(0);
    for (const ws of closing) ws.close();
    await Promise.all(closing.map((ws) => ws.closed));
    await new Promise((r) => setTimeout(r, 50));
    // Note: every subscriber of a closed connection left the hub.
    expect(gw.services.changeHub!.size).toBe(0);
  });
  afterAll(() => gw.stop());

  it('replays from a cursor, then goes live, with no gap and no duplicate at the seam', async () => {
    const start = await head();
    for (let i = 0; i < 3; i++) await rename(`Cabinet replay ${i}`);
    const ws = await connect();
    ws.subscribe('1', SUBSCRIBE, { after: start });
    // Note: writes go on while the replay runs, so that some land on either side of the seam.
    for (let i = 0; i < 5; i++) await rename(`Cabinet live ${i}`);
    const expected = (await feedAfter(start)).nodes;
    expect(expected).toHaveLength(8);
    await ws.until(() => ws.nexts('1').length >= 8);
    await new Promise((r) => setTimeout(r, 300));
    const got = ws.nexts('1').map((p) => p.data!.directoryChanges);
    expect(got).toEqual(expected);
    expect(ws.nexts('1').every((p) => p.errors === undefined)).toBe(true);
    // Note: each change's cursor is the feed's edge cursor: a client resumes from the last one.
    expect((got[got.length - 1] as Change).cursor).toBe((await feedAfter(start)).endCursor);
  });

  it('without a cursor, goes live from the current head', async () => {
    await rename('Cabinet before subscribing');
    const ws = await connect();
    ws.subscribe('live', SUBSCRIBE);
    await new Promise((r) => setTimeout(r, 300));
    const before = await head();
    const sent = Date.now();
    await rename('Cabinet live without cursor');
    await ws.until(() => ws.nexts('live').length >= 1, 2000);
    expect(Date.now() - sent).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 200));
    expect(ws.nexts('live').map((p) => p.data!.directoryChanges)).toEqual(
      (await feedAfter(before)).nodes,
    );
  });

  it('catches up a change whose notification was lost, from the log itself', async () => {
    const ws = await connect();
    ws.subscribe('lost', SUBSCRIBE);
    await new Promise((r) => setTimeout(r, 300));
    // Note: an entry appended outside the write path (as by an instance whose notification never
    // arrived): nobody is told, the periodic read finds it.
    const repo = gw.db.getRepository(ChangeEntry);
    const last = (await repo.find({ order: { sequence: 'DESC' }, take: 1 }))[0];
    const { sequence: _sequence, occurredAt: _at, ...copy } = last;
    void _sequence;
    void _at;
    await repo.insert({ ...copy, changes: copy.changes as never, version: last.version + 1000 });
    const inserted = await headSequence(gw.db);
    await ws.until(() => ws.nexts('lost').length >= 1, gw.config.subscriptions.catchUpMs + 2000);
    expect(ws.nexts('lost').map((p) => (p.data!.directoryChanges as Change).sequence)).toEqual([
      inserted,
    ]);
  });

  it('filters by subtree and type as the feed does', async () => {
    const ws = await connect();
    ws.subscribe('other', SUBSCRIBE, {
      subtree: toGlobalId('OrgUnit', seedUuid('OrgUnit', 'onacvg')),
    });
    ws.subscribe('posts', SUBSCRIBE, { types: ['POST'] });
    ws.subscribe('units', SUBSCRIBE, { subtree: PREFECTURE, types: ['ORG_UNIT'] });
    await new Promise((r) => setTimeout(r, 300));
    await rename('Cabinet filtered');
    await ws.until(() => ws.nexts('units').length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(ws.nexts('other')).toEqual([]);
    expect(ws.nexts('posts')).toEqual([]);
    expect(ws.nexts('units')).toHaveLength(1);
  });

  it('leaves private fields out and refuses them field by field, as over HTTP', async () => {
    const { key } = await gw.auth.keys.create('subscriptions agent', Role.AGENT);
    const query = `subscription { directoryChanges(types: [PERSON]) {
      changedFields { field after } node { ... on Person { familyName email } } } }`;
    const anon = await connect();
    const agent = await connect({ authorization: `Bearer ${key}` });
    anon.subscribe('p', query);
    agent.subscribe('p', query);
    await new Promise((r) => setTimeout(r, 300));
    const res = await gw.gql(
      `mutation($input: CreatePersonInput!) { createPerson(input: $input) { userErrors { code } } }`,
      { input: { slug: 'abonne-prive', familyName: 'Privé', email: 'prive@example.fr' } },
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    await anon.until(() => anon.nexts('p').length >= 1);
    await agent.until(() => agent.nexts('p').length >= 1);
    const seen = anon.nexts('p')[0];
    const fields = (
      seen.data!.directoryChanges as { changedFields: Array<{ field: string }> }
    ).changedFields.map((f) => f.field);
    expect(fields).toContain('familyName');
    expect(fields).not.toContain('email');
    expect(seen.data!.directoryChanges).toMatchObject({
      node: { familyName: 'Privé', email: null },
    });
    expect(seen.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const granted = agent.nexts('p')[0];
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.directoryChanges).toMatchObject({ node: { email: 'prive@example.fr' } });
  });

  it('refuses depth, cost and alias floods before subscribing, with the codes of HTTP', async () => {
    const ws = await connect();
    const deep = `subscription { directoryChanges { node { ... on OrgUnit {
      parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } } } } } }`;
    const costly = `subscription { directoryChanges { node { ... on OrgUnit {
      children(first: 100) { nodes { children(first: 100) { nodes { id name } } } } } } } }`;
    const aliases = `subscription { directoryChanges { ${Array.from({ length: 60 }, (_, i) => `a${i}: sequence`).join(' ')} } }`;
    const cases: Array<[string, string]> = [
      [deep, 'QUERY_TOO_DEEP'],
      [costly, 'QUERY_TOO_COMPLEX'],
      [aliases, 'QUERY_TOO_MANY_ALIASES'],
      ['subscription { directoryChanges { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
      ['subscription { directoryChanges { ', 'GRAPHQL_PARSE_FAILED'],
      ['{ __typename }', 'SUBSCRIPTIONS_ONLY'],
      ['subscription { directoryChanges(subtree: "bm90LWFuLWlk") { sequence } }', 'BAD_USER_INPUT'],
    ];
    for (const [i, [query, code]] of cases.entries()) {
      ws.subscribe(`l${i}`, query);
      const errors = await ws.errorOf(`l${i}`);
      expect([query, errors[0].extensions?.code]).toEqual([query, code]);
    }
    // Note: refused before subscribing: an `error` message, never a `next`; BAD_USER_INPUT comes
    // from the subscribe function, before any event.
    for (let i = 0; i < 6; i++) expect(ws.nexts(`l${i}`)).toEqual([]);
  });

  it('ends the stream with SYNC_CURSOR_EXPIRED for a cursor the log no longer holds, or ahead of it', async () => {
    const ws = await connect();
    ws.subscribe('ahead', SUBSCRIBE, { after: encodeFeedCursor((await headSequence(gw.db)) + 50) });
    expect((await ws.errorOf('ahead'))[0].extensions?.code).toBe('SYNC_CURSOR_EXPIRED');
    ws.subscribe('bad', SUBSCRIBE, { after: 'not a cursor' });
    expect((await ws.errorOf('bad'))[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('closes a connection with bad credentials with 4403, in the payload or the header', async () => {
    const bad = await WsConnection.open(gw.url, { authorization: 'Bearer not-a-key' });
    const closed = await bad.closed;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/^UNAUTHENTICATED: /);
    const header = await WsConnection.open(gw.url, {}, { authorization: 'Bearer ak_nope' });
    expect((await header.closed).code).toBe(4403);
    // Note: a valid key in the payload wins over nothing in the header.
    const good = await connect({ authorization: editor.authorization });
    good.subscribe('ok', SUBSCRIBE);
    await new Promise((r) => setTimeout(r, 200));
    expect(good.messages.some((m) => m.type === 'error')).toBe(false);
  });

  it('refuses a subscription sent over plain HTTP, POST or GET, with SUBSCRIPTION_OVER_HTTP', async () => {
    const before = await databaseFingerprint(gw.db);
    const post = await gw.gql('subscription { directoryChanges { sequence } }');
    expect(post.status).toBe(400);
    expect(post.body.errors?.[0].extensions?.code).toBe('SUBSCRIPTION_OVER_HTTP');
    const get = await gw.raw(
      `/graphql?query=${encodeURIComponent('subscription { directoryChanges { sequence } }')}`,
      { headers: { accept: 'application/json' } },
    );
    expect(get.status).toBe(400);
    expect(
      ((await get.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]
        .extensions.code,
    ).toBe('SUBSCRIPTION_OVER_HTTP');
    expect(await databaseFingerprint(gw.db)).toEqual(before);
  });

  it('serves the same changes over Server-Sent Events, replay and live', async () => {
    const start = await head();
    await rename('Cabinet SSE replay');
    const controller = new AbortController();
    const res = await fetch(`${gw.origin}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIBE, variables: { after: start } }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('content-encoding')).not.toMatch(/gzip|br/);
    const events: Change[] = [];
    const reader = res.body!.getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += Buffer.from(value).toString();
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const data = /^event: next\ndata: (.*)$/m.exec(block);
          if (data)
            events.push(
              (JSON.parse(block.split('data: ')[1]) as { data: { directoryChanges: Change } }).data
                .directoryChanges,
            );
        }
      }
    })().catch(() => undefined);
    const wait = async (n: number) => {
      const deadline = Date.now() + 5000;
      while (events.length < n && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
    };
    await wait(1);
    await rename('Cabinet SSE live');
    await wait(2);
    expect(events).toEqual((await feedAfter(start)).nodes);
    expect(gw.services.changeHub!.size).toBe(1);
    controller.abort();
    await pump;
    // Note: the client went away: its subscriber is gone from the hub.
    await new Promise((r) => setTimeout(r, 300));
    expect(gw.services.changeHub!.size).toBe(0);
  });

  it('answers 401 to an event stream with bad credentials', async () => {
    const res = await fetch(`${gw.origin}/graphql/stream`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: 'Bearer not-a-key',
      },
      body: JSON.stringify({ query: SUBSCRIBE }),
    });
    expect(res.status).toBe(401);
    expect(
      ((await res.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]
        .extensions.code,
    ).toBe('UNAUTHENTICATED');
  });

  it('ends live subscribers with SYNC_CURSOR_EXPIRED when a replay cursor was compacted away', async () => {
    const old = encodeFeedCursor(1);
    await compactChangeLog(gw.db, new Date(Date.now() + 1000));
    const ws = await connect();
    ws.subscribe('old', SUBSCRIBE, { after: old });
    expect((await ws.errorOf('old'))[0].extensions?.code).toBe('SYNC_CURSOR_EXPIRED');
    // Note: over Server-Sent Events, the stream carries the error, then completes.
    const res = await fetch(`${gw.origin}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIBE, variables: { after: old } }),
    });
    const text = await res.text();
    expect(text).toMatch(/event: complete/);
    const next = /^event: next\ndata: (.*)$/m.exec(text)!;
    const body = JSON.parse(next[1]) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('SYNC_CURSOR_EXPIRED');
  });
});
