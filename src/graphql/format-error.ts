import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../logger';
import { ErrorCode } from './errors';
import { tokenLimitError } from './limits';
import { isStatementTimeout } from '../db/statement-timeout';
import { persistedQueryError } from './persisted-query-errors';
import { QUERY_TOO_MANY_FIELDS } from './identical-fields';

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
  QUERY_TOO_MANY_FIELDS,
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

/** graphql-js's suggestions (" Did you mean "unit" or "units"?"), dropped in production. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * The code of a validation rule's own error, which Apollo replaces with GRAPHQL_VALIDATION_FAILED
 * (QUERY_TOO_MANY_FIELDS); null for other errors.
 */
function ruleCode(formatted: GraphQLFormattedError, error: unknown): string | null {
  if (formatted.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED') return null;
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  const own = original instanceof GraphQLError ? original.extensions.code : undefined;
  return typeof own === 'string' && CLIENT_CODES.has(own) ? own : null;
}

/**
 * Apollo `formatError`: client errors pass as they are (without graphql-js's "Did you mean …?"
 * suggestions when `hideSuggestions`, i.e. in production), the parser's token limit as
 * QUERY_TOO_MANY_TOKENS, Apollo's uncoded persisted-query refusals with their codes; anything
 * unexpected is logged with its cause and masked as INTERNAL_SERVER_ERROR, so no SQL, stack or
 * internal detail leaks.
 */
export function createFormatError(log: Logger, hideSuggestions = false) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const known = tokenLimitError(formatted) ?? persistedQueryError(formatted, error);
    if (known) return known;
    const code = ruleCode(formatted, error) ?? formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      void _stack;
      const message = hideSuggestions
        ? formatted.message.replace(SUGGESTION, '')
        : formatted.message;
      return { ...formatted, message, extensions: { ...extensions, code } };
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
