import fs from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, JWTPayload, jwtVerify } from 'jose';
import { Role } from '../../graphql/role';
import type { Principal } from '../../graphql/principal';
import type { OidcConfig } from '../../config';
import { unstorableCharacter } from '../../db/storable-text';

/** The change log's `actor` column holds 200 characters; a subject is written as `oidc:<sub>`. */
const ACTOR_LENGTH = 200;
const ACTOR_PREFIX = 'oidc:';

/**
 * Whether a token's subject can stand as the actor of what its bearer writes: a non-empty
 * string that fits the actor column with its prefix and holds no character the directory
 * refuses. A subject that could not be recorded is refused at the door rather than at the
 * first write, where PostgreSQL would fail the transaction and SQLite would store it whole.
 */
function recordableSubject(sub: unknown): sub is string {
  return (
    typeof sub === 'string' &&
    sub.length > 0 &&
    ACTOR_PREFIX.length + sub.length <= ACTOR_LENGTH &&
    unstorableCharacter(sub) === null
  );
}

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

  /**
   * The principal of a valid token; null when the token is invalid, expired, grants no role or
   * names a subject that could not be recorded as an actor.
   */
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
    const sub = payload.sub;
    if (!role || !recordableSubject(sub)) return null;
    const name =
      typeof payload.name === 'string'
        ? payload.name
        : typeof payload.email === 'string'
          ? payload.email
          : sub;
    return {
      kind: 'oidc',
      id: sub,
      name,
      role,
      actor: `${ACTOR_PREFIX}${sub}`,
      rateKey: `${ACTOR_PREFIX}${sub}`,
    };
  }
}
