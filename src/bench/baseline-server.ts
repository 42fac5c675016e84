import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawDb } from './raw-db';
import { QUERIES } from './queries';

/** What the baseline server answers: B0's precomputed bytes, keyed by request body. */
export interface BaselineSetup {
  /** `b0` responses: query id → request body → exact response body of the gateway. */
  b0: Record<string, Record<string, string>>;
}

/**
 * The two baselines on one `node:http` server. `POST /b0/<Q>` answers with the precomputed
 * bytes of the gateway's response to the same body: the physical limit of HTTP and JSON here.
 * `POST /b1/<Q>` parses the body, computes the answer with raw prepared statements and sends
 * `JSON.stringify({ data })`: the limit of the data path.
 */
export async function startBaselineServer(
  db: RawDb,
  setup: BaselineSetup,
): Promise<{ url: string; close(): Promise<void> }> {
  const b0 = new Map(
    Object.entries(setup.b0).map(([q, bodies]) => [
      q,
      new Map(Object.entries(bodies).map(([body, bytes]) => [body, Buffer.from(bytes)])),
    ]),
  );
  const b1 = new Map(QUERIES.map((q) => [q.id, q]));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const [, kind, id] = /^\/(b0|b1)\/(Q\d)$/.exec(req.url ?? '') ?? [];
      const send = (status: number, bytes: Buffer | string) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(bytes),
        });
        res.end(bytes);
      };
      if (kind === 'b0') {
        const bytes = b0.get(id)?.get(body);
        return bytes ? send(200, bytes) : send(404, '{"errors":[{"message":"unknown body"}]}');
      }
      const query = kind === 'b1' ? b1.get(id) : undefined;
      if (!query) return send(404, '{"errors":[{"message":"unknown path"}]}');
      const { variables } = JSON.parse(body) as { variables?: Record<string, unknown> };
      const today = new Date().toISOString().slice(0, 10);
      query.answer(db, variables ?? {}, today).then(
        (data) => send(200, JSON.stringify({ data })),
        (err: Error) => send(500, JSON.stringify({ errors: [{ message: err.message }] })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
