import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { freshDatabase, usingPostgres } from '../helpers/gateway';
import { ROOT, startServerProcess } from '../helpers/server-process';
import { adminQuery } from '../../src/db/postgres-admin';

/**
 * The sync client (`npm run sync`, built) and text that a database cannot keep: a remote gateway
 * on SQLite holds a NUL that was written straight into its database, bypassing the API. A
 * SQLite mirror copies it byte for byte; a PostgreSQL mirror stops at once with a message
 * naming the record and the field, writing nothing, and never retries; once the record is
 * corrected on the remote, the same command goes through. A change of the feed holding such
 * text is replaced by a new snapshot.
 */

const CLI = (name: string) => path.join(ROOT, 'dist', 'cli', `${name}.js`);
const CABINET = 'cabinet-du-prefet-seine-et-marne';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built CLI to its end. */
function run(cli: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [CLI(cli), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** A key made with the keys CLI on the remote's database. */
async function makeKey(databaseUrl: string, role: string): Promise<string> {
  const made = await run('keys', ['create', '--name', `text ${role}`, '--role', role], {
    DATABASE_URL: databaseUrl,
  });
  expect(made.code).toBe(0);
  return made.stdout.trim().split('\n').pop()!;
}

describe('npm run sync of text that the database cannot keep', () => {
  let dir: string;
  let remoteFile: string;
  let remote: ReturnType<typeof startServerProcess>;
  let url: string;
  let syncKey: string;
  let editor: Record<string, string>;
  /** The mirrors: a SQLite file always, and a PostgreSQL database when the run has one. */
  let sqliteMirror: string;
  let pgMirror: { url: string; drop: () => Promise<void> } | null = null;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-sync-text-'));
    remoteFile = path.join(dir, 'remote.sqlite');
    remote = startServerProcess(`sqlite:${remoteFile}`);
    url = await remote.ready;
    syncKey = await makeKey(`sqlite:${remoteFile}`, 'SYNC');
    editor = { authorization: `Bearer ${await makeKey(`sqlite:${remoteFile}`, 'EDITOR')}` };
    sqliteMirror = `sqlite:${path.join(dir, 'mirror.sqlite')}`;
    if (usingPostgres) pgMirror = await freshDatabase();
    else console.log('PostgreSQL mirror cases skipped: DATABASE_URL is not postgres.');
  });
  afterAll(async () => {
    remote?.child.kill('SIGTERM');
    await remote?.exited;
    await pgMirror?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Writes straight into the remote's database, as no API call can. */
  function remoteSql(sql: string, ...params: unknown[]): void {
    const db = new Database(remoteFile);
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  }

  /** A text column of the cabinet in a database, as the bytes of its UTF-8 encoding. */
  async function storedBytes(database: string, column: string): Promise<string | null> {
    const sql = `SELECT ${column} AS v FROM org_unit WHERE slug = '${CABINET}'`;
    let rows: Array<{ v: string }>;
    if (database.startsWith('sqlite:')) {
      const db = new Database(database.slice('sqlite:'.length), { readonly: true });
      rows = db.prepare(sql).all() as Array<{ v: string }>;
      db.close();
    } else rows = (await adminQuery(database, sql)) as Array<{ v: string }>;
    return rows.length ? Buffer.from(rows[0].v, 'utf8').toString('hex') : null;
  }

  const sync = (database: string, ...args: string[]) =>
    run('sync', ['--from', url, '--key', syncKey, '--database', database, ...args]);

  async function updateCabinet(fields: Record<string, string>): Promise<void> {
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...editor },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data: Record<string, { [k: string]: unknown }> };
    };
    const { data } = await gql('query($s: String!) { unit(slug: $s) { id version } }', {
      s: CABINET,
    });
    const unit = data.unit as { id: string; version: number };
    const res = await gql(
      'mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { userErrors { code } } }',
      { i: { id: unit.id, expectedVersion: unit.version, ...fields } },
    );
    expect(res.data.updateUnit.userErrors).toEqual([]);
  }

  const NAMED = (field: string) =>
    new RegExp(
      `OrgUnit \\S+ \\(slug ${CABINET}\\): ${field} holds a NUL character \\(U\\+0000\\) at position \\d+, which this PostgreSQL database cannot store as it is\\. Nothing of it was written: correct the record on the remote, then sync again\\.`,
    );

  it('a NUL written into the remote: SQLite copies it as it is, PostgreSQL stops naming the record, never retrying', async () => {
    remoteSql(`UPDATE org_unit SET name = ? WHERE slug = ?`, 'Cabinet\u0000 du préfet', CABINET);
    const toSqlite = await sync(sqliteMirror);
    expect(toSqlite).toMatchObject({ code: 0, stderr: '' });
    expect(await storedBytes(sqliteMirror, 'name')).toBe(
      Buffer.from('Cabinet\u0000 du préfet').toString('hex'),
    );
    if (!pgMirror) return;
    for (const args of [[], ['--watch']]) {
      const toPostgres = await sync(pgMirror.url, ...args);
      expect(toPostgres.code).toBe(1);
      expect(toPostgres.stderr).toMatch(NAMED('name'));
      expect(toPostgres.stdout).not.toMatch(/retrying/);
      expect(await adminQuery(pgMirror.url, 'SELECT * FROM sync_state')).toEqual([]);
      expect(await adminQuery(pgMirror.url, 'SELECT id FROM org_unit')).toEqual([]);
    }
  });

  it('once the record is corrected on the remote, the same command goes through', async () => {
    await updateCabinet({ name: 'Cabinet du préfet' });
    const expected = Buffer.from('Cabinet du préfet').toString('hex');
    for (const mirror of [sqliteMirror, pgMirror?.url].filter((m) => m !== undefined)) {
      const done = await sync(mirror);
      expect(done).toMatchObject({ code: 0, stderr: '' });
      expect(await storedBytes(mirror, 'name')).toBe(expected);
    }
  });

  it('a change of the feed holding a NUL: a new snapshot instead, which stops while the record holds it and goes on once corrected', async () => {
    await updateCabinet({ description: 'Texte du cabinet' });
    // Note: the change log holds the change as JSON, where the NUL is the escape \u0000.
    remoteSql(
      `UPDATE change_log SET changes = replace(changes, '"Texte du cabinet"', '"Texte\\u0000 du cabinet"')
       WHERE sequence = (SELECT MAX(sequence) FROM change_log)`,
    );
    remoteSql(
      `UPDATE org_unit SET description = ? WHERE slug = ?`,
      'Texte\u0000 du cabinet',
      CABINET,
    );
    const toSqlite = await sync(sqliteMirror);
    expect(toSqlite).toMatchObject({ code: 0, stderr: '' });
    expect(toSqlite.stdout).toMatch(/applied 1 change/);
    expect(await storedBytes(sqliteMirror, 'description')).toBe(
      Buffer.from('Texte\u0000 du cabinet').toString('hex'),
    );
    if (!pgMirror) return;
    const before = await storedBytes(pgMirror.url, 'description');
    const stopped = await sync(pgMirror.url);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(
      new RegExp(
        `^Change \\d+ of ${NAMED('description').source} Taking a new snapshot instead\\.$`,
        'm',
      ),
    );
    expect(stopped.stderr).toMatch(NAMED('description'));
    expect(await storedBytes(pgMirror.url, 'description')).toBe(before);

    await updateCabinet({ description: 'Texte corrigé' });
    const done = await sync(pgMirror.url);
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(done.stdout).toMatch(/Taking a new snapshot instead\.\nsnapshot \(unstorable change\)/);
    expect(await storedBytes(pgMirror.url, 'description')).toBe(
      Buffer.from('Texte corrigé').toString('hex'),
    );
    const again = await sync(pgMirror.url);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).not.toMatch(/snapshot \(/);
  });
});
