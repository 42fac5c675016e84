import type { RequestHandler, Response } from 'express';
import { ClientError } from '../graphql/errors';
import type { Authenticator } from '../graphql/principal';
import type { Principal } from '../graphql/principal';
import { beforeDeadline } from './deadline';
import { sendGraphQLError } from './json-errors';

/**
 * Authenticates the request and keeps its principal for the next handlers (`principalOf`);
 * credentials that are present but not valid get 401 with the error's code, GraphQL-shaped.
 * Anonymous requests go on: what they may see is the role checks' business.
 */
export function authentication(authenticate: Authenticator): RequestHandler {
  return beforeDeadline(async (req, res) => {
    try {
      const principal = await authenticate(req.headers.authorization, req.ip ?? 'unknown');
      return (next) => {
        res.locals.principal = principal;
        next();
      };
    } catch (e) {
      if (!(e instanceof ClientError)) throw e;
      return () => sendGraphQLError(req, res, 401, e.code, e.message);
    }
  });
}

/** The principal that `authentication` found for this request. */
export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
