import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ErrorCode } from '../graphql/errors';
import { sendGraphQLError } from './json-errors';

/**
 * Answers 503 REQUEST_TIMEOUT, and closes the connection, when a request is not answered within
 * `ms` of its arrival, reading of the body included.
 * Note: the work under way is not interrupted (a running SQL statement cannot be); `untilDeadline`
 * drops its late answer.
 */
export function requestDeadline(ms: number): RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.locals.timedOut = true;
      res.setHeader('connection', 'close');
      sendGraphQLError(
        req,
        res,
        503,
        ErrorCode.REQUEST_TIMEOUT,
        `The request was not answered within ${ms} ms.`,
      );
    }, ms);
    const clear = () => clearTimeout(timer);
    res.on('finish', clear);
    res.on('close', clear);
    next();
  };
}

/**
 * Runs `handler` unless the deadline has passed, and drops the failure of its late attempt to
 * answer a request that the deadline already answered.
 */
export function untilDeadline(handler: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    if (res.locals.timedOut) return;
    try {
      await handler(req, res, next);
    } catch (err) {
      if (!res.locals.timedOut) throw err;
    }
  };
}

/** What a check decided: it sets headers and answers, or calls `next` to let the request on. */
export type Decision = (next: NextFunction) => void;

/**
 * A middleware in two halves: `decide` does the asynchronous work (a database read, a budget
 * charge) and returns what to do, which runs only if the deadline has not answered meanwhile.
 * So a chain of checks states the deadline once, here, instead of after every `await`; a
 * failure after the deadline answered is dropped, as by `untilDeadline`.
 */
export function beforeDeadline(
  decide: (req: Request, res: Response) => Promise<Decision>,
): RequestHandler {
  return async (req, res, next) => {
    let decision: Decision;
    try {
      decision = await decide(req, res);
    } catch (err) {
      if (res.locals.timedOut) return;
      throw err;
    }
    if (!res.locals.timedOut) decision(next);
  };
}
