import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../src/config';
import { startTestGateway } from './helpers/gateway';
import { ROOT } from './helpers/server-process';

/**
 * The container files, checked without a container daemon (there is none where they were
 * written): compose.yaml's gateways get only variables the configuration knows, in values it
 * accepts; the proxy is the one address they trust and appends to X-Forwarded-For; every file
 * the Dockerfile copies exists and is not excluded by .dockerignore; its health check, run as
 * written, passes against a real gateway and fails without one.
 */

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  environment?: Record<string, string>;
  networks?: Record<string, { ipv4_address?: string }> | string[];
}
const compose = parse(read('compose.yaml'), { merge: true }) as {
  services: Record<string, Service>;
};
const gateways = Object.entries(compose.services).filter(([name]) => name.startsWith('gateway'));

/** A value as compose would interpolate it: `${VAR:-default}` gives the default, `${VAR:?…}` a fake value. */
function interpolate(value: string): string {
  return String(value)
    .replace(/\$\{(\w+):-([^}]*)\}/g, (_m, _name, fallback: string) => fallback)
    .replace(/\$\{(\w+):\?[^}]*\}/g, 'fake-value');
}

/** A gateway's environment, interpolated. */
const envOf = (service: Service) =>
  Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(v)]),
  );

describe('compose.yaml', () => {
  it('runs two gateways, PostgreSQL 15, Redis and a reverse proxy', () => {
    expect(gateways.map(([name]) => name)).toEqual(['gateway-a', 'gateway-b']);
    expect(compose.services.postgres.image).toMatch(/^postgres:15\b/);
    expect(compose.services.redis.image).toMatch(/^redis:/);
    expect(compose.services.proxy.image).toMatch(/^nginx:/);
  });

  it('gives the gateways only variables the configuration reads, in values it accepts', () => {
    for (const [, service] of gateways) {
      const env = envOf(service);
      const unknown = Object.keys(env).filter((name) => !CONFIG_VARIABLES.includes(name));
      expect(unknown).toEqual([]);
      const config = loadConfig(env);
      expect(config.production).toBe(true);
      expect(config.database.dialect).toBe('postgres');
      expect(config.rateLimit.redisUrl).toBe('redis://redis:6379');
      expect(config.metrics?.port).toBe(9464);
    }
  });

  it('trusts the proxy alone, which appends to X-Forwarded-For and reaches both gateways', () => {
    const networks = compose.services.proxy.networks as Record<string, { ipv4_address: string }>;
    const proxyAddress = Object.values(networks)[0].ipv4_address;
    for (const [, service] of gateways)
      expect(loadConfig(envOf(service)).http.trustProxy).toEqual([proxyAddress]);
    const nginx = read('deploy/nginx.conf');
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    for (const [name, service] of gateways)
      expect(nginx).toContain(`server ${name}:${service.environment!.PORT};`);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const ignored = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.replace(/\/$/, ''));

  it('runs on node:20-bookworm-slim as a non-root user, in production, on port 4000', () => {
    expect(runtime).toMatch(/^\nFROM node:20-bookworm-slim AS runtime/);
    expect(runtime).toMatch(/\nUSER node\n/);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/\nEXPOSE 4000\n/);
    expect(runtime).toMatch(/npm ci --omit=dev|COPY --from=deps \/app\/node_modules\//);
    for (const folder of ['dist', 'seeds', 'schema']) expect(runtime).toContain(`/ ${folder}/\n`);
  });

  it('copies only files that exist and that .dockerignore leaves in the context', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) =>
      m[1].split(/\s+/),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      const clean = source.replace(/\/$/, '');
      expect([clean, fs.existsSync(path.join(ROOT, clean))]).toEqual([clean, true]);
      expect(ignored.filter((entry) => clean === entry || clean.startsWith(`${entry}/`))).toEqual(
        [],
      );
    }
  });

  it('has a health check, in node alone, that passes on a running gateway and fails without', async () => {
    const check = /HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile);
    expect(check).not.toBeNull();
    const [command, ...args] = JSON.parse(check![1]) as string[];
    expect(command).toBe('node');
    const run = (port: string) =>
      promisify(execFile)(process.execPath, args, { env: { ...process.env, PORT: port } }).then(
        () => 0,
        (err: { code: number }) => err.code,
      );
    const gw = await startTestGateway();
    const port = new URL(gw.origin).port;
    try {
      expect(await run(port)).toBe(0);
    } finally {
      await gw.stop();
    }
    expect(await run(port)).toBe(1);
  });
});
