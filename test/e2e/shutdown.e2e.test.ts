import { spawn } from 'node:child_process';
import path from 'node:path';
import { freshDatabase } from '../helpers/gateway';

const ROOT = path.join(__dirname, '..', '..');

/** Starts the built server (`npm start`'s command) and resolves with its URL once it is ready. */
function startServer(databaseUrl: string) {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
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
  return { child, ready, exited, output: () => output };
}

describe('the server process', () => {
  it('starts on an empty database, seeds it, serves, and on SIGTERM drains and closes the database before exiting 0', async () => {
    const database = await freshDatabase();
    try {
      const server = startServer(database.url);
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
