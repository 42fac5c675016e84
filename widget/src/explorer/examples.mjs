/**
 * The example operations of `schema/operations` as the explorers' tabs, in a chart developer's
 * order, each with the variables that run it on the seed. Read at build time by
 * `widget/build-explorer.mjs`: GraphiQL opens them as tabs, and the Sandbox opens the first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The tabs' order; files not named here follow, by file name. */
const ORDER = [
  'OrgChart',
  'TopUnits',
  'UnitCard',
  'PostCard',
  'Search',
  'Units',
  'NodeRefetch',
  'UnitByExternalId',
  'ChangesPage',
];

/** Variables that run each operation on the seed (its slugs; the préfecture's global id). */
const VARIABLES = {
  OrgChart: { root: 'prefecture-seine-et-marne', maxDepth: 2 },
  UnitCard: { slug: 'cabinet-du-prefet-seine-et-marne' },
  PostCard: { slug: 'directeur-cabinet-prefet-seine-et-marne' },
  Search: { query: 'securite routiere', first: 5 },
  Units: { first: 10 },
  NodeRefetch: { id: 'T3JnVW5pdDpkYjA4NWIyNS0zOWIxLTVkZWUtYjUzZC04MmY4YzMyZDM3MzQ' },
  UnitByExternalId: { scheme: 'siren', value: '<siren>' },
  ChangesPage: { first: 10 },
};

/** The name of a document's first operation, or null. */
function operationName(query) {
  return /^\s*(?:query|mutation)\s+(\w+)/m.exec(query)?.[1] ?? null;
}

function rank(name) {
  const index = ORDER.indexOf(name);
  return index < 0 ? ORDER.length : index;
}

/**
 * Every `.graphql` file of `dir` as `{ name, query, variables? }`, `variables` being JSON text
 * as GraphiQL's variables editor holds it.
 */
export function exampleTabs(dir) {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => {
      const query = readFileSync(path.join(dir, file), 'utf8');
      return { file, name: operationName(query), query };
    })
    .sort((a, b) => rank(a.name) - rank(b.name) || a.file.localeCompare(b.file))
    .map(({ name, query }) => {
      const variables = VARIABLES[name];
      return variables
        ? { name, query, variables: JSON.stringify(variables, null, 2) }
        : { name, query };
    });
}
