import express, { Request, Response } from 'express';
import compression from 'compression';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { AuthServices } from '../auth/auth-services';
import { authenticate } from '../auth/authenticate';
import { grants, Role } from '../auth/role';
import type { Principal } from '../auth/principal';
import { errorMediaType, sendGraphQLError } from '../../http/json-errors';
import { requestDeadline } from '../../http/deadline';
import { Charge, RateBudget, rateLimitHeaders } from '../../http/rate-limit';
import { RateLimitedError } from '../../graphql/errors';
import { compactedThrough, headSequence } from './change-feed';
import { writeSnapshot } from './snapshot';
import { writeOrgJsonLd } from './org-jsonld';
import { writeAnnuaireExport } from './annuaire-export';

type Writer = (
  db: DataSource,
  principal: Principal,
  write: (chunk: string) => Promise<void>,
) => Promise<unknown>;

interface ExportSpec {
  path: string;
  name: string;
  type: string;
  /** Whether the content depends on the caller's right to private fields. */
  private: boolean;
  /** Whether the content depends on the day too (current holders), not only on the feed head. */
  daily: boolean;
  writer: Writer;
}

const EXPORTS: ExportSpec[] = [
  {
    path: '/snapshot.ndjson',
    name: 'snapshot',
    type: 'application/x-ndjson; charset=utf-8',
    private: true,
    daily: false,
    writer: (db, p, write) =>
      writeSnapshot(db, { withPrivate: grants(p.role, [Role.AGENT]) }, (line) =>
        write(`${line}\n`),
      ),
  },
  {
    path: '/org.jsonld',
    name: 'org',
    type: 'application/ld+json; charset=utf-8',
    private: false,
    daily: true,
    writer: (db, _p, write) => writeOrgJsonLd(db, write),
  },
  {
    path: '/annuaire.json',
    name: 'annuaire',
    type: 'application/json; charset=utf-8',
    private: false,
    daily: true,
    writer: (db, _p, write) => writeAnnuaireExport(db, write),
  },
];

/** What a revalidation answered 304, or a HEAD request, costs: as much as the smallest operation. */
const REVALIDATION_COST = 1;

/** The export stopped because the client went away, stalled, or the deadline answered first. */
class ExportAborted extends Error {}

/**
 * Writes to a response, waiting when its buffer is full, so memory does not grow with the export.
 * A client that takes nothing for `stallMs` is disconnected, and one that goes away ends the
 * wait: either way the export stops and its read transaction ends.
 */
