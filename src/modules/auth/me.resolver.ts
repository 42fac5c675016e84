import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Context } from '../../graphql/context';
import { Role } from './role';

@ObjectType({ description: 'Who the caller is, as the gateway sees it.' })
export class Viewer {
  @Field({ description: 'True when the request carried valid credentials.' })
  authenticated: boolean;

  @Field(() => Role, { description: "The caller's role." })
  role: Role;

  @Field(() => String, {
    nullable: true,
    description: 'How credentials were given: API_KEY or OIDC; null for anonymous callers.',
  })
  credential: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Name of the key, or name (or subject) of the token; null for anonymous callers.',
  })
  name: string | null;

  @Field({ description: 'How the change log records this caller, e.g. `key:<id>`.' })
  actor: string;
}

/** `me`: the caller's own identity. */
@Resolver(() => Viewer)
export class MeResolver {
  @Query(() => Viewer, { description: 'Who the caller is: role, credential and name.' })
  me(@Ctx() ctx: Context): Viewer {
    const p = ctx.principal;
    return {
      authenticated: p.kind !== 'anonymous',
      role: p.role,
      credential: p.kind === 'key' ? 'API_KEY' : p.kind === 'oidc' ? 'OIDC' : null,
      name: p.name,
      actor: p.actor,
    };
  }
}
