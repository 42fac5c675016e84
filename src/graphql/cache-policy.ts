import {
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { Extensions } from 'type-graphql';

const UNCACHED = 'uncached';

/**
 * Marks a field whose answer is never the same for two requests (`me`: who the caller is, and
 * their budget): an operation that selects it is not cacheable, at any level.
 */
export const Uncached = () => Extensions({ [UNCACHED]: true });

/**
 * Whether an operation's answer may be cached: it selects at least one field of the schema (an
 * operation of `__typename` or introspection alone is not), and no field marked `@Uncached()`,
 * anywhere in its selection (fragments included; `@skip` and `@include` are not evaluated, so a
 * field they might leave out counts). Note: this replaces Apollo's cache-control plugin, which
 * computed the same policy field by field as the operation executed, through a hook on every
 * resolved field (meta fields have no resolver, so they gave no policy): on the national
 * directory that hook and the resolver wrapping it needs made about a third of what a 500-change
 * feed page allocated (docs/benchmarks.md). Every field has the default policy, so the policy of
 * an operation is known before it runs.
 */
export function cacheableOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): boolean {
  const typeInfo = new TypeInfo(schema);
  let uncached = false;
  let fields = 0;
  const fragments = new Set<string>();
  const walk = (node: DocumentNode | OperationDefinitionNode) =>
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Field(field) {
          // Note: meta fields and the fields of introspection types have no resolver of the
          // schema's: Apollo's plugin saw none of them.
          if (field.name.value.startsWith('__') || typeInfo.getParentType()?.name.startsWith('__'))
            return;
          fields++;
          if (typeInfo.getFieldDef()?.extensions?.[UNCACHED]) uncached = true;
        },
        FragmentSpread(spread) {
          fragments.add(spread.name.value);
        },
      }),
    );
  walk(operation);
  // Note: a fragment is walked on its own, typed by its condition, once whatever uses it.
  const seen = new Set<string>();
  while (!uncached) {
    const next = [...fragments].find((name) => !seen.has(name));
    if (next === undefined) break;
    seen.add(next);
    const definition = document.definitions.find(
      (d) => d.kind === 'FragmentDefinition' && d.name.value === next,
    );
    if (definition) walk({ ...document, definitions: [definition] });
  }
  return fields > 0 && !uncached;
}
