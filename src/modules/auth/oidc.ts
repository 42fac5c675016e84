import fs from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, JWTPayload, jwtVerify } from 'jose';
import { Role } from '../../graphql/role';
import type { Principal } from '../../graphql/principal';
import type { OidcConfig } from '../../config';

/** Highest first: a token whose claim names several roles gets the first of these it has. */
const PRIORITY = [Role.ADMIN, Role.EDITOR, Role.SYNC, Role.AGENT];

function claimAt(payload: JWTPayload, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      payload,
    );
}

/** Verifies bearer JWTs against the configured JWKS with `jose`. */
export class OidcVerifier {
  private readonly keys:
    ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: OidcConfig) {
    this.keys = /^https?:\/\//.test(config.jwks)
      ? createRemoteJWKSet(new URL(config.jwks))
      : createLocalJWKSet(JSON.parse(fs.readFileSync(config.jwks, 'utf8')));
  }

  /** The principal of a valid token; null when the token is invalid, expired or grants no role. */
  async verify(token: string): Promise<Principal | null> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
      }));
    } catch {
      return null;
    }
    const claim = claimAt(payload, this.config.roleClaim);
    const values = (Array.isArray(claim) ? claim : [claim]).filter(
      (v): v is string => typeof v === 'string',
    );
    const roles = values.map(
      (v) => this.config.roleMap[v] ?? (PRIORITY as string[]).find((r) => r === v.toUpperCase()),
    );
    const role = PRIORITY.find((r) => roles.includes(r));
    if (!role || !payload.sub) return null;
    const name =
      typeof payload.name === 'string'
        ? payload.name
        : typeof payload.email === 'string'
          ? payload.email
          : payload.sub;
    return {
      kind: 'oidc',
      id: payload.sub,
      name,
      role,
      actor: `oidc:${payload.sub}`,
      rateKey: `oidc:${payload.sub}`,
    };
  }
}
