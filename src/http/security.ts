import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import type { Config } from '../config';
import { corsMatcher } from '../cors-origins';

/**
 * Response headers that browser clients may read across origins: the budget, the caches'
 * validators and verdicts (`Cache-Control` is safelisted anyway; listed for older browsers).
 */
const EXPOSED_HEADERS = [
  'ETag',
  'Cache-Status',
  'Cache-Control',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
  'Retry-After',
  'X-Request-Id',
  'X-SQL-Statements',
];

/** True for the requests to which Apollo answers its landing page: a GET preferring HTML. */
function asksForLandingPage(req: Request): boolean {
  return (
    req.method === 'GET' &&
    req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) ===
      'text/html'
  );
}

/**
 * Security headers with helmet. Outside production, the Apollo Sandbox landing page gets no
 * Content-Security-Policy header: the page sets its own in a `<meta>` tag, with a nonce for its
 * scripts and Apollo's CDN and iframe origins, which helmet's default policy would block.
 */
export function securityHeaders(config: Config): RequestHandler {
  const strict = helmet();
  if (config.production) return strict;
  const landingPage = helmet({ contentSecurityPolicy: false });
  return (req, res, next) => (asksForLandingPage(req) ? landingPage : strict)(req, res, next);
}

/**
 * Seconds a browser may keep a preflight's answer: 2 hours, Chromium's ceiling (Firefox allows
 * 24). Note: a preflight only lets the browser send; every answer carries its own
 * `Access-Control-Allow-Origin`, so an origin removed from CORS_ORIGINS is refused at once.
 */
export const PREFLIGHT_MAX_AGE = 7200;

/**
 * CORS for the allow-listed origins and patterns (`CORS_ORIGINS`, and Apollo Sandbox's outside
 * production), preflight requests included; other origins get no `Access-Control-Allow-Origin`.
 * Callers authenticate with a bearer header, never cookies, so credentials are not allowed.
 */
export function corsPolicy(config: Config): RequestHandler {
  return cors({
    origin: config.http.corsOrigins.map(corsMatcher),
    methods: ['GET', 'POST'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE,
  });
}
