import type { AuthServices } from './auth-services';
import type { ApiKeyService } from './api-key.service';
import type { OidcVerifier } from './oidc';
import { anonymous, type Authenticator, Principal } from '../../graphql/principal';
import { UnauthenticatedError } from '../../graphql/auth-errors';

/**
 * The principal of a request from its `Authorization` header: anonymous without one, else an
 * API key (`ak_…`) or, when configured, an OpenID Connect JWT. Credentials that are present but
 * not valid fail the request with UNAUTHENTICATED rather than falling back to anonymous.
 */
export async function authenticate(
  header: string | undefined,
  ip: string,
  keys: ApiKeyService,
  oidc: OidcVerifier | null,
): Promise<Principal> {
  if (header === undefined || header === '') return anonymous(ip);
  const match = /^Bearer ([\x21-\x7e]{1,4096})$/.exec(header);
  if (!match)
    throw new UnauthenticatedError(
      'The Authorization header must be "Bearer <API key or token>".',
      'invalid_request',
    );
  const credential = match[1];
  if (credential.startsWith('ak_')) {
    const result = await keys.verify(credential);
    if (typeof result === 'string')
      throw new UnauthenticatedError(`The API key is ${result}.`, 'invalid_token');
    return result;
  }
  const principal = oidc ? await oidc.verify(credential) : null;
  if (!principal)
    throw new UnauthenticatedError(
      'The bearer token is not valid, has expired, or grants no role.',
      'invalid_token',
    );
  return principal;
}

/**
 * The one authenticator of the server, shared by `/graphql` (through `admit`) and `/export`
 * (through the `authentication` middleware), so both accept the same credentials.
 */
export function requestAuthenticator(auth: AuthServices): Authenticator {
  return (header, ip) => authenticate(header, ip, auth.keys, auth.oidc);
}
