import type { ErrorRequestHandler, Request, Response } from 'express';
import { ErrorCode } from '../graphql/errors';
import type { Logger } from '../logger';

/**
 * The media type of an error answer, chosen as Apollo chooses it for the same `Accept`:
 * `application/graphql-response+json` when the client prefers it, else `application/json`
 * (no `Accept`, one that accepts anything, or one that accepts neither).
 * Note: the list's order breaks a tie between the two, as in Apollo's negotiation.
 */
export function errorMediaType(req: Request): string {
  const type = req.accepts(['application/json', 'application/graphql-response+json']);
  return `${type || 'application/json'}; charset=utf-8`;
}

/** Sends a GraphQL-shaped error body, in the media type the client accepts. */
export function sendGraphQLError(
  req: Request,
  res: Response,
  status: number,
  code: string,
  message: string,
): void {
  res
    .status(status)
    .type(errorMediaType(req))
    .send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * Last error handler: turns body-parser and unexpected errors into JSON GraphQL errors, never
 * Express's HTML page, and logs unexpected ones without echoing them.
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const type = (err as { type?: string }).type;
    switch (type) {
      case 'entity.parse.failed':
        return sendGraphQLError(
          req,
          res,
          400,
          ErrorCode.BAD_REQUEST,
          'The request body is not valid JSON.',
        );
      case 'entity.too.large':
        return sendGraphQLError(
          req,
          res,
          413,
          ErrorCode.PAYLOAD_TOO_LARGE,
          'The request body is too large.',
        );
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return sendGraphQLError(
          req,
          res,
          415,
          ErrorCode.BAD_REQUEST,
          'The request body encoding or charset is not supported.',
        );
      case 'request.aborted':
      case 'request.size.invalid':
      case 'stream.encoding.set':
        return sendGraphQLError(
          req,
          res,
          400,
          ErrorCode.BAD_REQUEST,
          'The request body could not be read.',
        );
      default: {
        // Note: body-parser passes some unreadable bodies (e.g. corrupt gzip) as bare 4xx errors.
        const status = (err as { status?: unknown }).status;
        if (typeof status === 'number' && status >= 400 && status < 500) {
          return sendGraphQLError(
            req,
            res,
            status,
            ErrorCode.BAD_REQUEST,
            'The request could not be read.',
          );
        }
        log.error({ err }, 'unexpected HTTP error');
        return sendGraphQLError(
          req,
          res,
          500,
          ErrorCode.INTERNAL_SERVER_ERROR,
          'Internal server error.',
        );
      }
    }
  };
}
