import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';

/** What an operation asks below one field: each selection of it (aliases give several). */
export type Selection = ResolveTree[];

/** The selections of `field` below each of `trees`, whatever the type, alias or fragment. */
export function below(trees: Selection, field: string): Selection {
  const out: ResolveTree[] = [];
  for (const tree of trees)
    for (const fields of Object.values(tree.fieldsByTypeName))
      for (const child of Object.values(fields)) if (child.name === field) out.push(child);
  return out;
}

/**
 * The selections at the end of `path` below the resolver's own field (e.g. `entries`, `unit`,
 * `head` below `orgChart`), through aliases, fragments and `@skip`/`@include`, as
 * graphql-parse-resolve-info reads them; empty when the operation does not ask for it.
 */
export function selectedAt(info: GraphQLResolveInfo, path: readonly string[]): Selection {
  const root = parseResolveInfo(info) as ResolveTree | null;
  let trees: Selection = root ? [root] : [];
  for (const field of path) trees = below(trees, field);
  return trees;
}
