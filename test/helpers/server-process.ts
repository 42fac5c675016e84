import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';

/** The repository's root, where the built server and CLIs live under `dist/`. */
export const ROOT = path.join(__dirname, '..', '..');

/**
 * Starts the built server (`npm start`'s command) on `databaseUrl`, on a free port; `ready`
 * resolves with its GraphQL URL, `exited` with its exit code, `logged(text)` once its output
 * contains `text`. `root` is the package it runs from: this checkout, or an installed copy.
 */
export function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
  root = ROOT,
) {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('annuaire-graphql ready'));
      if (line) resolve(JSON.parse(line).url);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const logged = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!output.includes(text)) return;
        child.stdout.off('data', check);
        resolve();
      };
      child.stdout.on('data', check);
      check();
    });
  return { child, ready, exited, logged, output: () => output };
}

/**
 * Creates an API key on the database of `databaseUrl` with the keys CLI (`npm run keys`), as an
 * operator does, and returns it. Note: the CLI, not the test's own process, whose entities may
 * be typed for the other dialect.
 */
export function createKey(databaseUrl: string, role: string, name = `test ${role}`): string {
  const out = execFileSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'cli', 'keys.js'), 'create', '--name', name, '--role', role],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
      encoding: 'utf8',
    },
  );
  return out.trim().split('\n').pop()!;
}

/** POSTs an operation to a server process with a bearer key; expects no errors, returns `data`. */
export async function gqlAs(url: string, query: string, variables: object, key: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, never>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!;
}
