import type { Request, RequestHandler } from 'express';
import type { Logger } from '../logger';

/** A request as the log shows it: no headers, no body. */
function requestSummary(req: Request & { id?: string }) {
  return {
    id: req.id,
    method: req.method,
    url: req.originalUrl ?? req.url,
    // Note: the client's address as TRUST_PROXY reads it; remoteAddress is the peer's.
    clientIp: req.ip ?? req.socket?.remoteAddress,
    remoteAddress: req.socket?.remoteAddress,
  };
}

/**
 * One log line per request once it is answered (`request completed`, or `request errored` at
 * `error` for a 5xx), or `request aborted` when the client went away first: method, URL, id,
 * client address, status and time in ms, with the fields pino-http gave them (`req`, `res`,
 * `responseTime`). `/health` is not logged. Note: no headers are logged, so no credential or
 * cookie; the logger's scrubbing (src/logger.ts) catches any that a URL carries.
 *
 * Note: written here instead of pino-http, for a measured reason (docs/benchmarks.md, fourth
 * round): pino-http made a child logger for every request, serializing its bindings, and wrapped
 * the response; at the default log level it took about 14 % of `{ __typename }`'s throughput.
 * This writes one line with the parent logger when the response ends.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    if (req.url === '/health') return next();
    const started = performance.now();
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      const fields = {
        req: requestSummary(req),
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - started),
      };
      if (!res.writableFinished) log.info(fields, 'request aborted');
      else if (res.statusCode >= 500) log.error(fields, 'request errored');
      else log.info(fields, 'request completed');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
