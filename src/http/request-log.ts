import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';

/** A request as the log shows it: no headers, no body. */
function requestSummary(req: IncomingMessage & { id?: string; ip?: string; originalUrl?: string }) {
  return {
    id: req.id,
    method: req.method,
    url: req.originalUrl ?? req.url,
    // Note: the client's address as TRUST_PROXY reads it; remoteAddress is the peer's.
    clientIp: req.ip ?? req.socket?.remoteAddress,
    remoteAddress: req.socket?.remoteAddress,
  };
}

function responseSummary(res: ServerResponse) {
  return { statusCode: res.statusCode };
}

/**
 * One log line per request (method, URL, id, status, client address, time), except `/health`.
 * Note: no headers are logged, so no credential or cookie; the logger's redaction and
 * scrubbing (src/logger.ts) catch any that a URL carries.
 */
export function requestLog(log: Logger) {
  return pinoHttp({
    logger: log,
    genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
    autoLogging: { ignore: (req) => req.url === '/health' },
    wrapSerializers: false,
    serializers: { req: requestSummary, res: responseSummary },
  });
}
