import type { RawDb } from './raw-db';
import * as answers from './answers';
import * as feed from './answers-search';

/** One benchmark query: its GraphQL text, how B1 answers it, and how many items it returns. */
export interface BenchQuery {
  id: string;
  label: string;
  text: string;
  /** The data-path answer (B1), given the variables and the day the gateway calls today. */
  answer(db: RawDb, variables: Record<string, unknown>, today: string): Promise<unknown>;
  /** The number of items of an answer: the count that every response is checked for. */
  count(data: unknown): number;
}

/** `data` of an answer, loosely typed for counting. */
type Data = Record<string, Record<string, unknown[] & Record<string, unknown>> | null>;

const ORG_CHART = `query BenchOrgChart($root: String!, $maxDepth: Int!) {
  orgChart(root: $root, maxDepth: $maxDepth) {
    root { id name }
    maxDepth
    entries {
      depth parentId hasChildren
      unit { id slug name acronym kind head { id title holderStatus holder { id displayName grade } } }
    }
  }
}`;

const orgChartQuery = (id: string, label: string): BenchQuery => ({
  id,
  label,
  text: ORG_CHART,
  answer: (db, v, today) => answers.orgChart(db, v as { root: string; maxDepth: number }, today),
  count: (d) => ((d as Data).orgChart!.entries as unknown[]).length,
});

/** Q0 to Q6, as the issue names them. */
export const QUERIES: BenchQuery[] = [
  {
    id: 'Q0',
    label: '{ __typename }',
    text: '{ __typename }',
    answer: async () => ({ __typename: 'Query' }),
    count: () => 1,
  },
  {
    id: 'Q1',
    label: 'unit card by slug',
    text: `query BenchUnitCard($slug: String!) {
  unit(slug: $slug) {
    id slug name acronym kind
    parent { id name }
    head { id title holderStatus holder { id displayName grade } }
    missions { id title responsibilities { id title reference } }
  }
}`,
    answer: (db, v, today) => answers.unitCard(db, v as { slug: string }, today),
    count: (d) => 1 + ((d as Data).unit!.missions as unknown[]).length,
  },
  orgChartQuery('Q2', 'orgChart, depth 3'),
  {
    id: 'Q3',
    label: 'units page of 50',
    text: `query BenchUnits($first: Int!, $after: String) {
  units(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id slug name kind parent { id name } head { id title } } }
  }
}`,
    answer: (db, v) => answers.unitsPage(db, v as { after: string | null; first: number }),
    count: (d) => ((d as Data).units!.edges as unknown[]).length,
  },
  {
    id: 'Q4',
    label: 'search, two words',
    text: `query BenchSearch($query: String!, $first: Int!) {
  search(query: $query, first: $first) {
    totalCount
    nodes {
      __typename
      ... on OrgUnit { id name }
      ... on Post { id title }
      ... on Person { id displayName }
      ... on Mission { id title }
      ... on Responsibility { id title }
    }
  }
}`,
    answer: (db, v) => feed.search(db, v as { query: string; first: number }),
    count: (d) => ((d as Data).search!.nodes as unknown[]).length,
  },
  {
    id: 'Q5',
    label: 'changes page of 500',
    text: `query BenchChanges($after: String, $first: Int!) {
  changes(after: $after, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node { sequence operation entityType entityId version changedFields { field after } node { id } }
    }
  }
}`,
    answer: (db, v) => feed.changes(db, v as { after: string | null; first: number }),
    count: (d) => ((d as Data).changes!.edges as unknown[]).length,
  },
  orgChartQuery('Q6', 'orgChart repeated (cached path)'),
];
