import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { NodeResolver } from '../modules/node/node.resolver';
import { OrgUnitResolver } from '../modules/org-unit/org-unit.resolver';
import { PostResolver } from '../modules/post/post.resolver';
import { AppointmentResolver, PersonResolver } from '../modules/person/person.resolver';
import { MissionResolver } from '../modules/mission/mission.resolver';
import { ResponsibilityResolver } from '../modules/mission/responsibility.resolver';
import { RelationResolver } from '../modules/relation/relation.resolver';
import { SearchResolver } from '../modules/search/search.resolver';
import { Source } from '../modules/source/source.entity';

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
] as const;

/** Builds the executable schema, shared by the server, the tests and the SDL emitter. */
export function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: RESOLVERS, orphanedTypes: [Source], validate: false });
}

/** The SDL as committed in `schema/schema.graphql`: sorted, so diffs stay readable. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
