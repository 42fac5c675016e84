import type { buildSubgraphSchema } from '@apollo/subgraph';
import {
  DirectiveNode,
  DocumentNode,
  getNamedType,
  graphqlSync,
  GraphQLFieldResolver,
  GraphQLSchema,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  printSchema,
  visit,
} from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { createResolversMap } from 'type-graphql';
import type { Context } from './context';
import { BadUserInputError } from './errors';

/** The resolvers `buildSubgraphSchema` takes. */
type ResolverMap = NonNullable<
  Extract<Parameters<typeof buildSubgraphSchema>[0], { resolvers?: unknown }>['resolvers']
>;

/** The version of the federation specification the subgraph links to. */
export const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/v2.5';

/**
 * Most representations one `_entities` field resolves: a router batches the entities of one
 * subgraph fetch into one field, and each type's loader sends at most this many keys a
 * statement (`MAX_BATCH`), so a full batch is one statement per type.
 */
export const MAX_REPRESENTATIONS = 500;

/** How the subgraph finds its entities: the types with a key, and their loading by id. */
export interface SubgraphEntities {
  /** The object types that get `@key(fields: "id")`: each has a non-null `id: ID`. */
  types: readonly string[];
  /** The uuid a global id gives for `type`; null when malformed or of another type. */
  uuidOf(id: string, type: string): string | null;
  /** Loads a record of `type` by uuid through the request's loaders, null when there is none. */
  load(ctx: Context, type: string, uuid: string): Promise<unknown>;
}

/**
 * Serves an executable schema as an Apollo Federation 2 subgraph (`@apollo/subgraph`): its SDL,
 * printed, with `@key(fields: "id")` on the entity types, and its resolvers
 * (`createResolversMap`, the very functions of the schema, guards and wrappers included). The
 * `extensions` of its types, fields and arguments (costs for the limits, the answer-tag marks)
 * are copied onto the subgraph's, which `buildSubgraphSchema` builds anew from the SDL.
 * `_entities` refuses malformed representations before it loads anything, costs what `nodes`
 * costs, and loads through the request's loaders, so that its records are tagged for the caches.
 * `@apollo/subgraph` is loaded at the first call only.
 */
export async function buildSubgraph(
  schema: GraphQLSchema,
  entities: SubgraphEntities,
): Promise<GraphQLSchema> {
  const types = new Set(entities.types);
  for (const name of types) {
    const type = schema.getType(name);
    const id = isObjectType(type) ? type.getFields().id : undefined;
    if (!id || !isNonNullType(id.type) || getNamedType(id.type).name !== 'ID')
      throw new Error(`The entity type ${name} has no non-null id of type ID.`);
  }
  const resolvers = createResolversMap(schema) as Record<string, object>;
  for (const name of types) {
    const resolveReference: GraphQLFieldResolver<{ id: string }, Context> = (reference, ctx) => {
      const uuid = entities.uuidOf(reference.id, name);
      return uuid ? entities.load(ctx, name, uuid) : null;
    };
    resolvers[name] = { ...resolvers[name], __resolveReference: resolveReference };
  }
  // Note: loaded here, so that a gateway without federation never loads it (100 ms, 4 MB).
  const { buildSubgraphSchema } = await import('@apollo/subgraph');
  const subgraph = buildSubgraphSchema({
    typeDefs: subgraphSdl(schema, types),
    resolvers: resolvers as ResolverMap,
  });
  copyExtensions(schema, subgraph);
  guardEntities(subgraph, entities);
  describeFederationFields(subgraph, entities.types);
  return subgraph;
}

/** The schema's SDL with the federation link and `@key(fields: "id")` on the entity types. */
function subgraphSdl(schema: GraphQLSchema, types: ReadonlySet<string>): DocumentNode {
  const key: DirectiveNode = {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'key' },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'fields' },
        value: { kind: Kind.STRING, value: 'id' },
      },
    ],
  };
  const sdl = parse(
    `extend schema @link(url: "${FEDERATION_SPEC}", import: ["@key"])\n\n${printSchema(schema)}`,
  );
  return visit(sdl, {
    ObjectTypeDefinition: (node) =>
      types.has(node.name.value)
        ? { ...node, directives: [...(node.directives ?? []), key] }
        : undefined,
  });
}

/**
 * Copies the `extensions` of every type, field and argument of `from` onto the same ones of
 * `to`, keeping what `to` has of its own (the subgraph's reference resolvers).
 */
