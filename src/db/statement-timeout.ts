import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE for a statement cancelled by `statement_timeout` (query_canceled). */
const QUERY_CANCELED = '57014';

/**
 * True for the error of a statement that PostgreSQL cancelled because it ran past
 * `statement_timeout` (DATABASE_STATEMENT_TIMEOUT_MS), which the API answers as REQUEST_TIMEOUT.
 */
export function isStatementTimeout(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = (err as QueryFailedError & { driverError?: { code?: string } }).driverError;
  return driverError?.code === QUERY_CANCELED;
}
