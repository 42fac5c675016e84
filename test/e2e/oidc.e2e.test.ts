import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, JWTPayload, KeyLike, SignJWT } from 'jose';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { databaseFingerprint } from '../helpers/snapshot';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

/**
 * Bearer JWTs from an OpenID Connect provider, verified against a JWKS file the test writes
 * with keys it generates: a valid token writes as its subject; any flaw in it refuses the
 * request with UNAUTHENTICATED and writes nothing.
 */

const ISSUER = 'https://sso.example.invalid/realms/annuaire';
const AUDIENCE = 'annuaire-graphql';
const SERVICES = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne'));

const CREATE = `mutation($input: CreateUnitInput!) {
  createUnit(input: $input) { unit { id slug } userErrors { field code } }
}`;

let gw: TestGateway;
let dir: string;
let signingKey: KeyLike;
let otherKey: KeyLike;

/** A token from the configured provider, unless the claims or options say otherwise. */
async function token(
  claims: JWTPayload = {},
  options: { key?: KeyLike; issuer?: string; audience?: string; expires?: string | number } = {},
): Promise<string> {
  return new SignJWT({ realm_access: { roles: ['annuaire-editors'] }, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setSubject(typeof claims.sub === 'string' ? claims.sub : 'agent-42')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '10m')
    .sign(options.key ?? signingKey);
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-oidc-'));
  const jwks = path.join(dir, 'jwks.json');
  fs.writeFileSync(jwks, JSON.stringify({ keys: [jwk] }));
  gw = await startTestGateway({
    OIDC_JWKS: jwks,
    OIDC_ISSUER: ISSUER,
    OIDC_AUDIENCE: AUDIENCE,
    OIDC_ROLE_CLAIM: 'realm_access.roles',
    OIDC_ROLE_MAP: 'annuaire-editors=EDITOR,annuaire-admins=ADMIN',
  });
});

