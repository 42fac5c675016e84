import { ClientError } from './errors';

/** Credentials are missing where required, or are not valid: HTTP 401. */
export class UnauthenticatedError extends ClientError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message, {
      http: {
        status: 401,
        headers: new Map([['www-authenticate', 'Bearer realm="annuaire-graphql"']]),
      },
    });
  }
}

/** The caller is known but its role does not allow this. */
export class ForbiddenError extends ClientError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}
