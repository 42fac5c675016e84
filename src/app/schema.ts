import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildResolverSchema } from '../graphql/schema';
import { guardUntaggedFields } from '../graphql/answer-tags';
import { buildSubgraph } from '../graphql/subgraph';
import { guardTextArguments } from '../modules/node/text-arguments';
import { uuidOf, type NodeType } from '../modules/node/global-id';
import { loadByType } from '../modules/node/node.resolver';
import { ORPHANED_TYPES, RESOLVERS } from './modules';

/** Builds the application's schema, shared by the server, the tests and the SDL emitter. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildResolverSchema({
    resolvers: RESOLVERS,
    orphanedTypes: ORPHANED_TYPES,
  });
  // Note: before guardTextArguments, which gives plain fields with text arguments a resolver.
  guardUntaggedFields(schema);
  guardTextArguments(schema);
  // Note: type-graphql has no option for the root type's description, so it is set here.
  schema.getQueryType()!.description =
    'Read access to the directory: units and their tree, posts and holders, people, missions, responsibilities, search, and Relay refetch by id.';
  schema.getMutationType()!.description =
    'Writes, for editors: each mutation runs in one transaction, is logged in the change log, and reports expected failures in `userErrors`.';
  const subscription = schema.getSubscriptionType();
  if (subscription)
    subscription.description =
      'Pushed changes, over WebSocket (graphql-transport-ws on /graphql) or Server-Sent Events (/graphql/stream); a subscription sent as a plain HTTP request is refused with SUBSCRIPTION_OVER_HTTP.';
  return schema;
}

/** The record types a federated supergraph can resolve by id, with `@key(fields: "id")`. */
export const FEDERATED_ENTITIES: readonly NodeType[] = ['OrgUnit', 'Post', 'Person'];

/**
 * The schema the gateway serves: the application's, or with `FEDERATION=true` the same as an
 * Apollo Federation 2 subgraph (`_service`, `_entities`), whose entities load as `node(id:)` does.
 */
export async function buildServedSchema(federation: boolean): Promise<GraphQLSchema> {
  const schema = await buildAppSchema();
  if (!federation) return schema;
  return buildSubgraph(schema, {
    types: FEDERATED_ENTITIES,
    uuidOf: (id, type) => uuidOf(id, type as NodeType),
    load: (ctx, type, uuid) => loadByType(ctx, type as NodeType, uuid),
  });
}
