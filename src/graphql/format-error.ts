import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../logger';
import { ClientError, ErrorCode } from './errors';
import { tokenLimitError } from './limits';
import { isStatementTimeout } from '../db/statement-timeout';
import { persistedQueryError } from './persisted-query-errors';

/**
 * The codes of Apollo's and graphql-js's own refusals of a request (not ours: no ClientError
 * stands behind them), which pass as they are.
 */
const REQUEST_CODES = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
]);

/** graphql-js's suggestions (" Did you mean "unit" or "units"?"), dropped in production. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * The ClientError behind `error`: itself when thrown by a plugin or the context function, the
 * original error of graphql-js's located error (resolvers) or of Apollo's ValidationError
 * (validation rules); null for any other error.
 */
function clientError(error: unknown): ClientError | null {
  if (error instanceof ClientError) return error;
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  return original instanceof ClientError ? original : null;
}

/**
 * The code under which `formatted` passes unmasked: a ClientError's own (Apollo codes a
 * validation rule's error GRAPHQL_VALIDATION_FAILED, which gives way to it), else one of
 * REQUEST_CODES on an error of the request as a whole; null for anything else.
 * Note: a request's refusals are never at a field's `path`, so a field error that merely carries
 * one of Apollo's codes is masked like any other error that is not a ClientError.
 */
function clientCode(formatted: GraphQLFormattedError, error: unknown): string | null {
  const own = clientError(error);
  if (own) return own.code;
  const code = formatted.extensions?.code;
  return typeof code === 'string' && REQUEST_CODES.has(code) && !formatted.path ? code : null;
}

/**
 * Apollo `formatError`: client errors (ClientError and Apollo's refusals) pass as they are (without graphql-js's "Did you mean …?"
 * suggestions when `hideSuggestions`, i.e. in production), the parser's token limit as
 * QUERY_TOO_MANY_TOKENS, Apollo's uncoded persisted-query refusals with their codes; anything
 * unexpected is logged with its cause and masked as INTERNAL_SERVER_ERROR, so no SQL, stack or
 * internal detail leaks.
 */
export function createFormatError(log: Logger, hideSuggestions = false) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const known = tokenLimitError(formatted) ?? persistedQueryError(formatted, error);
    if (known) return known;
    const code = clientCode(formatted, error);
    if (code !== null) {
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
