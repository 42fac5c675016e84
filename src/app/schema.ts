import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildResolverSchema } from '../graphql/schema';
import { guardUntaggedFields } from '../graphql/answer-tags';
import { guardTextArguments } from '../modules/node/text-arguments';
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
