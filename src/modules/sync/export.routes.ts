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
import { sendGraphQLError } from '../../http/json-errors';
import { headSequence } from './change-feed';
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
  writer: Writer;
}

const EXPORTS: ExportSpec[] = [
  {
    path: '/snapshot.ndjson',
    name: 'snapshot',
    type: 'application/x-ndjson; charset=utf-8',
    private: true,
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
    writer: (db, _p, write) => writeOrgJsonLd(db, write),
  },
  {
    path: '/annuaire.json',
    name: 'annuaire',
    type: 'application/json; charset=utf-8',
    private: false,
    writer: (db, _p, write) => writeAnnuaireExport(db, write),
  },
];

/** Writes to a response, waiting when its buffer is full, so memory does not grow with the export. */
function writerFor(res: Response): (chunk: string) => Promise<void> {
  return (chunk) =>
    new Promise((resolve, reject) => {
      if (res.destroyed) return reject(new Error('client went away'));
      if (res.write(chunk)) resolve();
      else res.once('drain', resolve);
    });
}

function etagMatches(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  return (
    !!header &&
    (header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))
  );
}

/**
 * `/export/*`: the snapshot (NDJSON), the W3C ORG JSON-LD and the national-directory JSON.
 * Each is streamed, gzipped when the client accepts it, and carries an ETag on the feed head
 * (and the caller's access to private fields): `If-None-Match` gets 304 while nothing changed.
 */
export function exportRouter(deps: {
  db: DataSource;
  config: Config;
  auth: AuthServices;
  log: Logger;
}) {
  const router = express.Router();
  router.use(compression());
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
        const err = e as GraphQLError;
        return sendGraphQLError(
          req,
          res,
          401,
          String(err.extensions?.code ?? 'UNAUTHENTICATED'),
          err.message,
        );
      }
      if (deps.config.syncAccess === 'sync' && !grants(principal.role, [Role.SYNC])) {
        const anonymous = principal.role === Role.ANONYMOUS;
        return sendGraphQLError(
          req,
          res,
          anonymous ? 401 : 403,
          anonymous ? 'UNAUTHENTICATED' : 'FORBIDDEN',
          'The exports need the SYNC role.',
        );
      }
      const variant = spec.private && grants(principal.role, [Role.AGENT]) ? 'private' : 'public';
      const etag = `"${spec.name}-${await headSequence(deps.db)}-${variant}"`;
      res.setHeader('ETag', etag);
      res.setHeader(
        'Cache-Control',
        variant === 'public' ? 'public, no-cache' : 'private, no-cache',
      );
      res.setHeader('Vary', 'Authorization, Accept-Encoding');
      if (etagMatches(req, etag)) return res.status(304).end();
      res.status(200).type(spec.type);
      try {
        await spec.writer(deps.db, principal, writerFor(res));
        res.end();
      } catch (err) {
        deps.log.error({ err, export: spec.name }, 'export failed');
        res.destroy(err as Error);
      }
    });
  }
  return router;
}
