import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './errors';

/**
 * Apollo's refusals of an automatic persisted query that carry no code, by their message, with
 * the code and message they get: an unknown `version` is PERSISTED_QUERY_NOT_SUPPORTED (a client
 * then sends its full query), a `sha256Hash` that is not the query's is BAD_REQUEST.
 */
const REFUSALS: Record<string, { code: string; message: string }> = {
  'Unsupported persisted query version': {
    code: 'PERSISTED_QUERY_NOT_SUPPORTED',
    message: 'Only version 1 of automatic persisted queries is supported.',
  },
  'provided sha does not match query': {
    code: ErrorCode.BAD_REQUEST,
    message: "The persisted query's sha256Hash is not the SHA-256 of the query sent with it.",
  },
};

/**
 * The client error that Apollo's persisted-query refusal `error` stands for; null for any other
 * error. Note: Apollo sends these with HTTP 400 but no code, so `formatError` would take them
 * for unexpected errors; they are recognized by their message, as there is nothing else.
 */
export function persistedQueryError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError | null {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return null;
  const refusal = REFUSALS[error.message];
  return refusal ? { message: refusal.message, extensions: { code: refusal.code } } : null;
}
