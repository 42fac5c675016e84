import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import type { DataSource } from 'typeorm';
import { freshDatabase } from './helpers/gateway';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/app/gateway';
import { ApiKeyService } from '../src/modules/auth/api-key.service';
import { ApiKey } from '../src/modules/auth/api-key.entity';
import { Role } from '../src/graphql/role';

/**
 * The built keys CLI (`npm run keys -- …`) on a fresh database: the key is printed once and only
 * its hash is stored; list never shows a secret; revoke takes effect; bad arguments exit
 * non-zero with a message that says what is wrong.
 */

const CLI = path.join(__dirname, '..', 'dist', 'cli', 'keys.js');
const KEY = /^ak_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/m;

let database: { url: string; drop: () => Promise<void> };
let db: DataSource;
let keys: ApiKeyService;

/** Runs the CLI with arguments on the test database. */
function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every stored column of every key, as text. */
async function storedKeys(): Promise<string> {
  return JSON.stringify(await db.query('SELECT * FROM api_key'));
}

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  database = await freshDatabase();
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  db = await openDatabase(config, createLogger('silent'));
  keys = new ApiKeyService(db);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

describe('keys CLI', () => {
  let key: string;
  let prefix: string;

  it('lists no keys on a fresh database', () => {
    const run = cli('list');
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout.trim()).toBe('No keys.');
  });

  it('create prints the key once, and stores only its hash', async () => {
    const run = cli('create', '--name', 'Intranet de la préfecture', '--role', 'EDITOR');
    expect(run.status).toBe(0);
    const match = KEY.exec(run.stdout);
    expect(match).not.toBeNull();
    [key, prefix] = [match![0], match![1]];
    expect(run.stdout.split(key)).toHaveLength(2);
    expect(run.stdout).toContain(`Created key ${prefix} (EDITOR) for "Intranet de la préfecture"`);
    expect(run.stdout).toMatch(/shown once/);

    const stored = await storedKeys();
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(match![2]);
    const record = await db.getRepository(ApiKey).findOneByOrFail({ prefix });
    expect(record).toMatchObject({
      name: 'Intranet de la préfecture',
      role: 'EDITOR',
      expiresAt: null,
      revokedAt: null,
      hash: createHash('sha256').update(key).digest('hex'),
    });
    expect(await keys.verify(key)).toMatchObject({
      kind: 'key',
      role: 'EDITOR',
      actor: `key:${record.id}`,
    });
  });

  it('create stores an expiry date', async () => {
    const run = cli(
      'create',
      '--name',
      'Export nocturne',
      '--role',
      'SYNC',
      '--expires',
      '2099-12-31',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('expires 2099-12-31T00:00:00.000Z');
    const created = KEY.exec(run.stdout)!;
    const record = await db.getRepository(ApiKey).findOneByOrFail({ prefix: created[1] });
    expect(record.expiresAt).toEqual(new Date('2099-12-31T00:00:00Z'));
    expect(await keys.verify(created[0], new Date('2100-01-01T00:00:00Z'))).toBe('expired');
  });

  it('list shows the keys without their secrets', async () => {
    const run = cli('list');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(prefix);
    expect(run.stdout).toContain('Intranet de la préfecture');
    expect(run.stdout).toContain('Export nocturne');
    expect(run.stdout).toMatch(/EDITOR/);
    expect(run.stdout).toMatch(/active/);
    expect(run.stdout).not.toContain(key);
    expect(run.stdout).not.toContain(key.slice(16));
    for (const { hash } of await db.getRepository(ApiKey).find()) {
      expect(run.stdout).not.toContain(hash);
    }
  });

  it('revoke by prefix refuses the key at once', async () => {
    const run = cli('revoke', prefix);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Revoked key ${prefix}`);
    expect(await keys.verify(key)).toBe('revoked');
    expect(cli('list').stdout).toMatch(/revoked/);
  });

  it('revoke by id works too, and an unknown key exits 1', async () => {
    const { record } = await keys.create('Temporaire', Role.AGENT);
    expect(cli('revoke', record.id).status).toBe(0);
    expect(await db.getRepository(ApiKey).findOneByOrFail({ id: record.id })).toMatchObject({
      revokedAt: expect.any(Date),
    });
    const unknown = cli('revoke', 'zzzzzzzzzzzz');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No key has the prefix or id "zzzzzzzzzzzz"');
  });

  /** Arguments the CLI must refuse, and what its message must say. */
  const refused: Array<{ name: string; args: string[]; message: RegExp }> = [
    {
      name: 'an invalid role',
      args: ['create', '--name', 'X', '--role', 'SUPERUSER'],
      message: /--role.*SUPERUSER.*AGENT, EDITOR, SYNC, ADMIN/s,
    },
    {
      name: 'the ANONYMOUS role',
      args: ['create', '--name', 'X', '--role', 'ANONYMOUS'],
      message: /--role.*ANONYMOUS/s,
    },
    {
      name: 'a past expiry',
      args: ['create', '--name', 'X', '--role', 'EDITOR', '--expires', '2020-01-01'],
      message: /--expires.*the expiry must be in the future/s,
    },
    {
      name: 'an expiry that is no date',
      args: ['create', '--name', 'X', '--role', 'EDITOR', '--expires', 'soon'],
      message: /--expires.*expected a date/s,
    },
    {
      name: 'a missing name',
      args: ['create', '--role', 'EDITOR'],
      message: /required option '--name <name>' not specified/,
    },
    {
      name: 'a blank name',
      args: ['create', '--name', '   ', '--role', 'EDITOR'],
      message: /name of 1 to 200 characters/,
    },
    {
      name: 'a missing role',
      args: ['create', '--name', 'X'],
      message: /required option '--role <role>' not specified/,
    },
    { name: 'revoke without a key', args: ['revoke'], message: /missing required argument/ },
  ];

  it.each(refused)('$name exits non-zero with a clear message, storing nothing', async (c) => {
    const before = await storedKeys();
    const run = cli(...c.args);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(c.message);
    expect(run.stdout).not.toMatch(KEY);
    expect(await storedKeys()).toBe(before);
  });
});
