import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expressServer } from './express-server';

/**
 * expressServer: Node builds each request and response with the app's own prototypes, so that
 * Express's `Object.setPrototypeOf` in `app.handle` has nothing to change, and everything Express
 * gives them still works.
 */

let server: http.Server;
let base: string;
/** The prototypes of each request and response as Node built them, before Express saw them. */
const built: Array<{ req: unknown; res: unknown }> = [];
/** The same, as the app's first handler saw them. */
const seen: Array<{ req: unknown; res: unknown }> = [];
let app: express.Express;

beforeAll(async () => {
  app = express();
  app.set('trust proxy', 'loopback');
  app.use((req, res, next) => {
    seen.push({ req: Object.getPrototypeOf(req), res: Object.getPrototypeOf(res) });
    res.locals.hello = 'bonjour';
    next();
  });
  const router = express.Router();
  router.get('/:name', (req, res) => {
    res
      .status(201)
      .set('x-seen', req.get('x-test') ?? '')
      .json({
        ip: req.ip,
        protocol: req.protocol,
        path: req.path,
        query: req.query,
        name: req.params.name,
        hello: res.locals.hello,
      });
  });
  app.use('/sub', router);
  app.post('/body', express.json(), (req, res) => {
    res.type('text/plain').send(`got ${(req.body as { n: number }).n}`);
  });
  server = expressServer(app, { requestTimeout: 5000 });
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    built.push({ req: Object.getPrototypeOf(req), res: Object.getPrototypeOf(res) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

it('gives Express requests and responses built with the app’s prototypes', async () => {
  built.length = 0;
  seen.length = 0;
  await fetch(`${base}/sub/x`);
  await fetch(`${base}/sub/y`);
  expect(built).toHaveLength(2);
  // Note: Node's own prototypes would show here without the classes, and Express would then
  // change them to the app's as the request enters the app.
  for (const b of built) {
    expect(b.req).toBe(app.request);
    expect(b.res).toBe(app.response);
    expect(b.req).not.toBe(http.IncomingMessage.prototype);
  }
  expect(seen).toEqual(built);
  expect(app.request).toBeInstanceOf(http.IncomingMessage);
  expect(app.response).toBeInstanceOf(http.ServerResponse);
});

it('keeps what Express adds: req.ip behind a trusted proxy, req.query, params, res.json, res.locals', async () => {
  const res = await fetch(`${base}/sub/prefecture?depth=3&q=a`, {
    headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-test': 'yes' },
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('x-seen')).toBe('yes');
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.json()).toEqual({
    ip: '203.0.113.7',
    protocol: 'https',
    path: '/prefecture',
    query: { depth: '3', q: 'a' },
    name: 'prefecture',
    hello: 'bonjour',
  });
});

it('keeps body parsing and the server’s own options', async () => {
  const res = await fetch(`${base}/body`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ n: 42 }),
  });
  expect(await res.text()).toBe('got 42');
  expect(server.requestTimeout).toBe(5000);
});
