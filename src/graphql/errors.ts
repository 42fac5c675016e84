import { GraphQLError } from 'graphql';

/** Stable `extensions.code` values of this API's own errors. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  QUERY_TOO_MANY_ALIASES: 'QUERY_TOO_MANY_ALIASES',
  QUERY_TOO_MANY_DIRECTIVES: 'QUERY_TOO_MANY_DIRECTIVES',
  QUERY_TOO_MANY_TOKENS: 'QUERY_TOO_MANY_TOKENS',
  RATE_LIMITED: 'RATE_LIMITED',
  AUTH_RATE_LIMITED: 'AUTH_RATE_LIMITED',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  DATABASE_BUSY: 'DATABASE_BUSY',
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  NOT_FOUND: 'NOT_FOUND',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

/** A bad argument value. `extensions.argumentName` names the argument. */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, argumentName: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName, ...extra } });
  }
}

/** The operation nests deeper than the configured limit. */
export class QueryTooDeepError extends GraphQLError {
  constructor(depth: number, limit: number) {
    super(`Query depth ${depth} exceeds the limit of ${limit}.`, {
      extensions: { code: ErrorCode.QUERY_TOO_DEEP, depth, limit, http: { status: 400 } },
    });
  }
}

/** The operation's estimated cost exceeds the configured limit. */
export class QueryTooComplexError extends GraphQLError {
  constructor(complexity: number, limit: number) {
    super(`Query complexity ${complexity} exceeds the limit of ${limit}.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, complexity, limit, http: { status: 400 } },
    });
  }
}

/** The operation uses more aliases than the configured limit (aliases of `__typename` are free). */
export class QueryTooManyAliasesError extends GraphQLError {
  constructor(aliases: number, limit: number) {
    super(`Query has ${aliases} aliases, over the limit of ${limit}.`, {
      extensions: { code: ErrorCode.QUERY_TOO_MANY_ALIASES, aliases, limit, http: { status: 400 } },
    });
  }
}

/** The operation uses more directives than the configured limit. */
export class QueryTooManyDirectivesError extends GraphQLError {
  constructor(directives: number, limit: number) {
    super(`Query has ${directives} directives, over the limit of ${limit}.`, {
      extensions: {
        code: ErrorCode.QUERY_TOO_MANY_DIRECTIVES,
        directives,
        limit,
        http: { status: 400 },
      },
    });
  }
}

/**
 * The caller's query-cost budget for the current window cannot pay for this operation, which
 * does not run: HTTP 429 with `Retry-After`, in seconds until the window resets.
 */
export class RateLimitedError extends GraphQLError {
  constructor(cost: number, remaining: number, limit: number, retryAfter: number) {
    const why =
      cost > limit
        ? `costs ${cost} points, more than the whole budget of ${limit} per window`
        : `costs ${cost} points and ${remaining} of ${limit} remain in this window`;
    super(`Rate limit exceeded: this operation ${why}. Retry in ${retryAfter} s.`, {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        cost,
        remaining,
        limit,
        retryAfter,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
      },
    });
  }
}

/**
 * A write waited its bounded time for another write transaction (an import) and did not run:
 * nothing was written. HTTP 503 with `Retry-After`; the same request may be sent again.
 */
export class DatabaseBusyError extends GraphQLError {
  constructor(waitedMs: number) {
    const retryAfter = Math.max(1, Math.ceil(waitedMs / 1000));
    super(
      `The database is busy with another write (an import?); nothing was written. Retry in ${retryAfter} s.`,
      {
        extensions: {
          code: ErrorCode.DATABASE_BUSY,
          retryAfter,
          http: { status: 503, headers: new Map([['retry-after', String(retryAfter)]]) },
        },
      },
    );
  }
}

/**
 * The operation holds more selections, fragments expanded at every spread, than are measured.
 * It shares the code of QueryTooComplexError: both mean "ask for less".
 */
export class QueryTooLargeError extends GraphQLError {
  constructor(selections: number, limit: number) {
    super(`Query has ${selections} selections, fragments expanded, over the limit of ${limit}.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, selections, limit, http: { status: 400 } },
    });
  }
}

/**
 * An expected business failure in a write (invalid value, unknown reference, cycle…). Services
 * throw it; seeds report it with the file path, and mutations will return it as a userError.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly field: string[],
    message: string,
  ) {
    super(message);
  }
}
