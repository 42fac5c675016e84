import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { freshDatabase } from '../helpers/gateway';
import { LoggedGateway, startLoggedGateway } from '../helpers/logged-gateway';
import { Role } from '../../src/graphql/role';

/**
 * Credentials never reach the log: a real gateway logs at `debug` into a captured stream while
 * it is called with an API key, a bearer JWT, a cookie, credentials in URLs, a mutation that
 * fails unexpectedly with a key in its variables, and the sync CLI with a SYNC key. The request
 * lines are there; no secret is.
 */

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli', 'sync.js');
const ISSUER = 'https://sso.example.invalid/realms/annuaire';

let gw: LoggedGateway;
let origin: string;
let dir: string;
let signingKey: KeyLike;
const logged = () => gw.lines.join('');
const records = () => gw.records();

/** A POST to /graphql with extra headers; returns the parsed body. */
async function post(query: string, variables: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, never> };
}

/** Runs the built sync CLI to its end; returns its exit code and everything it printed. */
function runSync(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, LOG_LEVEL: 'debug', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-logs-'));
  const pair = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'RS256', use: 'sig' };
  fs.writeFileSync(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
  signingKey = pair.privateKey;
  gw = await startLoggedGateway({
    SYNC_ACCESS: 'sync',
    OIDC_JWKS: path.join(dir, 'jwks.json'),
    OIDC_ISSUER: ISSUER,
  });
  origin = gw.origin;
});

afterAll(async () => {
  await gw?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the request log', () => {
  it('shows each request but no API key, JWT, cookie or URL credential', async () => {
    const { key } = await gw.auth.keys.create('logged editor', Role.EDITOR);
    const jwt = await new SignJWT({ roles: ['AGENT'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k' })
      .setSubject('agent-7')
      .setIssuer(ISSUER)
      .setExpirationTime('10m')
      .sign(signingKey);
    const cookie = 'c00kie-value-that-must-not-be-logged';
    const proxySecret = 'proxy-secret-that-must-not-be-logged';
    const urlSecret = 'url-secret-that-must-not-be-logged';
    gw.lines.length = 0;

    const me = '{ me { authenticated role } }';
    expect((await post(me, {}, { authorization: `Bearer ${key}` })).body).toMatchObject({
      data: { me: { authenticated: true, role: 'EDITOR' } },
    });
    expect((await post(me, {}, { authorization: `Bearer ${jwt}` })).body).toMatchObject({
      data: { me: { authenticated: true, role: 'AGENT' } },
    });
    expect((await post(me, {}, { cookie: `session=${cookie}` })).status).toBe(200);
    expect((await post(me, {}, { 'proxy-authorization': `Basic ${proxySecret}` })).status).toBe(
      200,
    );
    // A wrong key, and credentials in URLs: the query string and a GraphQL GET.
    expect((await post(me, {}, { authorization: `Bearer ${key.slice(0, -2)}xx` })).status).toBe(
      401,
    );
    await fetch(`${origin}/export/snapshot.ndjson?key=${urlSecret}`);
    await fetch(`${origin}/graphql?query=${encodeURIComponent(me)}&access_token=${urlSecret}`);

    const ids = records()
      .filter((r) => r.msg === 'request completed')
      .map((r) => r.req?.url);
    expect(ids.filter((url) => url === '/graphql')).toHaveLength(5);
    expect(ids.some((url) => url?.startsWith('/export/snapshot.ndjson?key='))).toBe(true);
    const text = logged();
    for (const secret of [key, key.slice(16), jwt, cookie, proxySecret, urlSecret])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"headers"/);
  });

  it('keeps a key out of the log of an unexpected error, variables and SQL parameters included', async () => {
    const { key } = await gw.auth.keys.create('pasted by mistake', Role.EDITOR);
    gw.lines.length = 0;
    // Note: a table that has gone away makes the write fail in SQL, with the input as parameters.
    await gw.db.query('ALTER TABLE person RENAME TO person_away');
    try {
      const res = await post(
        'mutation($input: CreatePersonInput!) { createPerson(input: $input) { person { id } } }',
        { input: { slug: 'logged-person', familyName: key, email: 'x@example.org' } },
        { authorization: `Bearer ${key}` },
      );
      expect(res.body).toMatchObject({
        errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      });
    } finally {
      await gw.db.query('ALTER TABLE person_away RENAME TO person');
    }
    const unexpected = records().filter((r) => r.msg === 'unexpected error');
    expect(unexpected).toHaveLength(1);
    expect(JSON.stringify(unexpected[0])).toMatch(/person/);
    expect(records().some((r) => r.msg === 'request completed')).toBe(true);
    expect(logged()).not.toContain(key.slice(16));
    expect(logged()).not.toContain('x@example.org');
  });
});

describe('the sync CLI', () => {
  it('mirrors with a SYNC key that neither its output nor the gateway log shows', async () => {
    const { key } = await gw.auth.keys.create('ministry mirror', Role.SYNC);
    const mirror = await freshDatabase();
    gw.lines.length = 0;
    try {
      const run = await runSync(['--from', gw.url, '--key', key, '--database', mirror.url]);
      expect(run.output).toMatch(/^done: 1 snapshot\(s\)/m);
      expect(run.code).toBe(0);
      expect(run.output).not.toContain(key.slice(16));
    } finally {
      await mirror.drop();
    }
    const urls = records()
      .filter((r) => r.msg === 'request completed')
      .map((r) => r.req?.url);
    expect(urls).toEqual(expect.arrayContaining(['/graphql', '/export/snapshot.ndjson']));
    expect(logged()).not.toContain(key.slice(16));
  });

  it('prints no credential of a remote URL or a database URL when they fail', async () => {
    const remote = gw.url.replace('http://', 'http://mirror:remote-pass-not-printed@');
    const bad = await runSync(['--from', remote, '--database', `sqlite:${dir}/m.sqlite`]);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/Cannot reach http:\/\/mirror:\[redacted\]@127\.0\.0\.1/);
    expect(bad.output).not.toContain('remote-pass-not-printed');

    const database = 'postgres://annuaire:db-pass-not-printed@127.0.0.1:1/none';
    const down = await runSync(['--from', gw.url, '--database', database]);
    expect(down.code).toBe(1);
    expect(down.output).not.toContain('db-pass-not-printed');
  });
});
