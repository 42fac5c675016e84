import type { Request, RequestHandler } from 'express';

/**
 * Whether a request carries an authority that a browser adds by itself, which a page on another
 * site could borrow: a cookie, or an `Authorization` header (HTTP Basic or Negotiate, which
 * browsers replay; this API's own bearer credentials cannot be sent without a preflight).
 */
export function hasAmbientCredentials(req: Request): boolean {
  return !!req.headers.cookie || !!req.headers.authorization;
}

/**
 * Lets a GET that carries no ambient credential pass Apollo's CSRF prevention, so that a page
 * on another origin can read the directory with a plain `fetch(url)`, no custom header, no
 * preflight. Every other request meets Apollo's rule unchanged: a POST needs a JSON content
 * type, a GET with a cookie or an `Authorization` header needs `apollo-require-preflight`.
 * Note: such a GET runs as the anonymous public, so it can only read what anyone may read, and
 * Apollo runs no mutation over GET (405). Apollo's rule has no hook, so the request is marked
 * with the header that rule accepts, which it would have had if the page had sent it.
 */
export function credentialFreeGets(): RequestHandler {
  return (req, _res, next) => {
    if (
      req.method === 'GET' &&
      !hasAmbientCredentials(req) &&
      !req.headers['apollo-require-preflight']
    )
      req.headers['apollo-require-preflight'] = 'credential-free GET';
    next();
  };
}
