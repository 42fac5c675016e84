import type { RequestHandler, Response } from 'express';
import { ClientError } from '../graphql/errors';
import type { Authenticator } from '../graphql/principal';
import type { Principal } from '../graphql/principal';
import { beforeDeadline } from './deadline';
import { sendGraphQLError } from './json-errors';
import type { RateBudget } from './rate-limit';
import { authenticateCounted } from './rate-limit-entry';

/**
 * Authenticates the request and keeps its principal for the next handlers (`principalOf`),
 * under the same failed-authentication limit as `/graphql`. Credentials that are present but not
 * valid get 401 with the bearer challenge, and an address that failed too often 429
 * AUTH_RATE_LIMITED, GraphQL-shaped with the error's status and headers. Anonymous requests go
 * on: what they may see is the role checks' business.
 */
export function authentication(authenticate: Authenticator, budget: RateBudget): RequestHandler {
  return beforeDeadline(async (req, res) => {
    try {
      const principal = await authenticateCounted(req, budget, authenticate);
      return (next) => {
        res.locals.principal = principal;
        next();
      };
    } catch (e) {
      if (!(e instanceof ClientError)) throw e;
      const http = e.extensions.http as
        { status?: number; headers?: Map<string, string> } | undefined;
      return () => {
        for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
        sendGraphQLError(req, res, http?.status ?? 401, e.code, e.message);
      };
    }
  });
}

/** The principal that `authentication` found for this request. */
export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