function writerFor(res: Response, stallMs: number): (chunk: string) => Promise<void> {
  let waiting: { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null =
    null;
  const settle = (err?: Error) => {
    const w = waiting;
    waiting = null;
    if (!w) return;
    clearTimeout(w.timer);
    if (err) w.reject(err);
    else w.resolve();
  };
  // Note: one listener each for the whole response: `compression` moves 'drain' listeners to its
  // gzip stream, where removing them through the response does not work.
  res.on('drain', () => settle());
  res.on('close', () => settle(new ExportAborted('the client went away')));
  return (chunk) =>
    new Promise((resolve, reject) => {
      if (res.destroyed || res.writableEnded)
        return reject(new ExportAborted('the response is already closed'));
      if (res.write(chunk)) return resolve();
      const timer = setTimeout(() => {
        settle(new ExportAborted(`the client took no data for ${stallMs} ms`));
        res.destroy();
      }, stallMs);
      waiting = { resolve, reject, timer };
    });
}

function etagMatches(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  // Note: If-None-Match compares weakly (RFC 9110 §13.1.2), so W/ prefixes do not count.
  return (
    !!header && (header.trim() === '*' || header.split(',').some((t) => opaque(t) === opaque(etag)))
  );
}

/** 429 RATE_LIMITED, GraphQL-shaped like the refusal of an operation, with `Retry-After`. */
function sendRateLimited(
  req: Request,
  res: Response,
  cost: number,
  charge: Extract<Charge, { allowed: false }>,
): void {
  const { limit, remaining } = charge.state;
  const error = new RateLimitedError(cost, remaining, limit, charge.retryAfterSeconds);
  const { http: _http, ...extensions } = error.extensions;
  void _http;
  res
    .status(429)
    .set('retry-after', String(charge.retryAfterSeconds))
    .type(errorMediaType(req))
    .send(JSON.stringify({ errors: [{ message: error.message, extensions }] }));
}

/**
 * `/export/*`: the snapshot (NDJSON), the W3C ORG JSON-LD and the national-directory JSON.
 * Each is streamed, gzipped when the client accepts it, and carries a weak ETag on the feed head
 * (and the caller's access to private fields, and the day where current holders count):
 * `If-None-Match` gets 304 while nothing changed. Each download costs `EXPORT_COST` points of
 * the caller's rate budget, the one GraphQL operations draw on (a 304 costs 1).
 */
export function exportRouter(deps: {
  db: DataSource;
  config: Config;
  auth: AuthServices;
  log: Logger;
  /** The GraphQL server's budgets: exports draw on the same ones. */
  budget: RateBudget;
}) {
  const { budget } = deps;
  const timeout = deps.config.http.requestTimeoutMs;
  const router = express.Router();
  // Note: an export may stream for longer than REQUEST_TIMEOUT_MS allows a GraphQL request: its
  // length grows with the directory and with the pace of the client (backpressure). So the
  // deadline bounds only the wait for the first byte (authentication, budget, ETag, opening the
  // read transaction): requestDeadline does nothing once the headers are sent. Node's own
  // requestTimeout only covers receiving the request, so nothing else cuts a long download;
  // what is bounded instead is a stall (see writerFor), so that a client that stops reading
  // cannot hold a read transaction, and on PostgreSQL a pooled connection, open for ever.
  router.use(requestDeadline(timeout));
  // Note: every answer here is JSON text, but `compression` only compresses the media types its
  // database marks compressible, and application/x-ndjson is not one of them.
  router.use(compression({ filter: () => true }));
  for (const spec of EXPORTS) {
    router.get(spec.path, async (req, res) => {
      let principal: Principal;
      try {
        principal = await authenticate(
          req.headers.authorization,
          req.ip ?? 'unknown',
          deps.auth.keys,
          deps.auth.oidc,
        );
      } catch (e) {
        if (!(e instanceof GraphQLError)) throw e;
        if (res.locals.timedOut) return;
        return sendGraphQLError(
          req,
          res,
          401,
          String(e.extensions?.code ?? 'UNAUTHENTICATED'),
          e.message,
        );
      }
      if (deps.config.syncAccess === 'sync' && !grants(principal.role, [Role.SYNC])) {
        const anonymous = principal.role === Role.ANONYMOUS;
        const state = await budget.peek(principal);
        if (res.locals.timedOut) return;
        res.set(rateLimitHeaders(state));
        return sendGraphQLError(
          req,
          res,
          anonymous ? 401 : 403,
          anonymous ? 'UNAUTHENTICATED' : 'FORBIDDEN',
          'The exports need the SYNC role.',
        );
      }
      const variant = spec.private && grants(principal.role, [Role.AGENT]) ? 'private' : 'public';
      // Note: after a compaction of the whole log the head is the compaction point, not 0.
      const head = Math.max(await headSequence(deps.db), await compactedThrough(deps.db));
      const day = spec.daily ? `-${new Date().toISOString().slice(0, 10)}` : '';
      // Note: weak, because the bytes differ between downloads of one state (generatedAt, gzip).
      const etag = `W/"${spec.name}-${head}${day}-${variant}"`;
      const revalidated = etagMatches(req, etag);
      const cost =
        revalidated || req.method === 'HEAD' ? REVALIDATION_COST : deps.config.exportCost;
      if (res.locals.timedOut) return;
      const charge = await budget.charge(principal, cost);
      if (res.locals.timedOut) return;
      res.set(rateLimitHeaders(charge.state));
      if (!charge.allowed) return sendRateLimited(req, res, cost, charge);
      res.setHeader('ETag', etag);
      const shared = variant === 'public' && deps.config.syncAccess === 'public';
      res.setHeader('Cache-Control', `${shared ? 'public' : 'private'}, no-cache`);
      res.setHeader('Vary', 'Authorization, Accept-Encoding');
      if (revalidated) return res.status(304).end();
      res.status(200).type(spec.type);
      if (req.method === 'HEAD') return res.end();
      try {
        await spec.writer(deps.db, principal, writerFor(res, timeout));
        res.end();
      } catch (err) {
        if (err instanceof ExportAborted) {
          deps.log.warn({ export: spec.name, reason: err.message }, 'export aborted');
        } else {
          deps.log.error({ err, export: spec.name }, 'export failed');
        }
        // Note: a response the deadline already answered is left to finish; others are cut, so
        // that the client sees a truncated body rather than a complete-looking one.
        if (!res.writableEnded) res.destroy();
      }
    });
  }
  return router;
}
