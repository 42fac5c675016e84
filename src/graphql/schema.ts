import 'reflect-metadata';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import {
  GraphQLSchema,
  lexicographicSortSchema,
  OperationTypeNode,
  parse,
  print,
  printSchema,
} from 'graphql';
import { NodeResolver } from '../modules/node/node.resolver';
import { OrgUnitResolver } from '../modules/org-unit/org-unit.resolver';
import { PostResolver } from '../modules/post/post.resolver';
import { AppointmentResolver, PersonResolver } from '../modules/person/person.resolver';
import { MissionResolver } from '../modules/mission/mission.resolver';
import { ResponsibilityResolver } from '../modules/mission/responsibility.resolver';
import { RelationResolver } from '../modules/relation/relation.resolver';
import { SearchResolver } from '../modules/search/search.resolver';
import { Source } from '../modules/source/source.entity';
import { OrgUnitMutations } from '../modules/org-unit/org-unit.mutations';
import { PostMutations } from '../modules/post/post.mutations';
import { PersonMutations } from '../modules/person/person.mutations';
import { MissionMutations } from '../modules/mission/mission.mutations';
import { RelationMutations } from '../modules/relation/relation.mutations';
import { ChangeLogResolver } from '../modules/changelog/change-log.resolver';
import { MeResolver } from '../modules/auth/me.resolver';
import { ChangeFeedResolver } from '../modules/sync/change-feed.resolver';
import { authChecker } from './auth-checker';
import { guardTextArguments } from './text-arguments';

/** Every resolver class of the API. */
export const RESOLVERS = [
  NodeResolver,
  OrgUnitResolver,
  PostResolver,
  PersonResolver,
  AppointmentResolver,
  MissionResolver,
  ResponsibilityResolver,
  RelationResolver,
  SearchResolver,
  OrgUnitMutations,
  PostMutations,
  PersonMutations,
  MissionMutations,
  RelationMutations,
  ChangeLogResolver,
  MeResolver,
  ChangeFeedResolver,
] as const;

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

/** Builds the executable schema, shared by the server, the tests and the SDL emitter. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  simplifyPlainFields();
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    orphanedTypes: [Source],
    validate: false,
    authChecker,
    authMode: 'error',
  });
  assertGuardsKept();
  guardTextArguments(schema);
  // Note: type-graphql has no option for the root type's description, so it is set here.
  schema.getQueryType()!.description =
    'Read access to the directory: units and their tree, posts and holders, people, missions, responsibilities, search, and Relay refetch by id.';
  schema.getMutationType()!.description =
    'Writes, for editors: each mutation runs in one transaction, is logged in the change log, and reports expected failures in `userErrors`.';
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
