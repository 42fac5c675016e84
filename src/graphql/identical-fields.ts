import {
  GraphQLError,
  Kind,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ClientError } from './errors';

/** Stable code of a document with too many identical fields to validate. */
export const QUERY_TOO_MANY_FIELDS = 'QUERY_TOO_MANY_FIELDS';

/**
 * Most fields sharing their response name with another one in the same selection set, summed
 * over the document. Note: graphql-js 16 checks that such fields can merge (rule
 * OverlappingFieldsCanBeMerged) within a budget of 500,000 comparisons, n² for n of them, and
 * answers a bare "Validation aborted." past it, from 708 in one selection set; 700 stay below.
 */
export const MAX_IDENTICAL_FIELDS = 700;

/** graphql-js's error when a rule spends its validation budget; it has no code. */
const ABORTED = 'Validation aborted.';

/**
 * The document's identical fields: fields whose response name repeats in their selection set,
 * fragments flattened into the sets they are spread in.
 */
export function identicalFields(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  // Response names of a selection set, inline fragments and spreads flattened (each fragment
  // once per set, as graphql-js collects them).
  const collect = (set: SelectionSetNode, names: Map<string, number>, seen: Set<string>) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const name = s.alias?.value ?? s.name.value;
        names.set(name, (names.get(name) ?? 0) + 1);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        collect(s.selectionSet, names, seen);
      } else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) collect(fragment.selectionSet, names, seen);
      }
    }
  };
  let total = 0;
  visit(document, {
    SelectionSet(set, _key, parent) {
      // A fragment's own fields count where it is spread.
      if (parent && 'kind' in parent && parent.kind === Kind.FRAGMENT_DEFINITION) return undefined;
      const names = new Map<string, number>();
      collect(set, names, new Set());
      for (const n of names.values()) if (n > 1) total += n;
      // Note: past the limit the exact total does not matter, and the walk of a hostile
      // document stops early.
      if (total > MAX_IDENTICAL_FIELDS * 10) return false;
      return undefined;
    },
  });
  return total;
}

/** Too many identical fields, or (`fields` within the limit) too many comparisons of them. */
export class QueryTooManyFieldsError extends ClientError {
  constructor(fields: number) {
    super(
      QUERY_TOO_MANY_FIELDS,
      fields > MAX_IDENTICAL_FIELDS
        ? `Query has ${fields} identical fields (fields that share their response name in one selection set), over the limit of ${MAX_IDENTICAL_FIELDS}.`
        : `Query has too many fields to compare to validate it (${fields} identical fields, through its fragments); use fewer repeated fields or fragment spreads.`,
      { fields, limit: MAX_IDENTICAL_FIELDS },
    );
  }
}

/** Refuses a document with more than MAX_IDENTICAL_FIELDS identical fields, before any rule. */
export const IdenticalFieldsRule: ValidationRule = (context) => ({
  Document(document) {
    const fields = identicalFields(document);
    if (fields > MAX_IDENTICAL_FIELDS) context.reportError(new QueryTooManyFieldsError(fields));
  },
});

/**
 * Stands in for graphql-js's bare "Validation aborted.": dropped after the refusal of
 * IdenticalFieldsRule, else replaced with QUERY_TOO_MANY_FIELDS. Apollo codes every validation
 * error GRAPHQL_VALIDATION_FAILED; `formatError` restores the code of the original error.
 */
export function identicalFieldsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async validationDidStart({ document }) {
          return async (errors) => {
            // Note: Apollo answers with this very array, so the error is replaced in place.
            const list = (errors ?? []) as Error[];
            const at = list.findIndex(
              (e) => e.message === ABORTED && !(e as GraphQLError).extensions?.code,
            );
            if (at < 0) return;
            if (list.some((e) => e instanceof QueryTooManyFieldsError)) list.splice(at, 1);
            else list[at] = new QueryTooManyFieldsError(identicalFields(document));
          };
        },
      };
    },
  };
}
