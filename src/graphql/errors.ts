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
  SUBSCRIPTION_OVER_HTTP: 'SUBSCRIPTION_OVER_HTTP',
  SUBSCRIPTIONS_ONLY: 'SUBSCRIPTIONS_ONLY',
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
} as const;

/**
 * An error whose message and `extensions.code` are meant for the client. `formatError` passes
 * every subclass as it is, wherever it is thrown (resolver, plugin, context function, validation
 * rule), and masks other errors; a new client error only has to extend this class.
 */
export abstract class ClientError extends GraphQLError {
  constructor(
    readonly code: string,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extensions } });
  }
}

/** A bad argument value. `extensions.argumentName` names the argument. */
export class BadUserInputError extends ClientError {
  constructor(message: string, argumentName: string, extra: Record<string, unknown> = {}) {
    super(ErrorCode.BAD_USER_INPUT, message, { argumentName, ...extra });
  }
}

/** The operation nests deeper than the configured limit. */
export class QueryTooDeepError extends ClientError {
  constructor(depth: number, limit: number) {
    super(ErrorCode.QUERY_TOO_DEEP, `Query depth ${depth} exceeds the limit of ${limit}.`, {
      depth,
      limit,
      http: { status: 400 },
    });
  }
}

/** The operation's estimated cost exceeds the configured limit. */
export class QueryTooComplexError extends ClientError {
  constructor(complexity: number, limit: number) {
    super(
      ErrorCode.QUERY_TOO_COMPLEX,
      `Query complexity ${complexity} exceeds the limit of ${limit}.`,
      { complexity, limit, http: { status: 400 } },
    );
  }
}

/** The operation uses more aliases than the configured limit (aliases of `__typename` are free). */
export class QueryTooManyAliasesError extends ClientError {
  constructor(aliases: number, limit: number) {
    super(
      ErrorCode.QUERY_TOO_MANY_ALIASES,
      `Query has ${aliases} aliases, over the limit of ${limit}.`,
      { aliases, limit, http: { status: 400 } },
    );
  }
}

/** The operation uses more directives than the configured limit. */
export class QueryTooManyDirectivesError extends ClientError {
  constructor(directives: number, limit: number) {
    super(
      ErrorCode.QUERY_TOO_MANY_DIRECTIVES,
      `Query has ${directives} directives, over the limit of ${limit}.`,
      { directives, limit, http: { status: 400 } },
    );
  }
}

/**
 * The caller's query-cost budget for the current window cannot pay for this operation, which
 * does not run: HTTP 429 with `Retry-After`, in seconds until the window resets.
 */
export class RateLimitedError extends ClientError {
  constructor(cost: number, remaining: number, limit: number, retryAfter: number) {
    const why =
      cost > limit
        ? `costs ${cost} points, more than the whole budget of ${limit} per window`
        : `costs ${cost} points and ${remaining} of ${limit} remain in this window`;
    super(
      ErrorCode.RATE_LIMITED,
      `Rate limit exceeded: this operation ${why}. Retry in ${retryAfter} s.`,
      {
        cost,
        remaining,
        limit,
        retryAfter,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
      },
    );
  }
}

/**
 * A write waited its bounded time for another write transaction (an import) and did not run:
 * nothing was written. HTTP 503 with `Retry-After`; the same request may be sent again.
 */
export class DatabaseBusyError extends ClientError {
  constructor(waitedMs: number) {
    const retryAfter = Math.max(1, Math.ceil(waitedMs / 1000));
    super(
      ErrorCode.DATABASE_BUSY,
      `The database is busy with another write (an import?); nothing was written. Retry in ${retryAfter} s.`,
      {
        retryAfter,
        http: { status: 503, headers: new Map([['retry-after', String(retryAfter)]]) },
      },
    );
  }
}

/**
 * The operation holds more selections, fragments expanded at every spread, than are measured.
 * It shares the code of QueryTooComplexError: both mean "ask for less".
 */
export class QueryTooLargeError extends ClientError {
  constructor(selections: number, limit: number) {
    super(
      ErrorCode.QUERY_TOO_COMPLEX,
      `Query has ${selections} selections, fragments expanded, over the limit of ${limit}.`,
      { selections, limit, http: { status: 400 } },
    );
  }
}

/** A subscription sent as a plain HTTP request: it is served by the streaming transports only. */
export class SubscriptionOverHttpError extends ClientError {
  constructor() {
    super(
      ErrorCode.SUBSCRIPTION_OVER_HTTP,
      'Subscriptions are served over WebSocket on /graphql (protocol graphql-transport-ws) and over Server-Sent Events on /graphql/stream, not over a plain HTTP request.',
      { http: { status: 400 } },
    );
  }
}

/** A query or mutation sent on a streaming transport, which serves subscriptions only. */
export class SubscriptionsOnlyError extends ClientError {
  constructor(operation: string) {
    super(
      ErrorCode.SUBSCRIPTIONS_ONLY,
      `This transport serves subscriptions only; send a ${operation} as a plain HTTP request to /graphql.`,
      { http: { status: 400 } },
    );
  }
}

/** The caller already has as many open subscriptions as it may have. */
export class TooManySubscriptionsError extends ClientError {
  constructor(limit: number) {
    super(
      ErrorCode.TOO_MANY_SUBSCRIPTIONS,
      `This caller already has ${limit} open subscriptions, the limit; close one first.`,
      { limit, http: { status: 429 } },
    );
  }
}
