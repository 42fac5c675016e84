import type { RequestHandler } from 'express';
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

/**
 * Security headers with helmet, its strict Content-Security-Policy included. The pages that need
 * another policy (Apollo Sandbox's, GraphiQL's: src/http/explorer.ts) replace it with their own.
 * Note: without `upgrade-insecure-requests`, which helmet adds by default: on an intranet served
 * over plain http, the browser would rewrite the chart page's own script requests to https,
 * where nothing answers. TLS is the deployment's choice (and HSTS then applies).
 */
export function securityHeaders(): RequestHandler {
  return helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
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
