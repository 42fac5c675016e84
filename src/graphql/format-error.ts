import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../logger';
import { ErrorCode } from './errors';
import { tokenLimitError } from './limits';
import { isStatementTimeout } from '../db/statement-timeout';

/** Codes whose message is meant for the client; anything else is masked. */
const CLIENT_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  ErrorCode.QUERY_TOO_DEEP,
  ErrorCode.QUERY_TOO_COMPLEX,
  ErrorCode.QUERY_TOO_MANY_ALIASES,
  ErrorCode.QUERY_TOO_MANY_DIRECTIVES,
  ErrorCode.QUERY_TOO_MANY_TOKENS,
  ErrorCode.RATE_LIMITED,
  ErrorCode.AUTH_RATE_LIMITED,
  ErrorCode.DATABASE_BUSY,
  ErrorCode.NOT_FOUND,
  // The auth module's (auth-errors.ts).
  'UNAUTHENTICATED',
  'FORBIDDEN',
  // The change feed's (sync/change-feed.ts).
  'SYNC_CURSOR_EXPIRED',
]);

/**
 * Apollo `formatError`: client errors pass as they are, the parser's token limit as
 * QUERY_TOO_MANY_TOKENS; anything unexpected is logged with its cause and masked as
 * INTERNAL_SERVER_ERROR, so no SQL, stack or internal detail leaks.
 */
export function createFormatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const tooManyTokens = tokenLimitError(formatted);
    if (tooManyTokens) return tooManyTokens;
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      void _stack;
      return { ...formatted, extensions };
    }
    if (isStatementTimeout(unwrapResolverError(error)))
      return {
        message: 'The database statement ran too long and was cancelled; retry later.',
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: ErrorCode.REQUEST_TIMEOUT },
      };
    log.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
