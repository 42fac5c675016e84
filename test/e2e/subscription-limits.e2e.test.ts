import http from 'node:http';
import type { Socket } from 'node:net';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { WsConnection } from '../helpers/subscription';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';
import { sqlStatements } from '../../src/metrics';

const PREFECTURE = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'prefecture-seine-et-marne'));
const SIMPLE = 'subscription { directoryChanges { sequence cursor } }';
const METRICS_TOKEN = 'metrics-token-for-subscription-tests';

/** Subscriptions under tight settings: access reserved to SYNC, caps, heartbeats, buffers. */
describe('subscription limits', () => {
  let gw: TestGateway;
  let sync: string;
  let editor: string;
  const open: WsConnection[] = [];

  async function connect(authorization?: string): Promise<WsConnection> {
    const ws = await WsConnection.open(gw.url, authorization ? { authorization } : {});
    open.push(ws);
    await ws.acknowledged();
    return ws;
  }
  async function versionOf(id: string): Promise<number> {
    const res = await gw.gql<{ node: { version: number } }>(
      'query($id: ID!) { node(id: $id) { ... on OrgUnit { version } } }',
      { id },
    );
    return res.body.data!.node.version;
  }
  async function gauge(transport: 'ws' | 'sse' = 'ws', on: TestGateway = gw): Promise<number> {
    const res = await on.raw('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const line = (await res.text())
      .split('\n')
      .find((l) => l.startsWith(`annuaire_subscriptions_open{transport="${transport}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  beforeAll(async () => {
    gw = await startTestGateway({
      SYNC_ACCESS: 'sync',
      REQUEST_TIMEOUT_MS: '500',
      SUBSCRIPTIONS_PER_CALLER: '2',
      SUBSCRIPTION_HEARTBEAT_MS: '200',
      SUBSCRIPTION_BUFFER_BYTES: '65536',
      QUERY_MAX_COMPLEXITY: '10000000',
      // Note: no periodic read during the tests that count statements.
      SUBSCRIPTION_CATCH_UP_MS: '600000',
      // Note: nor the webhook worker's poll, one statement every WEBHOOK_POLL_MS (500 by default)
      // that fell in one count's window and not the other's.
      WEBHOOK_POLL_MS: '600000',
      METRICS_TOKEN,
    });
    sync = `Bearer ${(await gw.auth.keys.create('limits sync', Role.SYNC)).key}`;
    editor = `Bearer ${(await gw.auth.keys.create('limits editor', Role.EDITOR)).key}`;
  });
  afterEach(() => {
    for (const ws of open.splice(0)) ws.close();
  });
  afterAll(() => gw.stop());

  it('applies the access rule of the feed (SYNC_ACCESS)', async () => {
    const anonymous = await connect();
    anonymous.subscribe('a', SIMPLE);
    expect((await anonymous.errorOf('a'))[0].extensions?.code).toBe('UNAUTHENTICATED');
    const edit = await connect(editor);
    edit.subscribe('e', SIMPLE);
    expect((await edit.errorOf('e'))[0].extensions?.code).toBe('FORBIDDEN');
    const reader = await connect(sync);
    reader.subscribe('s', SIMPLE);
    await new Promise((r) => setTimeout(r, 300));
    expect(reader.messages.filter((m) => m.type !== 'connection_ack')).toEqual([]);
  });

  it('caps the open subscriptions of one caller, across its connections, and counts them', async () => {
    const first = await connect(sync);
    const second = await connect(sync);
    first.subscribe('1', SIMPLE);
    second.subscribe('2', SIMPLE);
    await new Promise((r) => setTimeout(r, 200));
    expect(await gauge()).toBe(2);
    second.subscribe('3', SIMPLE);
    const refused = await second.errorOf('3');
    expect(refused[0].extensions).toMatchObject({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 2 });
    // Note: a completed subscription gives its place back.
    first.socket.send(JSON.stringify({ id: '1', type: 'complete' }));
    await new Promise((r) => setTimeout(r, 200));
    second.subscribe('4', SIMPLE);
    await new Promise((r) => setTimeout(r, 200));
    expect(second.messages.some((m) => m.id === '4')).toBe(false);
    first.close();
    second.close();
    await Promise.all([first.closed, second.closed]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await gauge()).toBe(0);
  });

  it('reads the change log once per new head, whatever the number of subscribers', async () => {
    const editorGw = `Bearer ${(await gw.auth.keys.create('count editor', Role.EDITOR)).key}`;
    const keys = await Promise.all(
      [0, 1, 2, 3].map(
        async (i) => `Bearer ${(await gw.auth.keys.create(`reader ${i}`, Role.SYNC)).key}`,
      ),
    );
    let version = 1;
    const query =
      'subscription { directoryChanges { sequence changedFields { field after } node { id } } }';
    const statementsFor = async (connections: WsConnection[]): Promise<number> => {
      const counts = connections.map((ws) => ws.nexts('c').length);
      const before = (await sqlStatements.get()).values[0]?.value ?? 0;
      const res = await gw.gql(
        `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }`,
        {
          input: {
            id: PREFECTURE,
            expectedVersion: version,
            name: `Préfecture comptée ${version}`,
          },
        },
        { authorization: editorGw },
      );
      expect(res.body.errors).toBeUndefined();
      version += 1;
      for (const [i, ws] of connections.entries())
        await ws.until(() => ws.nexts('c').length > counts[i]);
      await new Promise((r) => setTimeout(r, 200));
      return ((await sqlStatements.get()).values[0]?.value ?? 0) - before;
    };
    const first = await connect(keys[0]);
    first.subscribe('c', query);
    await new Promise((r) => setTimeout(r, 200));
    const one = await statementsFor([first]);
    const more = await Promise.all(keys.slice(1).map((key) => connect(key)));
    for (const ws of more) ws.subscribe('c', query);
    await new Promise((r) => setTimeout(r, 300));
    const many = await statementsFor([first, ...more]);
    expect(many).toBe(one);
  });

  it('sends heartbeats: WebSocket pings, comment lines on the event stream', async () => {
    const ws = await connect(sync);
    ws.subscribe('h', SIMPLE);
    await new Promise((r) => setTimeout(r, 900));
    expect(ws.pings).toBeGreaterThanOrEqual(3);
    const controller = new AbortController();
    const res = await fetch(`${gw.origin}/graphql/stream`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        'accept-encoding': 'gzip, br',
        authorization: sync,
      },
      body: JSON.stringify({ query: SIMPLE }),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
      if ((text.match(/^:\n\n/gm) ?? []).length >= 4) break;
    }
    expect((text.match(/^:\n\n/gm) ?? []).length).toBeGreaterThanOrEqual(3);
    // Note: past REQUEST_TIMEOUT_MS, with compression accepted, a live event without a cursor
    // still comes through at once: no deadline, compression or answer cache holds the stream.
    await new Promise((r) => setTimeout(r, 600));
    const res2 = await gw.gql(
      `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { version } userErrors { code } } }`,
      {
        input: {
          id: PREFECTURE,
          expectedVersion: await versionOf(PREFECTURE),
          name: 'Préfecture SSE',
        },
      },
      { authorization: editor },
    );
    expect(res2.body.errors).toBeUndefined();
    const sent = Date.now();
    // Note: the periodic read is off (600 s): what arrives was pushed.
    while (!/^event: next$/m.test(text) && Date.now() - sent < 10_000) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    expect(text).toMatch(/^event: next\ndata: \{"data":\{"directoryChanges":\{"sequence":\d+/m);
    controller.abort();
  });

  it('lets a client that stopped reading fall behind and catch up from the log, every change once', async () => {
    // Note: a client that stops reading also stops answering pings, and is cut off after one
    // heartbeat without a pong: this gateway's heartbeat is long enough not to interfere.
    const slowGw = await startTestGateway({
      SUBSCRIPTION_HEARTBEAT_MS: '60000',
      SUBSCRIPTION_BUFFER_BYTES: '65536',
      QUERY_MAX_COMPLEXITY: '10000000',
      QUERY_MAX_ALIASES: '1000',
      QUERY_MAX_TOKENS: '20000',
      METRICS_TOKEN,
    });
    try {
      await slowConsumer(slowGw);
    } finally {
      await slowGw.stop();
    }
  }, 40_000);

  it('cuts off a client that stops answering the pings', async () => {
    const ws = await connect(sync);
    ws.subscribe('p', SIMPLE);
    (ws.socket as unknown as { _socket: Socket })._socket.pause();
    await new Promise((r) => setTimeout(r, 1000));
    (ws.socket as unknown as { _socket: Socket })._socket.resume();
    expect((await ws.closed).code).toBe(1006);
  });

  it('cuts off an event stream whose client takes nothing for two heartbeats, and frees its place', async () => {
    const stallGw = await startTestGateway({
      SUBSCRIPTION_HEARTBEAT_MS: '300',
      SUBSCRIPTIONS_PER_CALLER: '1',
      QUERY_MAX_COMPLEXITY: '10000000',
      QUERY_MAX_ALIASES: '1000',
      QUERY_MAX_TOKENS: '20000',
      METRICS_TOKEN,
    });
    let stalled: http.ClientRequest | null = null;
    try {
      const editor = `Bearer ${(await stallGw.auth.keys.create('stall editor', Role.EDITOR)).key}`;
      // Note: large events (some 300 kB each), so that a few fill the socket's buffers.
      const big = Array.from({ length: 800 }, (_, i) => `a${i}: surrogateKeys`).join(' ');
      const query = `subscription { directoryChanges(types: [ORG_UNIT]) { sequence ${big} } }`;
      const opened = new Promise<http.IncomingMessage>((resolve, reject) => {
        stalled = http.request(
          `${stallGw.origin}/graphql/stream`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          },
          resolve,
        );
        stalled.on('error', () => undefined);
        stalled.end(JSON.stringify({ query }));
        setTimeout(() => reject(new Error('no stream')), 5000);
      });
      const res = await opened;
      expect(res.statusCode).toBe(200);
      // Note: the client stops reading altogether; it never sees the cut, so the server's
      // gauge says when the stream was given up.
      res.pause();
      res.socket.pause();
      expect(await gauge('sse', stallGw)).toBe(1);
      // Note: changes until the socket's buffers, which the kernel sizes for itself (several
      // megabytes on loopback), are full and the stream is cut, or 150 of them.
      let version = 1;
      for (let i = 0; i < 150; i++) {
        if (i % 10 === 9 && (await gauge('sse', stallGw)) === 0) break;
        const w = await stallGw.gql(
          `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }`,
          { input: { id: PREFECTURE, expectedVersion: version, name: `Préfecture ${i}` } },
          { authorization: editor },
        );
        expect(w.body.errors).toBeUndefined();
        version += 1;
      }
      const deadline = Date.now() + 10_000;
      while ((await gauge('sse', stallGw)) > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(await gauge('sse', stallGw)).toBe(0);
      // Note: its place in the caller's cap (1) is free again: a new stream is accepted.
      const again = await stallGw.raw('/graphql/stream', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: SIMPLE }),
      });
      expect(again.status).toBe(200);
      await again.body?.cancel();
    } finally {
      (stalled as http.ClientRequest | null)?.destroy();
      await stallGw.stop();
    }
  }, 30_000);

  async function slowConsumer(gw: TestGateway): Promise<void> {
    const editor = `Bearer ${(await gw.auth.keys.create('slow editor', Role.EDITOR)).key}`;
    let version = 1;
    // Note: each event is made large (some 300 kB) with aliases, so that the socket's buffers,
    // which the kernel sizes for itself, fill up after a few dozen.
    const big = Array.from({ length: 800 }, (_, i) => `a${i}: surrogateKeys`).join(' ');
    const ws = await WsConnection.open(gw.url);
    open.push(ws);
    await ws.acknowledged();
    ws.subscribe(
      'slow',
      `subscription { directoryChanges(types: [ORG_UNIT]) { sequence ${big} } }`,
    );
    // Note: the same subscription over Server-Sent Events, by a client that stops reading too.
    let sseText = '';
    const sseEnded = new Promise<void>((resolve, reject) => {
      const req = http.request(
        `${gw.origin}/graphql/stream`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        },
        (res) => {
          res.pause();
          sse = res;
          res.on('data', (chunk: Buffer) => (sseText += chunk.toString()));
          res.on('end', () => resolve());
          res.on('error', reject);
          res.on('aborted', () => reject(new Error('stream cut off')));
        },
      );
      req.on('error', reject);
      req.end(
        JSON.stringify({
          query: `subscription { directoryChanges(types: [ORG_UNIT]) { sequence ${big} } }`,
        }),
      );
    });
    let sse: http.IncomingMessage | null = null;
    await new Promise((r) => setTimeout(r, 200));
    // Note: the clients stop reading; the writes go on.
    const tcp = (ws.socket as unknown as { _socket: Socket })._socket;
    tcp.pause();
    (sse as http.IncomingMessage | null)?.socket.pause();
    let closedAt: number | null = null;
    void ws.closed.then(() => (closedAt = Date.now()));
    for (let i = 0; i < 150; i++) {
      const res = await gw.gql(
        `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }`,
        { input: { id: PREFECTURE, expectedVersion: version, name: `Préfecture ${i}` } },
        { authorization: editor },
      );
      expect(res.body.errors).toBeUndefined();
      version += 1;
    }
    // Note: what waited for them passed the bound while they did not read.
    expect(await fellBehindCount(gw)).toBeGreaterThan(0);
    tcp.resume();
    (sse as http.IncomingMessage | null)?.socket.resume();
    (sse as http.IncomingMessage | null)?.resume();
    await ws.until(
      (m) => m.filter((x) => x.id === 'slow' && x.type === 'next').length >= 150,
      30_000,
    );
    const sequences = ws
      .nexts('slow')
      .map((p) => (p.data!.directoryChanges as { sequence: number }).sequence);
    expect(sequences).toHaveLength(150);
    expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
    expect(new Set(sequences).size).toBe(150);
    expect(sequences[149] - sequences[0]).toBe(149);
    expect(closedAt).toBeNull();
    expect(ws.socket.readyState).toBe(ws.socket.OPEN);
    // Note: the stream, too, got every change once, in order, and is still open.
    const deadline = Date.now() + 30_000;
    const sseSequences = () =>
      [...sseText.matchAll(/^data: \{"data":\{"directoryChanges":\{"sequence":(\d+)/gm)].map((m) =>
        Number(m[1]),
      );
    while (sseSequences().length < 150 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(sseSequences()).toEqual(sequences);
    expect(sseText).not.toMatch(/SLOW_CONSUMER|event: complete/);
    (sse as http.IncomingMessage | null)?.destroy();
    await sseEnded.catch(() => undefined);
  }

  async function fellBehindCount(gw: TestGateway): Promise<number> {
    const res = await gw.raw('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const line = (await res.text())
      .split('\n')
      .find((l) => l.startsWith('annuaire_subscribers_fell_behind_total '));
    return line ? Number(line.split(' ').pop()) : 0;
  }
});
