import type { AuthChecker } from 'type-graphql';
import type { Context } from './context';
import { grants, Role } from './role';
import { ForbiddenError, UnauthenticatedError } from './auth-errors';

/**
 * type-graphql's `@Authorized(...roles)` check. An anonymous caller asking for a write is told
 * to authenticate (UNAUTHENTICATED); anyone else short of the role, including the public
 * reading a private field, gets FORBIDDEN on that path.
 */
export const authChecker: AuthChecker<Context> = ({ context, info }, roles) => {
  const role = context.principal.role;
  if (grants(role, roles)) return true;
  if (role === Role.ANONYMOUS && info.parentType.name === 'Mutation') {
    throw new UnauthenticatedError(
      'This operation needs an API key or token: send Authorization: Bearer <key>.',
    );
  }
  throw new ForbiddenError(
    `${info.parentType.name}.${info.fieldName} needs the ${roles.join(' or ')} role.`,
  );
};
