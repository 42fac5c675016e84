import http from 'node:http';
import { freshDatabase, usingPostgres } from '../helpers/gateway';
import { createKey, startServerProcess } from '../helpers/server-process';
import { WsConnection } from '../helpers/subscription';

type Server = ReturnType<typeof startServerProcess>;

/** A POST of `{ __typename }` on a connection of its own, so that any worker may take it. */
function post(url: string): Promise<{ status: number; remaining: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            remaining: Number(res.headers['ratelimit-remaining']),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

/** The JSON lines a server process wrote that have `msg`. */
const lines = (server: Server, msg: string) =>
  server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(`"msg":"${msg}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function until(check: () => boolean) {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * `WEB_CONCURRENCY=2`: the built server runs two workers on one port (node:cluster), the first
 * one migrating and seeding. They draw on one rate budget, kept by the primary; a worker that
 * dies is replaced; METRICS_PORT, served by the primary, adds up both workers' metrics; a write
 * through one reaches the subscribers of both (through the primary on SQLite); SIGTERM
 * drains both and the primary exits 0.
 */
describe(`the server with two workers (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    database = await freshDatabase();
    server = startServerProcess(database.url, {
      WEB_CONCURRENCY: '2',
      METRICS_PORT: '0',
      // Note: no periodic read, so that subscribers hear of writes through the primary only.
      SUBSCRIPTION_CATCH_UP_MS: '600000',
    });
    url = await server.ready;
    await until(() => lines(server, 'annuaire-graphql ready').length === 2);
  }, 60_000);

  afterAll(async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await database.drop();
  });

  it('starts two workers on one port, the first one seeding', () => {
    const ready = lines(server, 'annuaire-graphql ready');
    expect(ready.map((l) => l.worker).sort()).toEqual([0, 1]);
    expect(new Set(ready.map((l) => l.url)).size).toBe(1);
    expect(lines(server, 'empty directory seeded').map((l) => l.worker)).toEqual([0]);
  });

  it('charges one rate budget, whichever worker answers', async () => {
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await post(url));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Each answer leaves less than the one before: one budget, not one per worker.
    for (let i = 1; i < answers.length; i++)
      expect(answers[i].remaining).toBeLessThan(answers[i - 1].remaining);
    // Both workers answered some of them.
    await until(() => lines(server, 'request completed').length >= 12);
    const workers = new Set(lines(server, 'request completed').map((l) => l.worker));
    expect([...workers].sort()).toEqual([0, 1]);
    // The primary's METRICS_PORT adds up both workers' figures.
    const metricsUrl = lines(server, 'metrics listening')[0].url as string;
    const text = await (await fetch(metricsUrl)).text();
    const counted = [
      ...text.matchAll(
        /^annuaire_http_request_duration_seconds_count\{[^}]*route="graphql"[^}]*\} (\d+)/gm,
      ),
    ].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(counted).toBeGreaterThanOrEqual(12);
  });

  it('replaces a worker that dies, and goes on answering', async () => {
    const victim = lines(server, 'annuaire-graphql ready').find((l) => l.worker === 1)!;
    process.kill(victim.pid as number, 'SIGKILL');
    await until(() => lines(server, 'worker died; replacing it').length === 1);
    await until(() => lines(server, 'annuaire-graphql ready').length === 3);
    const replacement = lines(server, 'annuaire-graphql ready')[2];
    expect(replacement).toMatchObject({ worker: 1 });
    expect(replacement.pid).not.toBe(victim.pid);
    for (let i = 0; i < 4; i++) expect((await post(url)).status).toBe(200);
  });

  it('pushes a write made through one worker to the subscribers of both', async () => {
    const key = createKey(database.url, 'EDITOR', 'cluster editor');
    // Note: node:cluster hands new connections to the workers in turn, so four land on both.
    const subscribers = await Promise.all([0, 1, 2, 3].map(() => WsConnection.open(url)));
    try {
      await Promise.all(subscribers.map((ws) => ws.acknowledged()));
      subscribers.forEach((ws, i) =>
        ws.subscribe(`s${i}`, 'subscription { directoryChanges(types: [ORG_UNIT]) { entityId } }'),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      const created = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          query: `mutation { createUnit(input: { slug: "unite-fictive-cluster", name: "Unité fictive", kind: OFFICE }) { unit { id } userErrors { code } } }`,
        }),
      });
      const id = ((await created.json()) as { data: { createUnit: { unit: { id: string } } } }).data
        .createUnit.unit.id;
      for (const [i, ws] of subscribers.entries()) {
        await ws.until(() => ws.nexts(`s${i}`).length >= 1);
        expect(ws.nexts(`s${i}`)[0].data).toEqual({ directoryChanges: { entityId: id } });
      }
    } finally {
      for (const ws of subscribers) ws.close();
    }
  });

  it('drains both workers on SIGTERM and exits 0', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(lines(server, 'draining requests, then closing the database')).toHaveLength(2);
  });
});