function copyExtensions(from: GraphQLSchema, to: GraphQLSchema): void {
  type Extended = { extensions: Readonly<Record<string, unknown>> };
  const merge = (target: Extended, source: Extended) => {
    if (Object.keys(source.extensions).length > 0)
      target.extensions = { ...source.extensions, ...target.extensions };
  };
  for (const type of Object.values(from.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const copy = to.getType(type.name);
    if (!copy) throw new Error(`The subgraph schema lost the type ${type.name}.`);
    merge(copy as Extended, type as Extended);
    if (!(isObjectType(type) || isInterfaceType(type))) continue;
    if (!(isObjectType(copy) || isInterfaceType(copy))) continue;
    const copyFields = copy.getFields();
    for (const field of Object.values(type.getFields())) {
      const copyField = copyFields[field.name];
      merge(copyField as Extended, field as Extended);
      for (const arg of field.args) {
        const copyArg = copyField.args.find((a) => a.name === arg.name);
        if (copyArg) merge(copyArg as Extended, arg as Extended);
      }
    }
  }
}

/** What `_entities` costs: `nodes`' rule, its children once per representation. */
const entitiesComplexity: ComplexityEstimator = ({ args, childComplexity }) =>
  1 +
  childComplexity *
    Math.min(
      Array.isArray(args.representations) ? args.representations.length : 1,
      MAX_REPRESENTATIONS,
    );

/**
 * Wraps `_entities` so that it refuses, before anything is loaded, more than
 * MAX_REPRESENTATIONS representations, a representation that is not an object, one whose
 * `__typename` is not an entity type of this subgraph and one whose `id` is not a global id of
 * that type, each with BAD_USER_INPUT naming `representations` (and the index at fault).
 */
function guardEntities(subgraph: GraphQLSchema, entities: SubgraphEntities): void {
  const field = subgraph.getQueryType()!.getFields()._entities;
  const resolve = field.resolve as GraphQLFieldResolver<unknown, Context>;
  const types = new Set(entities.types);
  const list = [...types].join(', ');
  field.extensions = { ...field.extensions, complexity: entitiesComplexity };
  field.resolve = (source, args: { representations: unknown[] }, ctx, info) => {
    const { representations } = args;
    if (representations.length > MAX_REPRESENTATIONS)
      throw new BadUserInputError(
        `representations holds more than ${MAX_REPRESENTATIONS} representations.`,
        'representations',
        { max: MAX_REPRESENTATIONS },
      );
    representations.forEach((rep, index) => {
      const at = `representations[${index}]`;
      if (rep === null || typeof rep !== 'object' || Array.isArray(rep))
        throw new BadUserInputError(`${at} is not an object.`, 'representations', { index });
      const { __typename: type, id } = rep as Record<string, unknown>;
      if (typeof type !== 'string' || !types.has(type))
        throw new BadUserInputError(
          `${at}.__typename is not an entity type of this subgraph (${list}).`,
          'representations',
          { index },
        );
      if (typeof id !== 'string' || !entities.uuidOf(id, type))
        throw new BadUserInputError(`${at}.id is not a valid ${type} id.`, 'representations', {
          index,
        });
    });
    return resolve(source, args, ctx, info);
  };
}

/** Descriptions for what the subgraph adds, which `@apollo/subgraph` leaves without one. */
function describeFederationFields(subgraph: GraphQLSchema, types: readonly string[]): void {
  const query = subgraph.getQueryType()!.getFields();
  query._entities.description =
    `Apollo Federation: the entities of this subgraph (${types.join(', ')}) a router asks for by representation \`{ __typename, id }\`, in order, null for an unknown id; at most ` +
    `${MAX_REPRESENTATIONS} representations.`;
  query._entities.args[0].description =
    'Representations `{ __typename, id }`: an entity type of this subgraph and a global id of that type.';
  query._service.description = 'Apollo Federation: the SDL of this subgraph, for composition.';
  const service = subgraph.getType('_Service');
  if (isObjectType(service))
    service.getFields().sdl.description ??=
      'The SDL of this subgraph with its federation directives, as composition takes it.';
  const described: Record<string, string> = {
    _Any: 'Apollo Federation: an entity representation, `{ __typename, id }`.',
    _Entity: 'Apollo Federation: the entity types of this subgraph.',
    _Service: 'Apollo Federation: this subgraph as a service.',
    federation__FieldSet: 'Apollo Federation: a selection of fields, e.g. a key.',
    federation__Scope: 'Apollo Federation: an authorization scope.',
    link__Import: 'Core schemas: an element imported from a linked specification.',
    link__Purpose: 'Core schemas: what a linked specification is for.',
  };
  for (const [name, description] of Object.entries(described)) {
    const type = subgraph.getType(name);
    if (type && !type.description) type.description = description;
  }
}

/**
 * The SDL of a subgraph schema as it answers `_service { sdl }`: the schema with its
 * federation link and `@key` directives, without the types federation adds.
 */
export function servedSubgraphSdl(subgraph: GraphQLSchema): string {
  const result = graphqlSync({ schema: subgraph, source: '{ _service { sdl } }' });
  const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
  if (typeof sdl !== 'string') throw new Error('The schema is not a federated subgraph.');
  return sdl;
}
