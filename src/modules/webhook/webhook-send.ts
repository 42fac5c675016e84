import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { checkLiteral, guardedLookup, TargetRefused } from './webhook-target';

/** What one attempt gave. */
export interface AttemptResult {
  ok: boolean;
  /** The receiver's status code, when it answered. */
  statusCode: number | null;
  /** Why it failed, for `lastError` (never the receiver's body). */
  error: string | null;
  /** Failure class, for the metrics. */
  failure: 'status' | 'redirect' | 'timeout' | 'network' | 'address' | 'aborted' | null;
  latencyMs: number;
}

export interface SendOptions {
  connectTimeoutMs: number;
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  /** Aborts the attempt (shutdown). */
  signal: AbortSignal;
}

/** Bytes of the receiver's answer read at most; the rest is discarded. */
const ANSWER_LIMIT = 64 * 1024;

/**
 * Signs `body` with the Standard Webhooks scheme (`standardwebhooks`: HMAC-SHA256 of
 * `<id>.<timestamp>.<body>`) and POSTs it once. Redirects are not followed (a 3xx fails), the
 * connection must open within `connectTimeoutMs` (resolution and TLS included) and the answer
 * must end within `timeoutMs` after that; the address is checked by the guarded lookup.
 */
export function sendSigned(
  target: string,
  secret: string,
  webhookId: string,
  body: string,
  options: SendOptions,
): Promise<AttemptResult> {
  const started = Date.now();
  const done = (r: Omit<AttemptResult, 'latencyMs'>): AttemptResult => ({
    ...r,
    latencyMs: Date.now() - started,
  });
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(target);
      checkLiteral(url, options.allowPrivateNetworks);
    } catch (e) {
      resolve(done(failed(e)));
      return;
    }
    const now = new Date();
    const signature = new Webhook(secret).sign(webhookId, now, body);
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (r: Omit<AttemptResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      options.signal.removeEventListener('abort', onAbort);
      resolve(done(r));
    };
    const req = client.request(url, {
      method: 'POST',
      agent: false,
      lookup: guardedLookup(options.allowPrivateNetworks),
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'annuaire-graphql-webhooks',
        'webhook-id': webhookId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
    });
    let answerTimer: NodeJS.Timeout | undefined;
    const connectTimer = setTimeout(() => {
      req.destroy(new Timeout(`no connection within ${options.connectTimeoutMs} ms`));
    }, options.connectTimeoutMs);
    const onAbort = () => req.destroy(new Aborted());
    options.signal.addEventListener('abort', onAbort);
    if (options.signal.aborted) onAbort();
    req.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(connectTimer);
        answerTimer = setTimeout(() => {
          req.destroy(new Timeout(`no complete answer within ${options.timeoutMs} ms`));
        }, options.timeoutMs);
      };
      const event = url.protocol === 'https:' ? 'secureConnect' : 'connect';
      socket.once(event, connected);
    });
    req.on('response', (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > ANSWER_LIMIT) res.destroy();
      });
      const status = res.statusCode ?? 0;
      const end = () => {
        if (status >= 200 && status < 300) {
          finish({ ok: true, statusCode: status, error: null, failure: null });
        } else if (status >= 300 && status < 400) {
          finish({
            ok: false,
            statusCode: status,
            error: `The receiver answered ${status} (a redirect, not followed).`,
            failure: 'redirect',
          });
        } else {
          finish({
            ok: false,
            statusCode: status,
            error: `The receiver answered ${status}.`,
            failure: 'status',
          });
        }
      };
      res.on('end', end);
      res.on('close', end);
      res.on('error', () => undefined);
    });
    req.on('error', (e) => finish(failed(e)));
    req.end(body);
  });
}

class Timeout extends Error {}
class Aborted extends Error {
  constructor() {
    super('the gateway stopped during the attempt');
  }
}

function failed(e: unknown): Omit<AttemptResult, 'latencyMs'> {
  if (e instanceof TargetRefused) {
    return { ok: false, statusCode: null, error: e.message, failure: 'address' };
  }
  if (e instanceof Timeout) {
    return { ok: false, statusCode: null, error: `Timeout: ${e.message}.`, failure: 'timeout' };
  }
  if (e instanceof Aborted) {
    return { ok: false, statusCode: null, error: e.message, failure: 'aborted' };
  }
  const code = (e as NodeJS.ErrnoException).code;
  return {
    ok: false,
    statusCode: null,
    error: `Could not reach the receiver${code ? ` (${code})` : ''}.`,
    failure: 'network',
  };
}
