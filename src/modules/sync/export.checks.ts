import type { Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import { RateLimitedError } from '../../graphql/errors';
import { principalOf } from '../../http/authentication';
import { beforeDeadline } from '../../http/deadline';
import { errorMediaType, sendGraphQLError } from '../../http/json-errors';
import { Charge, RateBudget, rateLimitHeaders } from '../../http/rate-limit';
import { grants, Role } from '../../graphql/role';
import { compactedThrough, headSequence } from './change-feed';

/** What a revalidation answered 304, or a HEAD request, costs: as much as the smallest operation. */
const REVALIDATION_COST = 1;

/** What the checks found out about one export request, for the handler that streams it. */
export interface ExportState {
  /** The variant the caller gets: with private fields or without. */
  variant: 'private' | 'public';
  etag: string;
  /** Whether `If-None-Match` names the current ETag, so a 304 answers. */
  revalidated: boolean;
}

/** The state that `exportEtag` found for this request. */
export function exportStateOf(res: Response): ExportState {
  return res.locals.exportState as ExportState;
}

/**
 * Refuses callers without `role` (the exports under SYNC_ACCESS=sync): anonymous ones 401
 * UNAUTHENTICATED, others 403 FORBIDDEN, with their rate-limit headers.
 */
export function requireRole(role: Role, budget: RateBudget, message: string): RequestHandler {
  return beforeDeadline(async (req, res) => {
    const principal = principalOf(res);
    if (grants(principal.role, [role])) return (next) => next();
    const anonymous = principal.role === Role.ANONYMOUS;
    const state = await budget.peek(principal);
    return () => {
      res.set(rateLimitHeaders(state));
      sendGraphQLError(
        req,
        res,
        anonymous ? 401 : 403,
        anonymous ? 'UNAUTHENTICATED' : 'FORBIDDEN',
        message,
      );
    };
  });
}

/**
 * Finds the weak ETag of an export: the feed head (the compaction point after a compaction of
 * the whole log), the caller's access to private fields when the content depends on it, and
 * the day when it does too (current holders).
 */
export function exportEtag(
  db: DataSource,
  spec: { name: string; private: boolean; daily: boolean },
): RequestHandler {
  return beforeDeadline(async (req, res) => {
    const principal = principalOf(res);
    const variant = spec.private && grants(principal.role, [Role.AGENT]) ? 'private' : 'public';
    const head = Math.max(await headSequence(db), await compactedThrough(db));
    const day = spec.daily ? `-${new Date().toISOString().slice(0, 10)}` : '';
    // Note: weak, because the bytes differ between downloads of one state (generatedAt, gzip).
    const etag = `W/"${spec.name}-${head}${day}-${variant}"`;
    const state: ExportState = { variant, etag, revalidated: etagMatches(req, etag) };
    return (next) => {
      res.locals.exportState = state;
      next();
    };
  });
}

/**
 * Charges the download to the caller's rate budget, the one GraphQL operations draw on:
 * `cost` points, REVALIDATION_COST for a 304 or a HEAD request; 429 RATE_LIMITED when it
 * cannot pay. Either way the answer carries the budget's headers.
 */
export function chargeExport(budget: RateBudget, cost: number): RequestHandler {
  return beforeDeadline(async (req, res) => {
    const { revalidated } = exportStateOf(res);
    const due = revalidated || req.method === 'HEAD' ? REVALIDATION_COST : cost;
    const charge = await budget.charge(principalOf(res), due);
    return (next) => {
      res.set(rateLimitHeaders(charge.state));
      if (charge.allowed) next();
      else sendRateLimited(req, res, due, charge);
    };
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
