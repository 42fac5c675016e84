import 'reflect-metadata';
import { buildSchema, Extensions, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import {
  getNamedType,
  type GraphQLFieldResolver,
  isLeafType,
  isObjectType,
  GraphQLSchema,
  lexicographicSortSchema,
  OperationTypeNode,
  parse,
  print,
  printSchema,
} from 'graphql';
import { authChecker } from './auth-checker';

/**
 * Marks `simple` every plain field (a property, not a field resolver) that no `@Authorized` and
 * no `@UseMiddleware` guards: graphql-js then reads the property itself instead of going through
 * type-graphql's per-field wrapper. A field that is given a guard later stays on the wrapper,
 * since the marking is derived here, at each build, from the guards; `assertGuardsKept` checks
 * the result against the roles and middlewares that type-graphql itself resolved.
 */
function simplifyPlainFields(): void {
  const storage = getMetadataStorage();
  const guarded = new Set(
    [...storage.authorizedFields, ...storage.middlewares].map((g) => g.fieldName),
  );
  for (const field of storage.fields) {
    // Note: graphql-js reads the property of the field's GraphQL name, so a renamed field keeps
    // type-graphql's resolver, which reads the class property.
    const plain = field.schemaName === field.name && !guarded.has(field.name);
    if (field.simple === undefined && plain) field.simple = true;
  }
}

const ARGUMENTS_AT_ONCE = 'argumentsAtOnce';

/**
 * Marks a field resolver whose arguments are all scalars or enums to be called with them as
 * graphql-js parsed them, at once. type-graphql hands a resolver its arguments through an
 * asynchronous validation step, even with validation off, so that every field with arguments
 * answers with a promise, and with it every object above it: a chart whose heads and holders
 * are read ahead (see `readAheadHeads`) then costs a few hundred promises for nothing (Q2,
 * national SQLite: 12.1 → 9.4 ms of CPU per request, median of five interleaved runs, with
 * `holder` and `holderStatus` answering at once). The method gets the arguments as a plain
 * object, not an instance of its `@Args()` class, and is called on an instance of the resolver
 * class of this module's own: resolver classes hold no state.
 */
export const ArgumentsAtOnce = () => Extensions({ [ARGUMENTS_AT_ONCE]: true });

/**
 * Gives every field marked `@ArgumentsAtOnce()` a resolver that calls the method directly;
 * fails the build when a marked field has a guard, a validated argument, a parameter other than
 * root, arguments, context and info, or an argument that is not a scalar or an enum.
 */
function resolveArgumentsAtOnce(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.extensions?.[ARGUMENTS_AT_ONCE]) continue;
      const where = `${type.name}.${field.name}`;
      const objectType = storage.objectTypes.find((t) => t.name === type.name)?.target;
      const found = storage.fieldResolvers.filter(
        (r) => r.schemaName === field.name && r.getObjectType?.() === objectType,
      );
      const meta = found.length === 1 ? found[0] : undefined;
      const params = [...(meta?.params ?? [])].sort((a, b) => a.index - b.index);
      const refused =
        !meta || meta.kind !== 'external'
          ? 'it is not one field resolver of a resolver class'
          : meta.roles?.length || meta.middlewares?.length
            ? 'it is guarded'
            : params.some(
                  (p) =>
                    !['root', 'args', 'context', 'info'].includes(p.kind) ||
                    ('propertyName' in p && p.propertyName) ||
                    ('validateSettings' in p && p.validateSettings !== undefined) ||
                    ('validateFn' in p && p.validateFn !== undefined),
                )
              ? 'a parameter is neither root, args, context nor info, or is validated'
              : field.args.some((a) => !isLeafType(getNamedType(a.type)))
                ? 'an argument is not a scalar or an enum'
                : null;
      if (refused) throw new Error(`${where} cannot take its arguments at once: ${refused}.`);
      const Root = objectType as new () => object;
      const instance = new (
        meta!.target as new () => Record<string, (...a: unknown[]) => unknown>
      )();
      const method = meta!.methodName;
      const kinds = params.map((p) => p.kind);
      const original = field.resolve as GraphQLFieldResolver<unknown, unknown>;
      field.resolve = (root, args, context, info) => {
        // Note: type-graphql would make the root an instance of its class; loaders give one.
        if (!(root instanceof Root)) return original(root, args, context, info);
        const values = kinds.map((k) =>
          k === 'root' ? root : k === 'args' ? args : k === 'context' ? context : info,
        );
        return instance[method](...values);
      };
    }
  }
}

/** Fails the build if a `simple` field would skip an authorization check or a middleware. */
function assertGuardsKept(): void {
  for (const field of getMetadataStorage().fields) {
    if (field.simple && (field.roles?.length || field.middlewares?.length))
      throw new Error(`${field.target.name}.${field.name} is guarded and must not be simple.`);
  }
}

/**
 * Builds an executable schema from resolver classes (the composition root gives them all),
 * with role checks by `authChecker` and plain fields read directly.
 */
export async function buildResolverSchema(options: {
  resolvers: readonly Function[];
  orphanedTypes?: readonly Function[];
}): Promise<GraphQLSchema> {
  simplifyPlainFields();
  const schema = await buildSchema({
    resolvers: options.resolvers as NonEmptyArray<Function>,
    orphanedTypes: [...(options.orphanedTypes ?? [])],
    validate: false,
    authChecker,
    authMode: 'error',
    // Note: type-graphql wants a PubSub as soon as a subscription exists, even when every
    // subscription brings its own `subscribe` function, as ours do; no topic is ever used.
    pubSub: {
      publish: () => undefined,
      subscribe: () => {
        throw new Error('Subscriptions declare their own subscribe function; topics are unused.');
      },
    },
  });
  assertGuardsKept();
  resolveArgumentsAtOnce(schema);
  return schema;
}

/**
 * The SDL as committed in `schema/schema.graphql` and served at `/schema.graphql`: sorted, so
 * diffs stay readable, with the `schema` block naming the root types.
 */
// Note: `print(parse(printSchema(…)))` keeps the layout the file has always had (no blank line
// between described fields, which `printSchema` alone adds). graphql-js prints the only
// directives this schema applies, `@deprecated` and `@specifiedBy`; a custom directive put on a
// type or field with type-graphql's `@Directive` would not reach the SDL.
export function printAppSchema(schema: GraphQLSchema): string {
  const roots = Object.values(OperationTypeNode).flatMap((operation) => {
    const type = schema.getRootType(operation);
    return type ? [`  ${operation}: ${type.name}`] : [];
  });
  const types = print(parse(printSchema(lexicographicSortSchema(schema))));
  return `schema {\n${roots.join('\n')}\n}\n\n${types}\n`;
}
