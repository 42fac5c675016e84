import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { forward, readBody } from '../helpers/forward';
import { freshDatabase, startTestGateway, TestGateway } from '../helpers/gateway';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { Role } from '../../src/graphql/role';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli', 'sync.js');
const CABINET = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne'));

/** The CLI running: its lines, and a wait for the next line matching a pattern. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  let listeners: Array<() => void> = [];
  child.stderr.on('data', (chunk) => (stderr += chunk));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const listener of listeners.splice(0)) listener();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let from = 0;
  return {
    lines,
    exited,
    /** The next line matching `re`, within `ms`. */
    async line(re: RegExp, ms = 10_000): Promise<string> {
      const deadline = Date.now() + ms;
      for (;;) {
        const index = lines.findIndex((l, i) => i >= from && re.test(l));
        if (index >= 0) {
          from = index + 1;
          return lines[index];
        }
        if (Date.now() > deadline)
          throw new Error(`no line ${re} in: ${lines.join(' | ')} ${stderr}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          listeners.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    stop() {
      listeners = [];
      child.kill('SIGTERM');
    },
  };
}

/**
 * Forwards HTTP requests to `origin`; WebSocket upgrades are refused with 403, or, with
 * `passUpgrades`, piped through until `cut()` drops them.
 */
async function noWebSocketProxy(origin: string, passUpgrades = false) {
  const sockets = new Set<Duplex>();
  const server = http.createServer(async (req, res) => {
    const { status, contentType, payload } = await forward(origin, req, await readBody(req));
    res.writeHead(status, { 'content-type': contentType });
    res.end(payload);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!passUpgrades) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const target = new URL(origin);
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(socket);
    sockets.add(upstream);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    /** Drops every WebSocket piped through, as a network failure would. */
    cut: () => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('npm run sync -- --watch', () => {
  let gw: TestGateway;
  let syncKey: string;
  let editor: Record<string, string>;
  let version = 1;

  async function rename(name: string): Promise<void> {
    const res = await gw.gql(
      `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }`,
      { input: { id: CABINET, expectedVersion: version, name } },
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    version += 1;
  }

  beforeAll(async () => {
    gw = await startTestGateway();
    syncKey = (await gw.auth.keys.create('watch mirror', Role.SYNC)).key;
    editor = {
      authorization: `Bearer ${(await gw.auth.keys.create('watch editor', Role.EDITOR)).key}`,
    };
  });
  afterAll(() => gw.stop());

  it('follows the subscription and applies a live change at once', async () => {
    const mirror = await freshDatabase();
    const run = startCli(['--from', gw.url, '--key', syncKey, '--database', mirror.url, '--watch']);
    try {
      await run.line(/^following the subscription \(push\)$/);
      await new Promise((r) => setTimeout(r, 300));
      await rename('Cabinet suivi en direct');
      const line = await run.line(/^applied 1 change \(pushed\), through sequence \d+$/, 10_000);
      expect(line).toMatch(/pushed/);
    } finally {
      run.stop();
      expect(await run.exited).toBe(0);
      await mirror.drop();
    }
  });

  it('falls back to polling when the WebSocket is refused, saying why', async () => {
    const proxy = await noWebSocketProxy(gw.origin);
    const mirror = await freshDatabase();
    const run = startCli([
      '--from',
      proxy.url,
      '--key',
      syncKey,
      '--database',
      mirror.url,
      '--watch',
    ]);
    try {
      const why = await run.line(/^the subscription is unavailable/);
      expect(why).toMatch(/403/);
      expect(why).toMatch(/polling, trying it again in 60 s$/);
      await rename('Cabinet suivi par sondage');
      await run.line(/^applied 1 change\(s\)/, 10_000);
      expect(run.lines.some((l) => l.includes('(pushed)'))).toBe(false);
    } finally {
      run.stop();
      expect(await run.exited).toBe(0);
      proxy.close();
      await mirror.drop();
    }
  });

  it('falls back to polling when the subscription drops, saying why', async () => {
    const proxy = await noWebSocketProxy(gw.origin, true);
    const mirror = await freshDatabase();
    const run = startCli([
      '--from',
      proxy.url,
      '--key',
      syncKey,
      '--database',
      mirror.url,
      '--watch',
    ]);
    try {
      await run.line(/^following the subscription \(push\)$/);
      await rename('Cabinet avant la coupure');
      await run.line(/^applied 1 change \(pushed\)/, 3000);
      proxy.cut();
      const why = await run.line(/^the subscription is unavailable/);
      expect(why).toMatch(/closed with 1006/);
      await rename('Cabinet après la coupure');
      await run.line(/^applied 1 change\(s\)/, 10_000);
    } finally {
      run.stop();
      expect(await run.exited).toBe(0);
      proxy.close();
      await mirror.drop();
    }
  });
});
