import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got, with its signature checked. */
export interface Received {
  path: string;
  id: string;
  timestamp: string;
  body: string;
  /** The body parsed by `Webhook.verify`; null when the signature did not verify. */
  verified: { type: string; timestamp: string; data: WebhookData } | null;
  at: number;
}

export interface WebhookData {
  subscriptionId: string;
  cursor: string;
  changes: Array<{
    sequence: number;
    operation: string;
    entityType: string;
    entityId: string;
    version: number;
    occurredAt: string;
    changedFields: Array<{ field: string; before: unknown; after: unknown }>;
    node: { __typename: string; id: string } | null;
    tombstone: { id: string; reason: string } | null;
    surrogateKeys: string[];
  }>;
}

/** How a path answers: a status (default 200), a redirect, or holding the request open. */
export type Behaviour = (request: number) => { status?: number; location?: string; hold?: boolean };

/**
 * A real local webhook receiver: every path is a receiver of its own, verifying signatures with
 * the secret registered for it, through `standardwebhooks`' `Webhook.verify`.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const secrets = new Map<string, string>();
  const behaviours = new Map<string, Behaviour>();
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let verified: Received['verified'] = null;
      const secret = secrets.get(path);
      if (secret) {
        try {
          verified = new Webhook(secret).verify(body, headers) as Received['verified'];
        } catch {
          verified = null;
        }
      }
      const count = received.filter((r) => r.path === path).length;
      received.push({
        path,
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        body,
        verified,
        at: Date.now(),
      });
      const answer = behaviours.get(path)?.(count) ?? {};
      if (answer.hold) {
        held.push(res);
        return;
      }
      res.statusCode = answer.status ?? 200;
      if (answer.location) res.setHeader('location', answer.location);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    /** Registers a path: the secret its signatures verify with and how it answers. */
    on(path: string, secret: string, behaviour?: Behaviour) {
      secrets.set(path, secret);
      if (behaviour) behaviours.set(path, behaviour);
    },
    behave(path: string, behaviour: Behaviour) {
      behaviours.set(path, behaviour);
    },
    at(path: string) {
      return received.filter((r) => r.path === path);
    },
    /** Resolves once `path` got `n` requests (or fails after `ms`). */
    async waitFor(path: string, n: number, ms = 15_000): Promise<Received[]> {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const got = received.filter((r) => r.path === path);
        if (got.length >= n) return got;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`${path} got ${received.filter((r) => r.path === path).length} of ${n}`);
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
