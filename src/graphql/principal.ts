import { Role } from './role';

/** Who is calling: anonymous, an API key, or an OpenID Connect subject. */
export interface Principal {
  kind: 'anonymous' | 'key' | 'oidc';
  /** Key id or token subject; null for anonymous callers. */
  id: string | null;
  /** Key name or token name claim, for `me` and logs. */
  name: string | null;
  role: Role;
  /** How the change log and audit name this caller. */
  actor: string;
  /** Who shares a rate budget: the key, the subject, or the client IP. */
  rateKey: string;
}

/** The principal of a request without credentials. */
export function anonymous(ip: string): Principal {
  return {
    kind: 'anonymous',
    id: null,
    name: null,
    role: Role.ANONYMOUS,
    actor: 'anonymous',
    rateKey: `ip:${ip}`,
  };
}

/** Authenticates a request by its `Authorization` header and client address. */
export type Authenticator = (header: string | undefined, ip: string) => Promise<Principal>;
