import 'reflect-metadata';
import { execute, parse } from 'graphql';
import {
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { ArgumentsAtOnce, buildResolverSchema } from './schema';

/** A plainly fake record type for the test. */
@ObjectType()
class Gadget {
  @Field()
  name: string;
}

@ArgsType()
class SuffixArgs {
  @Field({ nullable: true })
  suffix?: string;
}

@Resolver(() => Gadget)
class GadgetResolver {
  @Query(() => Gadget)
  gadget(): Gadget {
    return Object.assign(new Gadget(), { name: 'gizmo' });
  }

  @ArgumentsAtOnce()
  @FieldResolver(() => String)
  label(@Root() g: Gadget, @Args() args: SuffixArgs, @Ctx() ctx: { prefix: string }): string {
    return `${ctx.prefix}${g.name}${args.suffix ?? ''}`;
  }

  @FieldResolver(() => String)
  plainLabel(@Root() g: Gadget, @Args() args: SuffixArgs): string {
    return `${g.name}${args.suffix ?? ''}`;
  }
}

/** A plainly fake record type whose marked field is guarded. */
@ObjectType()
class Widget {
  @Field()
  name: string;
}

@Resolver(() => Widget)
class GuardedResolver {
  @Query(() => Widget)
  widget(): Widget {
    return Object.assign(new Widget(), { name: 'w' });
  }

  @Authorized('EDITOR')
  @ArgumentsAtOnce()
  @FieldResolver(() => String)
  secret(@Root() w: Widget, @Args() args: SuffixArgs): string {
    return w.name + (args.suffix ?? '');
  }
}

/** Executes `query`: the result itself when every field answered at once, else a promise. */
async function executor() {
  const schema = await buildResolverSchema({ resolvers: [GadgetResolver] });
  return (query: string) =>
    execute({ schema, document: parse(query), contextValue: { prefix: '>' } });
}

describe('ArgumentsAtOnce', () => {
  it('answers a field with arguments at once, with what it asked for', async () => {
    const run = await executor();
    const result = run('{ gadget { label(suffix: "!") bare: label } }');
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({ data: { gadget: { label: '>gizmo!', bare: '>gizmo' } } });
  });

  it("leaves the other fields with arguments to type-graphql's promise", async () => {
    const run = await executor();
    const result = run('{ gadget { plainLabel(suffix: "?") } }');
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toEqual({ data: { gadget: { plainLabel: 'gizmo?' } } });
  });

  it('refuses to build a schema where a marked field is guarded', async () => {
    await expect(buildResolverSchema({ resolvers: [GuardedResolver] })).rejects.toThrow(
      'Widget.secret cannot take its arguments at once: it is guarded.',
    );
  });
});
