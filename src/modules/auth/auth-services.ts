import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { ApiKeyService } from './api-key.service';
import { OidcVerifier } from './oidc';

/** What authentication needs: the key store, and the JWT verifier when OIDC is configured. */
export interface AuthServices {
  keys: ApiKeyService;
  oidc: OidcVerifier | null;
}

/** Builds the authentication services once at start-up. */
export function createAuthServices(db: DataSource, config: Config): AuthServices {
  return { keys: new ApiKeyService(db), oidc: config.oidc ? new OidcVerifier(config.oidc) : null };
}
