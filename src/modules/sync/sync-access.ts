import type { Context } from '../../graphql/context';
import { grants, Role } from '../../graphql/role';
import { ForbiddenError, UnauthenticatedError } from '../../graphql/auth-errors';

/**
 * The change feed and the exports are public unless the configuration reserves them to the
 * SYNC role (and ADMIN).
 */
export function requireSyncAccess(ctx: Context): void {
  if (ctx.config.syncAccess === 'public') return;
  if (grants(ctx.principal.role, [Role.SYNC])) return;
  if (ctx.principal.role === Role.ANONYMOUS)
    throw new UnauthenticatedError('The change feed needs a SYNC key.');
  throw new ForbiddenError('The change feed needs the SYNC role.');
}
