import pino, { type DestinationStream } from 'pino';
import { scrubSecrets } from './secrets';

export { printableError, scrubSecrets } from './secrets';

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
 * Creates the structured JSON logger shared by the server and the CLI. Errors are logged
 * without their data, and every line is scrubbed of the credentials that text can carry (URL
 * user info, `?token=`, bearer tokens, API keys, JWTs, and the values of credential headers such
 * as `"authorization":…` or `"cookie":…` at any depth) before it is written; `destination`
 * defaults to stdout. Note: pino's `redact` did the headers before, at 8 µs of a request log
 * line's 15 µs (its wildcard path); the scrubbing pass, already run on every line, does it for
 * a fraction of that (docs/benchmarks.md).
 */
export function createLogger(level: string, destination?: DestinationStream) {
  return pino(
    {
      level,
      base: { service: 'annuaire-graphql' },
      serializers: { err: serializeError },
      hooks: { streamWrite: scrubSecrets },
    },
    destination,
  );
}

/**
 * The server's log destination: standard output written asynchronously, so that a request never
 * waits on the write of its log line. Lines wait in memory while a write is under way and go out
 * together in the next one; past `bufferBytes` (the log's reader stalled) new lines are dropped
 * and `onDrop` is called, instead of memory growing or requests blocking. The lines still in
 * memory are written out when the process exits, as far as the reader takes them.
 * Note: written line by line (pino's default), a request waited on one write(2) per line, and on a
 * full pipe for as long as its reader took: 89 µs per line to a pipe read by `cat` against 4.8 µs
 * (docs/benchmarks.md).
 */
export function serverLogDestination(bufferBytes: number, onDrop: () => void): DestinationStream {
  let exiting = false;
  const destination = pino.destination({
    fd: 1,
    sync: false,
    minLength: 0,
    maxLength: bufferBytes,
    // Note: a full pipe is retried later while the process runs, never in its last flush.
    retryEAGAIN: () => !exiting,
  });
  destination.on('drop', onDrop);
  // Note: put before pino's own exit flush (registered as the destination was made), which would
  // otherwise wait for ever on a log reader that stopped reading; the lines it cannot take now
  // are left unwritten.
  process.prependOnceListener('exit', () => {
    exiting = true;
    try {
      destination.flushSync();
    } catch {
      // The reader is gone or full: nothing more can be written.
    }
    destination.destroy();
  });
  return destination;
}

export type Logger = ReturnType<typeof createLogger>;
