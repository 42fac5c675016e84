import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { freshDatabase, usingPostgres } from '../helpers/gateway';
import { startServerProcess } from '../helpers/server-process';

/**
 * OpenTelemetry tracing of the built server (`npm start`'s command), sending to a real OTLP
 * receiver (a small HTTP server taking `POST /v1/traces` in the http/json encoding): with
 * OTEL_EXPORTER_OTLP_ENDPOINT set, the spans of HTTP, GraphQL (with the operation's name) and, on
 * PostgreSQL, pg arrive, and no credential is among them; without it, not one OpenTelemetry
 * SDK, exporter or instrumentation module is loaded.
 */

const PROBE = path.join(__dirname, '..', 'fixtures', 'loaded-modules-probe.js');

/** A fake bearer credential, plainly not a real one. */
const CREDENTIAL = 'ak_tracing-test-not-a-real-key-0123456789';

interface OtlpSpan {
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: { stringValue?: string; intValue?: string } }>;
}

/** An OTLP/HTTP receiver: keeps the bodies and the spans posted to /v1/traces. */
async function startReceiver() {
  const bodies: string[] = [];
  const spans: OtlpSpan[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        bodies.push(body);
        const parsed = JSON.parse(body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
        };
        for (const r of parsed.resourceSpans)
          for (const s of r.scopeSpans) spans.push(...(s.spans ?? []));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bodies,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: OtlpSpan, key: string) =>
  span.attributes?.find((a) => a.key === key)?.value.stringValue;

/** Resolves once `check` holds, polling; throws `what` after 20 s without it. */
async function until(check: () => boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Asks the probe preloaded into the server how many OpenTelemetry modules are loaded. */
async function loadedOtelModules(server: ReturnType<typeof startServerProcess>) {
  const before = server.output().length;
  server.child.kill('SIGUSR2');
  await server.logged('opentelemetry-modules-loaded:');
  await until(() => /opentelemetry-modules-loaded: \d+\n/.test(server.output().slice(before)));
  return Number(/opentelemetry-modules-loaded: (\d+)/.exec(server.output().slice(before))![1]);
}

async function stopServer(server: ReturnType<typeof startServerProcess>) {
  server.child.kill('SIGTERM');
  await server.exited;
}

describe('tracing', () => {
  let database: { url: string; drop: () => Promise<void> };

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.drop());

  it('loads no OpenTelemetry SDK module when OTEL_EXPORTER_OTLP_ENDPOINT is not set', async () => {
    const server = startServerProcess(database.url, { NODE_OPTIONS: `--require ${PROBE}` });
    try {
      const url = await server.ready;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query TopUnits { topUnits { id } }' }),
      });
      expect(res.status).toBe(200);
      expect(await loadedOtelModules(server)).toBe(0);
    } finally {
      await stopServer(server);
    }
  }, 60_000);

  it('sends the spans of HTTP, GraphQL and pg to the OTLP endpoint, without credentials', async () => {
    const receiver = await startReceiver();
    const server = startServerProcess(database.url, {
      NODE_OPTIONS: `--require ${PROBE}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      SEED_ON_START: 'true',
    });
    try {
      const url = await server.ready;
      expect(await loadedOtelModules(server)).toBeGreaterThan(0);
      const query = (headers: Record<string, string> = {}) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query: 'query TopUnits { topUnits { id name } }' }),
        }).then((res) => res.status);
      expect(await query()).toBe(200);
      // A refused credential: traced like any request, the credential itself nowhere.
      expect(await query({ authorization: `Bearer ${CREDENTIAL}` })).toBe(401);

      const operationSpan = (s: OtlpSpan) => attribute(s, 'graphql.operation.name') === 'TopUnits';
      await until(() => receiver.spans.some(operationSpan), 'the GraphQL operation span');
      // Note: SERVER is kind 2 in OTLP.
      const serverSpans = receiver.spans.filter(
        (s) => s.kind === 2 && attribute(s, 'http.route') !== undefined,
      );
      expect(serverSpans.map((s) => s.name)).toContain('POST /graphql');
      expect(receiver.spans.map((s) => s.name)).toEqual(
        expect.arrayContaining(['query TopUnits', 'graphql.resolve topUnits']),
      );
      if (usingPostgres) {
        const pgSpan = (s: OtlpSpan) => s.name.startsWith('pg.query');
        await until(
          () => receiver.spans.some(pgSpan),
          `a pg span among ${[...new Set(receiver.spans.map((s) => s.name))].join(', ')}`,
        );
      }
      expect(receiver.bodies.join('')).not.toContain(CREDENTIAL);
      expect(receiver.bodies.join('')).not.toMatch(/authorization/i);
    } finally {
      await stopServer(server);
      await receiver.close();
    }
  }, 60_000);
});
