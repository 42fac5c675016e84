import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestGateway, TestGateway } from '../helpers/gateway';
import { postFrom } from '../helpers/post-from';

/**
 * Whose address keys an anonymous caller's rate budget: the peer's, unless TRUST_PROXY says
 * which proxies' `X-Forwarded-For` to believe. Clients get addresses of their own on the loopback
 * network (127.0.0.2, 127.0.0.3…); the proxy is a real one, on 127.0.0.1, that appends the address
 * it sees to `X-Forwarded-For` as nginx's `$proxy_add_x_forwarded_for` does.
 */

const READ = JSON.stringify({
  query: '{ unit(slug: "cabinet-du-prefet-seine-et-marne") { name } }',
});
const POINTS = '500';

interface Answer {
  status: number;
  remaining: number | undefined;
}

/** POSTs a read to `port` from the local address `from`, with extra headers. */
async function read(port: number, from: string, headers: Record<string, string> = {}) {
  const res = await postFrom(`http://127.0.0.1:${port}/graphql`, from, READ, headers);
  const cost = res.body.extensions?.cost as { remaining?: number } | undefined;
  return { status: res.status, remaining: cost?.remaining } satisfies Answer;
}

/** Spends `from`'s budget through `port` until it is refused; returns its first answer. */
async function spend(port: number, from: string): Promise<Answer> {
  const first = await read(port, from);
  expect(first.status).toBe(200);
  for (let i = 0; i < 50; i++) if ((await read(port, from)).status === 429) return first;
  throw new Error(`${from} never exhausted a budget of ${POINTS} points`);
}

/** A reverse proxy on 127.0.0.1 in front of `gateway`. */
async function startProxy(gateway: TestGateway) {
  const target = new URL(gateway.origin);
  const server = http.createServer((req, res) => {
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        localAddress: '127.0.0.1',
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': forwarded },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('TRUST_PROXY unset: X-Forwarded-For is never believed', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ RATE_LIMIT_POINTS: POINTS });
  });
  afterAll(() => gw.stop());

  it('gives a client that forges X-Forwarded-For from loopback no fresh budget', async () => {
    const port = +new URL(gw.origin).port;
    await spend(port, '127.0.0.1');
    for (const forged of ['203.0.113.9', '198.51.100.7, 203.0.113.10', '::1']) {
      expect(await read(port, '127.0.0.1', { 'x-forwarded-for': forged })).toMatchObject({
        status: 429,
      });
    }
  });

  it('keys the budget by the peer address', async () => {
    const port = +new URL(gw.origin).port;
    expect(await read(port, '127.0.0.2')).toMatchObject({ status: 200 });
  });
});

// Note: not `loopback`, which would also trust the test's clients, on loopback themselves, as
// proxies; in a deployment the clients are elsewhere.
describe.each([['1'], ['127.0.0.1'], ['127.0.0.1/32, 10.0.0.0/8']])(
  'TRUST_PROXY=%s behind a real reverse proxy on 127.0.0.1',
  (trust) => {
    let gw: TestGateway;
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    beforeAll(async () => {
      gw = await startTestGateway({ RATE_LIMIT_POINTS: POINTS, TRUST_PROXY: trust });
      proxy = await startProxy(gw);
    });
    afterAll(async () => {
      await proxy.close();
      await gw.stop();
    });

    it('gives each forwarded client its own budget, and believes no header forged before the proxy', async () => {
      const first = await spend(proxy.port, '127.0.0.2');
      const other = await read(proxy.port, '127.0.0.3');
      expect(other).toEqual(first);
      for (const forged of ['203.0.113.9', '127.0.0.4', '198.51.100.7, 127.0.0.5']) {
        expect(await read(proxy.port, '127.0.0.2', { 'x-forwarded-for': forged })).toMatchObject({
          status: 429,
        });
      }
      // The proxy's own budget, as a direct caller, was never touched.
      expect(await read(+new URL(gw.origin).port, '127.0.0.1')).toEqual(first);
    });
  },
);