afterAll(async () => {
  await gw?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a valid token', () => {
  it('is an EDITOR, by credential OIDC, acting as oidc:<sub>', async () => {
    const res = await gw.gql(
      '{ me { authenticated role credential name actor } }',
      {},
      { authorization: `Bearer ${await token({ name: 'Claire Martin' })}` },
    );
    expect(res.body).toMatchObject({
      data: {
        me: {
          authenticated: true,
          role: 'EDITOR',
          credential: 'OIDC',
          name: 'Claire Martin',
          actor: 'oidc:agent-42',
        },
      },
    });
  });

  it('creates a unit, recorded with its subject as actor', async () => {
    const res = await gw.gql(
      CREATE,
      { input: { slug: 'bureau-oidc', name: 'Bureau OIDC', kind: 'BUREAU', parentId: SERVICES } },
      { authorization: `Bearer ${await token()}` },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toMatchObject({
      createUnit: { unit: { slug: 'bureau-oidc' }, userErrors: [] },
    });
    const id = (res.body.data as { createUnit: { unit: { id: string } } }).createUnit.unit.id;

    const admin = await token({ sub: 'admin-1', realm_access: { roles: ['annuaire-admins'] } });
    const audit = await gw.gql(
      `query($id: ID!) { auditLog(filter: { entityId: $id }) { nodes { operation actor } } }`,
      { id },
      { authorization: `Bearer ${admin}` },
    );
    expect(audit.body.data).toEqual({
      auditLog: { nodes: [{ operation: 'CREATED', actor: 'oidc:agent-42' }] },
    });
  });

  it('writes as a subject as long as the actor column allows (195 characters)', async () => {
    const sub = `agent-${'x'.repeat(189)}`;
    const res = await gw.gql(
      CREATE,
      {
        input: {
          slug: 'bureau-oidc-long',
          name: 'Bureau long',
          kind: 'BUREAU',
          parentId: SERVICES,
        },
      },
      { authorization: `Bearer ${await token({ sub })}` },
    );
    expect(res.body.errors).toBeUndefined();
    const id = (res.body.data as { createUnit: { unit: { id: string } } }).createUnit.unit.id;
    const admin = await token({ sub: 'admin-1', realm_access: { roles: ['annuaire-admins'] } });
    const audit = await gw.gql(
      `query($id: ID!) { auditLog(filter: { entityId: $id }) { nodes { actor } } }`,
      { id },
      { authorization: `Bearer ${admin}` },
    );
    expect(audit.body.data).toEqual({ auditLog: { nodes: [{ actor: `oidc:${sub}` }] } });
    expect(`oidc:${sub}`).toHaveLength(200);
  });

  it('takes the highest mapped role, and a claim value naming a role', async () => {
    const both = await token({ realm_access: { roles: ['annuaire-editors', 'annuaire-admins'] } });
    const named = await token({ realm_access: { roles: ['agent'] } });
    const me = '{ me { role } }';
    expect((await gw.gql(me, {}, { authorization: `Bearer ${both}` })).body.data).toEqual({
      me: { role: 'ADMIN' },
    });
    expect((await gw.gql(me, {}, { authorization: `Bearer ${named}` })).body.data).toEqual({
      me: { role: 'AGENT' },
    });
  });
});

describe('a token that is refused', () => {
  /** How a token is spoiled. */
  interface Case {
    name: string;
    token: () => Promise<string>;
  }

  const cases: Case[] = [
    {
      name: 'an expired token',
      token: () => token({}, { expires: Math.floor(Date.now() / 1000) - 120 }),
    },
    { name: 'a wrong issuer', token: () => token({}, { issuer: 'https://evil.example.invalid' }) },
    { name: 'a wrong audience', token: () => token({}, { audience: 'another-api' }) },
    { name: 'a token signed by another key', token: () => token({}, { key: otherKey }) },
    {
      name: 'a token with no mapped role',
      token: () => token({ realm_access: { roles: ['annuaire-readers'] } }),
    },
    { name: 'a token without the role claim', token: () => token({ realm_access: {} }) },
    {
      name: 'a token not yet valid',
      token: async () =>
        new SignJWT({ realm_access: { roles: ['annuaire-editors'] } })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .setSubject('agent-42')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setNotBefore('1h')
          .setExpirationTime('2h')
          .sign(signingKey),
    },
    {
      name: 'an unsigned token (alg none)',
      token: async () => {
        const signed = (await token()).split('.');
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString(
          'base64url',
        );
        return `${header}.${signed[1]}.`;
      },
    },
    {
      name: 'a token whose payload was altered',
      token: async () => {
        const [header, , signature] = (await token()).split('.');
        const payload = Buffer.from(
          JSON.stringify({
            sub: 'agent-42',
            iss: ISSUER,
            aud: AUDIENCE,
            exp: Math.floor(Date.now() / 1000) + 600,
            realm_access: { roles: ['annuaire-admins'] },
          }),
        ).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    },
    { name: 'a string that is no JWT', token: async () => 'not.a.jwt' },
    // A subject that could not stand as the actor of a write: too long for the actor column,
    // or holding a character that no text of the directory may hold.
    { name: 'a subject one character too long', token: () => token({ sub: 'x'.repeat(196) }) },
    { name: 'a subject holding a NUL', token: () => token({ sub: 'agent\u000042' }) },
    { name: 'a subject holding a control character', token: () => token({ sub: 'agent\u001b42' }) },
    { name: 'a subject holding a lone surrogate', token: () => token({ sub: 'agent\ud80042' }) },
    { name: 'an empty subject', token: () => token({ sub: '' }) },
  ];

  it.each(cases)('$name → HTTP 401 UNAUTHENTICATED, nothing written', async (c) => {
    const before = await databaseFingerprint(gw.db);
    const res = await gw.gql(
      CREATE,
      { input: { slug: 'bureau-refuse', name: 'Refusé', kind: 'BUREAU', parentId: SERVICES } },
      { authorization: `Bearer ${await c.token()}` },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await databaseFingerprint(gw.db)).toBe(before);
  });

  it.each(cases)('$name → UNAUTHENTICATED on a read too', async (c) => {
    const res = await gw.gql('{ me { role } }', {}, { authorization: `Bearer ${await c.token()}` });
    expect(res.status).toBe(401);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('a JWKS served over HTTP', () => {
  it('is fetched from its URL and verifies tokens the same way', async () => {
    const http = await import('node:http');
    const pair = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'url-key', alg: 'RS256', use: 'sig' };
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const remote = await startTestGateway({
      OIDC_JWKS: `http://127.0.0.1:${port}/jwks.json`,
      OIDC_ROLE_CLAIM: 'roles',
    });
    try {
      const jwt = await new SignJWT({ roles: ['AGENT'] })
        .setProtectedHeader({ alg: 'RS256', kid: 'url-key' })
        .setSubject('agent-url')
        .setExpirationTime('5m')
        .sign(pair.privateKey);
      const res = await remote.gql('{ me { role actor } }', {}, { authorization: `Bearer ${jwt}` });
      expect(res.body.data).toEqual({ me: { role: 'AGENT', actor: 'oidc:agent-url' } });
    } finally {
      await remote.stop();
      server.close();
    }
  });
});
