import { GraphQLError } from 'graphql';

/** Credentials are missing where required, or are not valid: HTTP 401. */
export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    super(message, {
      extensions: {
        code: 'UNAUTHENTICATED',
        http: {
          status: 401,
          headers: new Map([['www-authenticate', 'Bearer realm="annuaire-graphql"']]),
        },
      },
    });
  }
}

/** The caller is known but its role does not allow this. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}
