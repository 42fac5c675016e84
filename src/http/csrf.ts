import type { Request, RequestHandler } from 'express';
import MIMEType from 'whatwg-mimetype';

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

/** The content types a browser sends without a preflight, which Apollo's CSRF rule refuses. */
const SIMPLE_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];
/** The headers that let a request through Apollo's CSRF rule (`apollo-require-preflight`…). */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/**
 * Whether Apollo Server's CSRF prevention will refuse the request (400 BAD_REQUEST), by the rule
 * Apollo documents and applies: a content type a browser sends without a preflight (or none),
 * and none of the headers above. Apollo refuses such a request before the context function,
 * where every other request pays its minimum (`admit`), so the rate limit charges these here.
 * Note: the content type is parsed by the same WHATWG parser as Apollo's (`whatwg-mimetype`),
 * so that no spelling of a type slips between the two; a type that does not parse passes both.
 */
export function refusedAsCsrf(req: Request): boolean {
  const type = req.headers['content-type'];
  if (type !== undefined) {
    const parsed = MIMEType.parse(type);
    if (parsed === null || !SIMPLE_CONTENT_TYPES.includes(parsed.essence)) return false;
  }
  return !PREFLIGHT_HEADERS.some((name) => {
    const value = req.headers[name];
    return value !== undefined && value.length > 0;
  });
}
