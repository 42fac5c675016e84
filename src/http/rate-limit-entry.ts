import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { RateLimitedError } from '../graphql/errors';
import { UnauthenticatedError } from '../graphql/auth-errors';
import type { Authenticator } from '../graphql/principal';
import { anonymous, type Principal } from '../graphql/principal';
import type { RateLimitState } from '../graphql/context';
import { rateLimitHeaders, type RateBudget } from './rate-limit';
import { AuthRateLimitedError } from './rate-limit-auth';
import { sendGraphQLError } from './json-errors';
import { rateLimitRefusals } from '../metrics';
import { refusedAsCsrf } from './csrf';

/** Who a request is, and what it paid to be let in. */
export interface Admission {
  principal: Principal;
  /** Points charged so far: the minimum. */
  paid: number;
  budget: RateLimitState;
}

/**
 * Lets a GraphQL request in, before Apollo parses it: refuses credentials from an address that
 * failed too often (AUTH_RATE_LIMITED), authenticates, and charges the minimum to the caller's
 * budget (RATE_LIMITED when it cannot pay). A failed authentication is counted against the
 * address and pays the minimum from the address's anonymous budget. So every request pays,
 * whether it then fails parsing, validation or authentication.
 * Note: runs as Apollo's context function, whose GraphQLErrors Apollo answers with their HTTP
 * status and headers, formatted by `formatError`.
 */
export async function admit(
  req: Request,
  budget: RateBudget,
  authenticate: Authenticator,
): Promise<Admission> {
  const principal = await authenticateCounted(req, budget, authenticate);
  return { principal, paid: budget.minimum, budget: await payMinimum(budget, principal) };
}

/**
 * Authenticates a request under the failed-authentication limit: refuses credentials from an
 * address that failed too often (AUTH_RATE_LIMITED), and counts a failure against the address,
 * which pays the minimum from its anonymous budget. What `/graphql` and `/export` share.
 */
export async function authenticateCounted(
  req: Request,
  budget: RateBudget,
  authenticate: Authenticator,
  /** The credential, when it comes from elsewhere than the request's header (a WebSocket's `connection_init`). */
  header: string | undefined = req.headers.authorization,
): Promise<Principal> {
  const ip = req.ip ?? 'unknown';
  const credentialed = header !== undefined && header !== '';
  const guard = budget.authFailures;
  if (credentialed) {
    const wait = await guard.blockedFor(ip);
    if (wait !== null) {
      rateLimitRefusals.inc({ budget: 'auth_failures' });
      await payMinimum(budget, anonymous(ip));
      throw new AuthRateLimitedError(guard.config.limit, guard.config.windowSeconds, wait);
    }
  }
  try {
    return await authenticate(header, ip);
  } catch (err) {
    if (credentialed && err instanceof UnauthenticatedError) await guard.failed(ip);
    await payMinimum(budget, anonymous(ip));
    throw err;
  }
}

/** Charges the minimum to a budget; throws RATE_LIMITED when the budget cannot pay it. */
async function payMinimum(budget: RateBudget, principal: Principal): Promise<RateLimitState> {
  const charge = await budget.charge(principal, budget.minimum);
  if (charge.allowed) return charge.state;
  const { remaining, limit } = charge.state;
  throw new RateLimitedError(budget.minimum, remaining, limit, charge.retryAfterSeconds);
}

/**
 * Charges the minimum for a request whose body Express could not read (not JSON, too large),
 * to the address's anonymous budget, and answers RATE_LIMITED in its place when that budget is
 * spent; else hands the error on to the JSON error handler.
 */
export function chargeUnreadBody(budget: RateBudget): ErrorRequestHandler {
  return (err, req, res, next) => {
    budget
      .charge(anonymous(req.ip ?? 'unknown'), budget.minimum)
      .then((charge) => {
        res.set(rateLimitHeaders(charge.state));
        if (charge.allowed) return next(err);
        res.set('retry-after', String(charge.retryAfterSeconds));
        sendGraphQLError(req, res, 429, 'RATE_LIMITED', 'Rate limit exceeded.');
      })
      .catch(next);
  };
}

/**
 * Charges the minimum, to the address's anonymous budget, for a request that Apollo's CSRF rule
 * will refuse before the context function charges anything (`refusedAsCsrf`), and answers
 * RATE_LIMITED in its place when that budget is spent: refused requests pay as others do.
 */
export function chargeCsrfRefusals(budget: RateBudget): RequestHandler {
  return (req, res, next) => {
    if (!refusedAsCsrf(req)) return next();
    budget
      .charge(anonymous(req.ip ?? 'unknown'), budget.minimum)
      .then((charge) => {
        res.set(rateLimitHeaders(charge.state));
        if (charge.allowed) return next();
        res.set('retry-after', String(charge.retryAfterSeconds));
        sendGraphQLError(req, res, 429, 'RATE_LIMITED', 'Rate limit exceeded.');
      })
      .catch(next);
  };
}
