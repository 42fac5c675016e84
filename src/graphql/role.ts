import { registerEnumType } from 'type-graphql';

/** What a caller may do. Anonymous callers have no key and the ANONYMOUS role. */
export enum Role {
  ANONYMOUS = 'ANONYMOUS',
  AGENT = 'AGENT',
  EDITOR = 'EDITOR',
  SYNC = 'SYNC',
  ADMIN = 'ADMIN',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What a caller may do.',
  valuesConfig: {
    ANONYMOUS: { description: 'No credentials: public read.' },
    AGENT: {
      description: 'A State agent: public read, and private fields such as contact details.',
    },
    EDITOR: { description: 'A directory maintainer: what AGENT may, and writes.' },
    SYNC: {
      description:
        'A synchronizing system: public read, change feed and bulk exports, with a larger rate budget.',
    },
    ADMIN: { description: 'An administrator: everything, including keys and the audit log.' },
  },
});

/** The roles each role stands in for: a requirement of any of them is met. */
const GRANTS: Record<Role, Role[]> = {
  ANONYMOUS: [Role.ANONYMOUS],
  AGENT: [Role.ANONYMOUS, Role.AGENT],
  EDITOR: [Role.ANONYMOUS, Role.AGENT, Role.EDITOR],
  SYNC: [Role.ANONYMOUS, Role.SYNC],
  ADMIN: [Role.ANONYMOUS, Role.AGENT, Role.EDITOR, Role.SYNC, Role.ADMIN],
};

/** True when a caller with `role` meets a requirement of any of `required`. */
export function grants(role: Role, required: readonly string[]): boolean {
  return required.length === 0 || required.some((r) => GRANTS[role].includes(r as Role));
}

/** Roles a key can be created with. */
export const KEY_ROLES = [Role.AGENT, Role.EDITOR, Role.SYNC, Role.ADMIN] as const;
