import express, { RequestHandler, Response } from 'express';
import compression from 'compression';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { grants, Role } from '../../graphql/role';
import type { Principal } from '../../graphql/principal';
import { authentication, principalOf } from '../../http/authentication';
import { requestDeadline } from '../../http/deadline';
import type { RouteDeps } from '../../http/routes';
import { chargeExport, exportEtag, exportStateOf, requireRole } from './export.checks';
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

/**
 * `/export/*`: the snapshot (NDJSON), the W3C ORG JSON-LD and the national-directory JSON.
 * Each is streamed, gzipped when the client accepts it, and carries a weak ETag on the feed head
 * (and the caller's access to private fields, and the day where current holders count):
 * `If-None-Match` gets 304 while nothing changed. Each download costs `EXPORT_COST` points of
 * the caller's rate budget, the one GraphQL operations draw on (a 304 costs 1).
 * Each check is a middleware of its own, in this order: authentication, role (SYNC_ACCESS=sync),
 * ETag, budget charge (`export.checks.ts`); the deadline is stated once, in `beforeDeadline`.
 */
export function exportRouter(deps: RouteDeps) {
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
  const authenticated = authentication(deps.authenticate, budget);
  const role =
    deps.config.syncAccess === 'sync'
      ? [requireRole(Role.SYNC, budget, 'The exports need the SYNC role.')]
      : [];
  for (const spec of EXPORTS) {
    router.get(
      spec.path,
      authenticated,
      ...role,
      exportEtag(deps.db, spec),
      chargeExport(budget, deps.config.exportCost),
      streamExport(spec, deps),
    );
  }
  return router;
}

/**
 * Answers an export request that passed the checks: its ETag and caching headers, 304 when
 * revalidated, the headers only for HEAD, else the export streamed. A failure midway cuts the
 * response, so that the client sees a truncated body rather than a complete-looking one.
 */
function streamExport(
  spec: ExportSpec,
  deps: { db: DataSource; config: Config; log: Logger },
): RequestHandler {
  return async (req, res) => {
    const { variant, etag, revalidated } = exportStateOf(res);
    res.setHeader('ETag', etag);
    const shared = variant === 'public' && deps.config.syncAccess === 'public';
    res.setHeader('Cache-Control', `${shared ? 'public' : 'private'}, no-cache`);
    res.setHeader('Vary', 'Authorization, Accept-Encoding');
    if (revalidated) return void res.status(304).end();
    res.status(200).type(spec.type);
    if (req.method === 'HEAD') return void res.end();
    try {
      await spec.writer(
        deps.db,
        principalOf(res),
        writerFor(res, deps.config.http.requestTimeoutMs),
      );
      res.end();
    } catch (err) {
      if (err instanceof ExportAborted) {
        deps.log.warn({ export: spec.name, reason: err.message }, 'export aborted');
      } else {
        deps.log.error({ err, export: spec.name }, 'export failed');
      }
      // Note: a response the deadline already answered is left to finish; others are cut.
      if (!res.writableEnded) res.destroy();
    }
  };
}
