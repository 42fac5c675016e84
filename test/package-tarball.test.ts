import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usingPostgres } from './helpers/gateway';
import { ROOT, startServerProcess } from './helpers/server-process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * The package as an operator installs it: `npm pack`'s tarball (the built `dist/`, the seeds,
 * the schema), unpacked with the lock file beside it, `npm ci --omit=dev`, then `npm start`.
 * Note: the packaging does not depend on the database, so the PostgreSQL pass leaves it out;
 * installing compiles better-sqlite3 (its prebuilt binaries are not reachable here), which
 * takes one to two minutes of CPU.
 */
(usingPostgres ? describe.skip : describe)('the packed tarball, installed for production', () => {
  let dir: string;
  let app: string;
  let server: ReturnType<typeof startServerProcess> | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-pack-'));
    // Note: dist/ is fresh (Jest's global set-up builds it), so packing needs no prepare step.
    const [packed] = JSON.parse(
      execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as Array<{ filename: string }>;
    execFileSync('tar', ['-xzf', path.join(dir, packed.filename), '-C', dir]);
    app = path.join(dir, 'package');
    fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(app, 'package-lock.json'));
    execFileSync(npm, ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: app,
      stdio: 'ignore',
    });
  }, 600_000);
  afterAll(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds what the runtime needs and no sources or tests', () => {
    for (const needed of ['dist/main.js', 'dist/widget/manifest.json', 'seeds', 'LICENSE'])
      expect(fs.existsSync(path.join(app, needed))).toBe(true);
    for (const left of ['src', 'test', 'widget/src', '.ci'])
      expect(fs.existsSync(path.join(app, left))).toBe(false);
    expect(fs.existsSync(path.join(app, 'node_modules', 'typescript'))).toBe(false);
  });

  it('starts with `npm start` in production on SQLite, seeded, and answers', async () => {
    server = startServerProcess(
      `sqlite:${path.join(dir, 'annuaire.sqlite')}`,
      { NODE_ENV: 'production' },
      app,
    );
    const url = await server.ready;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ topUnits { slug } }' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { topUnits: Array<{ slug: string }> } };
    expect(body.data.topUnits.map((u) => u.slug)).toContain('prefecture-seine-et-marne');
    expect((await fetch(new URL('/ready', url))).status).toBe(200);
  });

  it('serves the schema as a federated subgraph with FEDERATION=true', async () => {
    // Note: @apollo/subgraph is loaded at start only with FEDERATION=true, so only this start
    // shows that the production install holds it.
    const federated = startServerProcess(
      `sqlite:${path.join(dir, 'federated.sqlite')}`,
      { NODE_ENV: 'production', FEDERATION: 'true' },
      app,
    );
    try {
      const url = await federated.ready;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { _service: { sdl: string } } };
      expect(body.data._service.sdl).toContain('type OrgUnit implements Node');
      expect(body.data._service.sdl.match(/@key\(fields: "id"\)/g)).toHaveLength(3);
    } finally {
      federated.child.kill('SIGTERM');
      await federated.exited;
    }
  });
});
