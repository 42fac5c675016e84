import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  DocumentNode,
  FragmentDefinitionNode,
  getVariableValues,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  validate,
  ValidationRule,
} from 'graphql';
import {
  ComplexityEstimator,
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
} from 'graphql-query-complexity';
import { PAGE_MAX } from './connection';
import type { Context } from './context';
import {
  ErrorCode,
  QueryTooComplexError,
  QueryTooDeepError,
  QueryTooLargeError,
  QueryTooManyAliasesError,
  QueryTooManyDirectivesError,
  SubscriptionOverHttpError,
} from './errors';

/** Most selections an operation may hold once its fragments are expanded at every spread. */
export const MAX_SELECTIONS = 10_000;

/** Depth and size of an operation. */
export interface OperationShape {
  /** The longest chain of nested fields, introspection fields not counted. */
  depth: number;
  /** Every selection (field, fragment spread, inline fragment), fragments expanded at each spread. */
  selections: number;
}

/**
 * Measures an operation through its fragments. Introspection fields (`__schema`, `__type`) add
 * no depth, so that tools like Apollo Sandbox keep working, but their selections count.
 * Each fragment is measured once, so that fragments spreading others many times stay cheap.
 */
export function operationShape(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const measured = new Map<string, OperationShape>();
  const entered = new Set<string>();
  const fragmentShape = (name: string): OperationShape => {
    const fragment = fragments.get(name);
    if (!fragment || entered.has(name)) return { depth: 0, selections: 0 };
    let shape = measured.get(name);
    if (!shape) {
      entered.add(name);
      shape = shapeOf(fragment.selectionSet);
      entered.delete(name);
      measured.set(name, shape);
    }
    return shape;
  };
  const shapeOf = (set: SelectionSetNode | undefined): OperationShape => {
    let depth = 0;
    let selections = 0;
    for (const sel of set?.selections ?? []) {
      const inner =
        sel.kind === Kind.FRAGMENT_SPREAD
          ? fragmentShape(sel.name.value)
          : shapeOf(sel.selectionSet);
      selections += 1 + inner.selections;
      if (sel.kind !== Kind.FIELD) depth = Math.max(depth, inner.depth);
      else if (!sel.name.value.startsWith('__')) depth = Math.max(depth, 1 + inner.depth);
    }
    return { depth, selections };
  };
  return shapeOf(operation.selectionSet);
}

/** Depth of an operation: the longest chain of nested fields, through fragments. */
export function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  return operationShape(document, operation).depth;
}

/**
 * Aliases and directives of a document, counted by graphql-armor's rules: aliases of
 * `__typename` are free, and a fragment counts at each spread. The heaviest operation counts.
 * Note: the rules get no limit of their own and report their count through `onAccept`, so that
 * the plugin below rejects with its own code, count and limit; armor's rejection is a bare
 * GraphQLError that Apollo would report as GRAPHQL_VALIDATION_FAILED.
 */
export function aliasesAndDirectives(
  schema: GraphQLSchema,
  document: DocumentNode,
): { aliases: number; directives: number } {
  const counts = { aliases: 0, directives: 0 };
  const onAccept = (key: keyof typeof counts) => [
    (_: unknown, details: { n: number }) => {
      counts[key] = Math.max(counts[key], details.n);
    },
  ];
  validate(schema, document, [
    maxAliasesRule({ n: Number.POSITIVE_INFINITY, onAccept: onAccept('aliases') }),
    maxDirectivesRule({ n: Number.POSITIVE_INFINITY, onAccept: onAccept('directives') }),
  ]);
  return counts;
}

/**
 * The token limit that graphql-js's parser reports when a document goes over `maxLexicalTokens`
 * (Apollo's `parseOptions`), as QUERY_TOO_MANY_TOKENS; null for any other error.
 * Note: Apollo offers no parse hook, so the parser's own limit stops the document before the
 * whole of it is parsed, and its error, which Apollo codes GRAPHQL_PARSE_FAILED, is recognized
 * by its message here (`formatError`); graphql-js 16 spells it "more that".
 */
