import 'reflect-metadata';
import { buildSchema, getMetadataStorage, type NonEmptyArray } from 'type-graphql';
import {
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
