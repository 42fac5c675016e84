import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { Like } from 'typeorm';
import { freshDatabase, usingPostgres } from '../helpers/gateway';
import { ROOT, startServerProcess } from '../helpers/server-process';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { openDatabase } from '../../src/app/gateway';
import { ApiKeyService } from '../../src/modules/auth/api-key.service';
import { OrgUnit } from '../../src/modules/org-unit/org-unit.entity';
import { Role } from '../../src/graphql/role';

describe('the server process', () => {
  it('starts on an empty database, seeds it, serves, and on SIGTERM drains and closes the database before exiting 0', async () => {
    const database = await freshDatabase();
    try {
      const server = startServerProcess(database.url);
      const url = await server.ready;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ unit(slug: "cabinet-du-prefet-seine-et-marne") { name } }',
        }),
      });
      expect(await res.json()).toMatchObject({ data: { unit: { name: 'Cabinet du préfet' } } });
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain('empty directory seeded');
      expect(server.output()).toContain('draining requests, then closing the database');
    } finally {
      await database.drop();
    }
  });

  it('refuses an invalid configuration with a clear message and exit code 2', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).toContain('PORT');
  });
});

/** What a client of the burst saw for one request. */
type Outcome =
  | { kind: 'answered'; status: number; connection: string | undefined; body: string }
  | { kind: 'refused' }
  | { kind: 'lost'; error: string };

/**
 * Sends one POST over `agent` and reports what the client saw: a whole answer, a refused
 * connection (never accepted, so never run), or a lost one (reset or hung up after the request
 * was written), which a graceful shutdown must never cause.
 */
function post(agent: http.Agent, url: URL, body: unknown, headers: Record<string, string>) {
  return new Promise<Outcome>((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve(
            res.complete
              ? {
                  kind: 'answered',
                  status: res.statusCode ?? 0,
                  connection: res.headers.connection,
                  body: text,
                }
              : { kind: 'lost', error: 'incomplete answer' },
          ),
        );
        res.on('error', (err) => resolve({ kind: 'lost', error: String(err) }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve(
        err.code === 'ECONNREFUSED'
          ? { kind: 'refused' }
          : { kind: 'lost', error: `${err.code}: ${err.message}` },
      ),
    );
    req.end(JSON.stringify(body));
  });
}

const READ = { query: '{ unit(slug: "cabinet-du-prefet-seine-et-marne") { name } }' };
const CREATE = `mutation($input: CreateUnitInput!) {
  createUnit(input: $input) { unit { slug } userErrors { code } }
}`;

/**
 * The built server under a burst of reads and writes over a few keep-alive connections (one
 * request at a time on each, as Node's agent sends them), signalled after a third of it: every
 * request is answered whole or refused before it was accepted, and the database holds exactly
 * the writes whose clients saw them succeed.
 */
describe('a burst of requests over keep-alive connections, with SIGTERM in the middle', () => {
  const BURST = 300;
  const CONNECTIONS = 6;
  const SIGNAL_AFTER = 100;

  it(`answers every request it accepted, loses no committed write and exits 0 (${usingPostgres ? 'PostgreSQL' : 'SQLite'})`, async () => {
    const database = await freshDatabase();
    const config = loadConfig({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    let db = await openDatabase(config, createLogger('silent'));
    const { key } = await new ApiKeyService(db).create('shutdown burst', Role.EDITOR);
    await db.destroy();
    const agents = Array.from(
      { length: CONNECTIONS },
      () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
    );
    try {
      const server = startServerProcess(database.url, { NODE_ENV: 'production' });
      const url = new URL(await server.ready);
      let settled = 0;
      const outcomes = await Promise.all(
        Array.from({ length: BURST }, (_, i) => {
          const write = i % 5 === 0;
          const body = write
            ? {
                query: CREATE,
                variables: { input: { slug: `arret-${i}`, name: `Arrêt ${i}`, kind: 'BUREAU' } },
              }
            : READ;
          const headers: Record<string, string> = write ? { authorization: `Bearer ${key}` } : {};
          return post(agents[i % CONNECTIONS], url, body, headers).then((outcome) => {
            if (++settled === SIGNAL_AFTER) server.child.kill('SIGTERM');
            return { i, write, outcome };
          });
        }),
      );
      expect(await server.exited).toBe(0);

      const lost = outcomes.filter((o) => o.outcome.kind === 'lost');
      expect(lost.map(({ i, outcome }) => `request ${i}: ${JSON.stringify(outcome)}`)).toEqual([]);
      const answered = outcomes.flatMap(({ write, outcome }) =>
        outcome.kind === 'answered' ? [{ write, ...outcome, json: JSON.parse(outcome.body) }] : [],
      );
      // The signal came mid-burst: requests before it were answered, some after it refused.
      expect(answered.length).toBeGreaterThanOrEqual(SIGNAL_AFTER);
      expect(answered.length).toBeLessThan(BURST);
      // Answers given while draining asked their clients to close the connection.
      expect(answered.some((a) => a.connection === 'close')).toBe(true);
      for (const a of answered) {
        expect(a.status).toBe(200);
        expect(a.json.errors).toBeUndefined();
      }
      const acknowledged = answered
        .filter((a) => a.write)
        .map((a) => a.json.data.createUnit.unit.slug as string);

      db = await openDatabase(config, createLogger('silent'));
      const committed = await db.getRepository(OrgUnit).find({ where: { slug: Like('arret-%') } });
      await db.destroy();
      // Every acknowledged write is there, and nothing else: no write committed unanswered.
      expect(committed.map((u) => u.slug).sort()).toEqual(acknowledged.sort());
    } finally {
      for (const agent of agents) agent.destroy();
      await database.drop();
    }
  });

  it('answers a request sent after the signal on an idle keep-alive connection, with Connection: close, and refuses new connections', async () => {
    const database = await freshDatabase();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const server = startServerProcess(database.url, { NODE_ENV: 'production' });
      const url = new URL(await server.ready);
      const first = await post(agent, url, READ, {});
      expect(first).toMatchObject({ kind: 'answered', status: 200, connection: 'keep-alive' });
      server.child.kill('SIGTERM');
      await server.logged('draining requests, then closing the database');
      const onIdle = await post(agent, url, READ, {});
      expect(onIdle).toMatchObject({ kind: 'answered', status: 200, connection: 'close' });
      expect(JSON.parse((onIdle as { body: string }).body)).toMatchObject({
        data: { unit: { name: 'Cabinet du préfet' } },
      });
      expect(await post(agent, url, READ, {})).toEqual({ kind: 'refused' });
      expect(await server.exited).toBe(0);
    } finally {
      agent.destroy();
      await database.drop();
    }
  });
});
