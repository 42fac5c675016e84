import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import { GraphQLSchema, lexicographicSortSchema } from 'graphql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
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
import { authChecker } from '../modules/auth/auth-checker';

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

/** Builds the executable schema, shared by the server, the tests and the SDL emitter. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    orphanedTypes: [Source],
    validate: false,
    authChecker,
    authMode: 'error',
  });
  // Note: type-graphql has no option for the root type's description, so it is set here.
  schema.getQueryType()!.description =
    'Read access to the directory: units and their tree, posts and holders, people, missions, responsibilities, search, and Relay refetch by id.';
  schema.getMutationType()!.description =
    'Writes, for editors: each mutation runs in one transaction, is logged in the change log, and reports expected failures in `userErrors`.';
  return schema;
}

/**
 * The SDL as committed in `schema/schema.graphql` and served at `/schema.graphql`: sorted, so
 * diffs stay readable, with directive definitions and their uses on types and fields.
 */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(lexicographicSortSchema(schema))}\n`;
}
