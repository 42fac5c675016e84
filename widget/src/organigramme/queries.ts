/** The unit fields a box shows. */
export interface BoxUnit {
  id: string;
  slug: string;
  name: string;
  acronym: string | null;
  kind: string;
  head: {
    title: string;
    holderStatus: 'HELD' | 'VACANT' | 'HELD_BY_UNKNOWN';
    holder: { displayName: string } | null;
  } | null;
}

/** One entry of `orgChart.nodes`. */
export interface ChartNodeData {
  id: string;
  parentId: string | null;
  depth: number;
  hasChildren: boolean;
  unit: BoxUnit;
}

const BOX = `fragment Box on OrgUnit {
  id slug name acronym kind
  head { title holderStatus holder { displayName } }
}`;

/** A chart from a root unit, down to a depth; also the expansion of one unit (depth 1). */
export const CHART = `query OrganigrammeChart($root: String!, $depth: Int!) {
  orgChart(root: $root, maxDepth: $depth) { nodes { id parentId depth hasChildren unit { ...Box } } }
}
${BOX}`;

export interface ChartData {
  orgChart: { nodes: ChartNodeData[] };
}

/** Every top unit, with their subtrees down to a depth (1 or more). */
export const FOREST = `query OrganigrammeTopUnits($depth: Int!) {
  topUnits { ...Box hasChildren descendants(maxDepth: $depth) { ...Box hasChildren parent { id } } }
}
${BOX}`;

/** Every top unit alone (depth 0). */
export const TOPS = `query OrganigrammeTopUnitsAlone {
  topUnits { ...Box hasChildren }
}
${BOX}`;

type ForestUnit = BoxUnit & { hasChildren: boolean };

export interface ForestData {
  topUnits: Array<ForestUnit & { descendants?: Array<ForestUnit & { parent: { id: string } }> }>;
}

/** Units matching typed words, with their ancestors to reveal them. */
export const SEARCH = `query OrganigrammeSearch($q: String!) {
  search(query: $q, types: [ORG_UNIT], first: 10) {
    nodes { ... on OrgUnit { id slug name acronym kind ancestors { id name } } }
  }
}`;

export interface SearchHit {
  id: string;
  slug: string;
  name: string;
  acronym: string | null;
  kind: string;
  ancestors: Array<{ id: string; name: string }>;
}

export interface SearchData {
  search: { nodes: SearchHit[] };
}

/** What the card of a unit shows. */
export const CARD = `query OrganigrammeCard($id: ID!) {
  unit(id: $id) {
    id slug name acronym kind description
    parent { id name }
    head { title holderStatus holder { displayName grade } missions { ...CardMission } }
    missions { ...CardMission }
    responsibilities { id title reference mission { id } }
    relations {
      type direction
      other { __typename ... on OrgUnit { id name ancestors { id } } ... on Post { id title unit { name } } }
    }
    sources { id title publisher sourceDate url }
  }
}
fragment CardMission on Mission {
  id title description carriedOutBy { id name }
  responsibilities { id title reference }
}`;

export interface Responsibility {
  id: string;
  title: string;
  reference: string | null;
}

export interface CardMission {
  id: string;
  title: string;
  description: string | null;
  carriedOutBy: { id: string; name: string } | null;
  responsibilities: Responsibility[];
}

export interface CardUnit {
  id: string;
  slug: string;
  name: string;
  acronym: string | null;
  kind: string;
  description: string | null;
  parent: { id: string; name: string } | null;
  head: {
    title: string;
    holderStatus: 'HELD' | 'VACANT' | 'HELD_BY_UNKNOWN';
    holder: { displayName: string; grade: string | null } | null;
    missions: CardMission[];
  } | null;
  missions: CardMission[];
  responsibilities: Array<Responsibility & { mission: { id: string } | null }>;
  relations: Array<{
    type: string;
    direction: 'OUTGOING' | 'INCOMING';
    other:
      | { __typename: 'OrgUnit'; id: string; name: string; ancestors: Array<{ id: string }> }
      | { __typename: 'Post'; id: string; title: string; unit: { name: string } };
  }>;
  sources: Array<{
    id: string;
    title: string;
    publisher: string;
    sourceDate: string | null;
    url: string | null;
  }>;
}

export interface CardData {
  unit: CardUnit | null;
}