export function tokenLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError | null {
  if (formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED') return null;
  const match = /Document contains more th(?:an|at) (\d+) tokens\. Parsing aborted\.$/.exec(
    formatted.message,
  );
  if (!match) return null;
  const limit = Number(match[1]);
  return {
    message: `Query has more than ${limit} tokens, the limit.`,
    locations: formatted.locations,
    extensions: { code: ErrorCode.QUERY_TOO_MANY_TOKENS, limit },
  };
}

/**
 * Rejects an operation whose root type the schema lacks (`mutation`, `subscription`).
 * Note: graphql-js 16 leaves this to execution, whose error would be masked as
 * INTERNAL_SERVER_ERROR; graphql-js 17 has it as `KnownOperationTypesRule`.
 */
export const KnownOperationTypesRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) {
      context.reportError(
        new GraphQLError(`This API has no ${node.operation} operations.`, { nodes: node }),
      );
    }
  },
});

/**
 * What a root field costs on top of its own estimate: as much as a full page. Most run their own
 * SQL statements, which no DataLoader shares between aliases, so an alias flood multiplies them.
 */
export const ROOT_FIELD_COST = PAGE_MAX;

/** Costs declared on fields (`complexity:`), else 1 plus the children; root fields add more. */
function fieldCost(schema: GraphQLSchema): ComplexityEstimator {
  const declared = fieldExtensionsEstimator();
  const simple = simpleEstimator({ defaultComplexity: 1 });
  const rootTypes = new Set<unknown>([
    schema.getQueryType(),
    schema.getMutationType(),
    schema.getSubscriptionType(),
  ]);
  return (args) => {
    const own = declared(args);
    const cost = typeof own === 'number' ? own : (simple(args) as number);
    const root = rootTypes.has(args.type) && !args.field.name.startsWith('__');
    return root ? cost + ROOT_FIELD_COST : cost;
  };
}

/** Limits that the plugin enforces; the token limit is the parser's (Apollo's `parseOptions`). */
export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  maxAliases: number;
  maxDirectives: number;
}

/**
 * Rejects operations with too many aliases or directives, or deeper, larger or costlier than the
 * limits, before they execute, each with its code and the measured value and limit in
 * `extensions`. Complexity is the sum of per-field costs, connections multiplying their children
 * by the page size asked for, root fields adding ROOT_FIELD_COST each. The complexity of an
 * accepted operation goes to `context.cost.requested`, for the rate limiter.
 */
export function queryLimitsPlugin(
  schema: GraphQLSchema,
  limits: QueryLimits,
): ApolloServerPlugin<Context> {
  const check = operationLimits(schema, limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          if (!operation) return;
          const complexity = check(document, operation, request);
          if (complexity !== null) contextValue.cost.requested = complexity;
        },
      };
    },
  };
}

/**
 * The checks of `queryLimitsPlugin` as a function, for every transport (HTTP through the
 * plugin, the subscription transports directly): throws the same errors with the same codes, and
 * returns the operation's complexity, or null when its variables do not coerce (execution then
 * refuses them as BAD_USER_INPUT).
 */
export function operationLimits(schema: GraphQLSchema, limits: QueryLimits) {
  const cost = fieldCost(schema);
  const measured = new WeakMap<DocumentNode, Measured>();
  return (
    document: DocumentNode,
    operation: OperationDefinitionNode,
    request: { operationName?: string | null; variables?: Record<string, unknown> | null },
  ): number | null => {
    // Note: Apollo hands the same parsed document to every request with the same text, so
    // what depends on the document alone is measured once (see docs/benchmarks.md).
    let m = measured.get(document);
    if (!m) {
      m = { ...aliasesAndDirectives(schema, document), shapes: new Map(), costs: new Map() };
      measured.set(document, m);
    }
    if (m.aliases > limits.maxAliases)
      throw new QueryTooManyAliasesError(m.aliases, limits.maxAliases);
    if (m.directives > limits.maxDirectives)
      throw new QueryTooManyDirectivesError(m.directives, limits.maxDirectives);
    let shape = m.shapes.get(operation);
    if (!shape) m.shapes.set(operation, (shape = operationShape(document, operation)));
    if (shape.depth > limits.maxDepth) throw new QueryTooDeepError(shape.depth, limits.maxDepth);
    if (shape.selections > MAX_SELECTIONS)
      throw new QueryTooLargeError(shape.selections, MAX_SELECTIONS);
    const key = costKey(request.operationName, request.variables);
    let complexity = key === null ? undefined : m.costs.get(key);
    if (complexity === undefined) {
      complexity = measureCost(schema, cost, document, operation, request);
      if (key !== null) {
        if (m.costs.size >= COSTS_PER_DOCUMENT) m.costs.clear();
        m.costs.set(key, complexity);
      }
    }
    // Note: variables that do not coerce stop execution before any resolver runs, and
    // Apollo reports them as BAD_USER_INPUT.
    if (complexity === null) return null;
    if (complexity > limits.maxComplexity)
      throw new QueryTooComplexError(complexity, limits.maxComplexity);
    return complexity;
  };
}

