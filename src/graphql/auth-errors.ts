import { ClientError } from './errors';

/**
 * Why credentials were refused, as RFC 6750 §3.1 names it in `WWW-Authenticate`: a header that
 * is no bearer credential, or a credential that is not valid. Absent when none were sent.
 */
export type BearerError = 'invalid_request' | 'invalid_token';

/**
 * Credentials are missing where required, or are not valid: HTTP 401 with the bearer challenge
 * of RFC 6750 (and its `error` when credentials were sent).
 */
export class UnauthenticatedError extends ClientError {
  constructor(message: string, error?: BearerError) {
    const challenge = `Bearer realm="annuaire-graphql"${error ? `, error="${error}"` : ''}`;
    super('UNAUTHENTICATED', message, {
      http: { status: 401, headers: new Map([['www-authenticate', challenge]]) },
    });
  }
}

/** The caller is known but its role does not allow this. */
export class ForbiddenError extends ClientError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}
