import pino, { type DestinationStream } from 'pino';
import { scrubSecrets } from './secrets';

export { printableError, scrubSecrets } from './secrets';

/** Headers that carry credentials, wherever a `headers` object is logged. */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

const REDACT = SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`]);

/** Error fields worth logging; others (query parameters, driver details) may hold user data. */
const ERROR_FIELDS = ['code', 'errno', 'status', 'statusCode', 'query', 'constraint', 'routine'];

/**
 * Logs an error by its type, message, stack, code and causes only. Note: pino's default copies
 * every enumerable field, and TypeORM's QueryFailedError carries the statement's parameters,
 * i.e. the mutation's input (a key, an e-mail address).
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error) || depth > 4) return err instanceof Error ? err.message : err;
  const fields = err as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: err.constructor?.name ?? err.name,
    message: err.message,
    stack: err.stack,
  };
  for (const key of ERROR_FIELDS)
    if (typeof fields[key] === 'string' || typeof fields[key] === 'number') out[key] = fields[key];
  const cause = err.cause ?? fields.driverError;
  if (cause !== undefined && cause !== err) out.cause = serializeError(cause, depth + 1);
  if (err instanceof AggregateError)
    out.errors = err.errors.slice(0, 5).map((e: unknown) => serializeError(e, depth + 1));
  return out;
}

/**
 * Creates the structured JSON logger shared by the server and the CLI. Credential headers are
 * redacted, errors logged without their data, and every line is scrubbed of the credentials
 * that text can carry (URL user info, `?token=`, bearer tokens, API keys, JWTs) before it is
 * written; `destination` defaults to stdout.
 */
export function createLogger(level: string, destination?: DestinationStream) {
  return pino(
    {
      level,
      base: { service: 'annuaire-graphql' },
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: serializeError },
      hooks: { streamWrite: scrubSecrets },
    },
    destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;
