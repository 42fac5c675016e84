import { Args, Authorized, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Context } from '../../graphql/context';
import { connectionComplexity, countAsked, Page } from '../../graphql/connection';
import { Role } from '../../graphql/role';
import { AuditLogArgs, ChangeLogConnection, ChangeLogEntry } from './change-log.types';
import { auditLog } from './change-log.queries';

/** The audit log, and the guarded fields of its entries. */
@Resolver(() => ChangeLogEntry)
export class ChangeLogResolver {
  @Authorized(Role.ADMIN)
  @Query(() => ChangeLogConnection, {
    complexity: connectionComplexity,
    description:
      'Every write, newest first, filtered by actor, record, type, operation and time. ADMIN only.',
  })
  auditLog(
    @Args() args: AuditLogArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<ChangeLogEntry>> {
    return auditLog(ctx, args.filter ?? {}, args, countAsked(info));
  }

  @Authorized(Role.EDITOR)
  @FieldResolver(() => String, {
    nullable: true,
    description: 'Who wrote: `key:<id>`, `oidc:<subject>`, `seed:<file>`. EDITOR and ADMIN only.',
  })
  actor(@Root() entry: ChangeLogEntry): string {
    return entry.actor;
  }
}