/**
 * Refuses a subscription sent as a plain HTTP request (POST or GET) with SUBSCRIPTION_OVER_HTTP,
 * before anything executes: subscriptions are served by the streaming transports. A validation
 * rule of Apollo's, so that a GET gets the same answer as a POST (Apollo refuses a GET that is no
 * query, as 405 without a code of ours, right after validation).
 */
export const SubscriptionsOverHttpRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation === 'subscription') context.reportError(new SubscriptionOverHttpError());
  },
});

/** What the plugin measured of one parsed document. */
interface Measured {
  aliases: number;
  directives: number;
  shapes: Map<OperationDefinitionNode, OperationShape>;
  /** Complexity per operation name and variables; null when the variables do not coerce. */
  costs: Map<string, number | null>;
}

/** Complexities kept per document: widgets send a few variants each, floods just recompute. */
const COSTS_PER_DOCUMENT = 256;

/** The key of a complexity: operation name and variables; null when too large to keep. */
function costKey(operationName: string | null | undefined, variables: unknown): string | null {
  try {
    const key = `${operationName ?? ''}\u0000${JSON.stringify(variables ?? {})}`;
    return key.length <= 2048 ? key : null;
  } catch {
    // Note: variables nested deep enough to overflow the stack are simply not kept.
    return null;
  }
}

/** The complexity of an operation with its variables; null when the variables do not coerce. */
function measureCost(
  schema: GraphQLSchema,
  estimator: ComplexityEstimator,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  request: { operationName?: string | null; variables?: Record<string, unknown> | null },
): number | null {
  // Note: getComplexity would throw the coercion errors unreported.
  const variables = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    request.variables ?? {},
  );
  if (variables.errors) return null;
  return getComplexity({
    schema,
    query: document,
    operationName: request.operationName ?? undefined,
    variables: request.variables ?? {},
    estimators: [estimator],
    // Note: the selection count bounds this one, which would throw unreported.
    maxQueryNodes: MAX_SELECTIONS + 1,
  });
}

/** Records a tree field (`orgChart`, `descendants`) is assumed to return, before it runs. */
export const TREE_RECORDS_ESTIMATE = 50;

/**
 * Complexity of a tree field: its children times TREE_RECORDS_ESTIMATE, whatever `maxDepth`.
 * Note: the estimate only decides what is refused before execution, and stays what it was so that
 * no operation accepted before is refused now; what a tree really returned is charged after it
 * ran (`answerCost`), however deep it went.
 */
export function treeComplexity(): ComplexityEstimator {
  return ({ childComplexity }) => 1 + childComplexity * TREE_RECORDS_ESTIMATE;
}

/**
 * What an answer cost, counted on its data as the estimate counts the operation: a point per
 * field, the fields of every record that a list (tree, connection page) really returned, and
 * ROOT_FIELD_COST per root field. The rate limiter charges it beyond the estimate, after
 * execution, as GitHub's limits count the nodes returned.
 */
export function answerCost(data: Record<string, unknown>): number {
  let total = 0;
  for (const key in data)
    total += (key.startsWith('__') ? 0 : ROOT_FIELD_COST) + valueCost(data[key]);
  return total;
}

/** 1 for the field, plus its record's fields, or every item's fields for a list. */
function valueCost(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1;
  return 1 + innerCost(value);
}

function innerCost(value: object): number {
  let total = 0;
  if (Array.isArray(value)) {
    for (const item of value)
      if (item !== null && typeof item === 'object') total += innerCost(item);
  } else {
    for (const key in value) total += valueCost((value as Record<string, unknown>)[key]);
  }
  return total;
}
