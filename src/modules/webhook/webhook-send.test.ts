import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { sendSigned } from './webhook-send';

/** The sender against a real local receiver: signature, and the guard at connection time. */
describe('sendSigned', () => {
  let server: http.Server;
  let port: number;
  const got: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const options = (allowPrivateNetworks: boolean) => ({
    connectTimeoutMs: 1000,
    timeoutMs: 1000,
    allowPrivateNetworks,
    signal: new AbortController().signal,
  });

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('POSTs a body that Webhook.verify accepts', async () => {
    const body = JSON.stringify({ type: 't', timestamp: new Date().toISOString(), data: {} });
    const result = await sendSigned(
      `http://127.0.0.1:${port}/`,
      secret,
      'msg-1',
      body,
      options(true),
    );
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null });
    const [req] = got.splice(0);
    expect(req.headers['webhook-id']).toBe('msg-1');
    expect(new Webhook(secret).verify(req.body, req.headers as Record<string, string>)).toEqual(
      JSON.parse(body),
    );
  });

  it('connects through the guarded lookup to a name, when private networks are allowed', async () => {
    const result = await sendSigned(
      `http://localhost:${port}/`,
      secret,
      'msg-3',
      '{}',
      options(true),
    );
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
    expect(got.splice(0)).toHaveLength(1);
  });

  it.each(['127.0.0.1', 'localhost', '[::ffff:127.0.0.1]'])(
    'refuses to connect to %s without WEBHOOK_ALLOW_PRIVATE_NETWORKS, resolved at the connection',
    async (host) => {
      const result = await sendSigned(
        `http://${host}:${port}/`,
        secret,
        'msg-2',
        '{}',
        options(false),
      );
      expect(result).toMatchObject({ ok: false, statusCode: null, failure: 'address' });
      expect(result.error).toMatch(/loopback address/);
      expect(got).toHaveLength(0);
    },
  );
});
