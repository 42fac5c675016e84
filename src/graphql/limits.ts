import type { ApolloServerPlugin } from '@apollo/server';
import {
  DocumentNode,
  FragmentDefinitionNode,
  GraphQLSchema,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { QueryTooComplexError, QueryTooDeepError } from './errors';

/**
 * Depth of an operation: the longest chain of nested fields, through fragments. Introspection
 * fields (`__schema`, `__type`) are not counted, so that tools like Apollo Sandbox keep working.
 */
export function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!set) return 0;
    let max = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        max = Math.max(max, 1 + depthOf(sel.selectionSet, seen));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(sel.selectionSet, seen));
      } else {
        const name = sel.name.value;
        const fragment = fragments.get(name);
        if (fragment && !seen.has(name))
          max = Math.max(max, depthOf(fragment.selectionSet, new Set(seen).add(name)));
      }
    }
    return max;
  };
  return depthOf(operation.selectionSet, new Set());
}

/** Limits that the plugin enforces. */
export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
}

/**
 * Rejects operations deeper or costlier than the limits before they execute, each with its own
 * code and the measured value and limit in `extensions`. Complexity is the sum of per-field
 * costs, connections multiplying their children by the page size asked for.
 */
export function queryLimitsPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!operation) return;
          const depth = operationDepth(document, operation);
          if (depth > limits.maxDepth) throw new QueryTooDeepError(depth, limits.maxDepth);
          const complexity = getComplexity({
            schema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
          if (complexity > limits.maxComplexity)
            throw new QueryTooComplexError(complexity, limits.maxComplexity);
        },
      };
    },
  };
}
