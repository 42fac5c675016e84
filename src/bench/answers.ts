import { toGlobalId } from '../modules/node/global-id';
import type { RawDb } from './raw-db';

/**
 * B1, the data-path baseline: each benchmark query answered with raw prepared statements and
 * plain objects built in the order of the query's selection, so that `JSON.stringify` gives the
 * gateway's `data` byte for byte. The harness checks that it does before measuring anything.
 */
export type Row = Record<string, unknown>;

export const unitId = (uuid: unknown) => toGlobalId('OrgUnit', uuid as string);
export const displayName = (p: Row) => [p.givenName, p.familyName].filter(Boolean).join(' ');
const byKey = <T extends Row>(rows: T[], key: string) => new Map(rows.map((r) => [r[key], r]));

/** The head post of each unit (first by position, title, id), as the `head` field picks it. */
async function headsOf(db: RawDb, unitIds: string[]): Promise<Map<unknown, Row>> {
  const rows = await db.all(
    `SELECT id, title, "unitId" FROM post WHERE ${db.inList('"unitId"')} AND "isHead" = ${db.yes} AND "archivedAt" IS NULL ORDER BY position, title, id`,
    [db.listParam(unitIds)],
  );
  const heads = new Map<unknown, Row>();
  for (const r of rows) if (!heads.has(r.unitId)) heads.set(r.unitId, r);
  return heads;
}

/** Each post's appointment covering `today` and its person, for `holder` and `holderStatus`. */
async function holdersOf(db: RawDb, postIds: string[], today: string) {
  const rows = await db.all(
    `SELECT a."postId", a."personId", p."givenName", p."familyName", p.grade FROM appointment a LEFT JOIN person p ON p.id = a."personId"
     WHERE ${db.inList('a."postId"')} AND (a."startDate" IS NULL OR a."startDate" <= ?) AND (a."endDate" IS NULL OR a."endDate" >= ?)
     ORDER BY a."startDate" DESC, a.id`,
    [db.listParam(postIds), today, today],
  );
  const found = new Map<unknown, Row>();
  for (const r of rows) if (!found.has(r.postId)) found.set(r.postId, r);
  return found;
}

/** `head { id title holderStatus holder { id displayName grade } }` of a unit. */
function headWithHolder(head: Row | undefined, holders: Map<unknown, Row>) {
  if (!head) return null;
  const a = holders.get(head.id);
  return {
    id: toGlobalId('Post', head.id as string),
    title: head.title,
    holderStatus: !a ? 'VACANT' : a.personId ? 'HELD' : 'HELD_BY_UNKNOWN',
    holder: a?.personId
      ? {
          id: toGlobalId('Person', a.personId as string),
          displayName: displayName(a),
          grade: a.grade,
        }
      : null,
  };
}

/** Q1: a unit card by slug. */
export async function unitCard(db: RawDb, vars: { slug: string }, today: string) {
  const [u] = await db.all(
    'SELECT id, slug, name, acronym, kind, "parentId" FROM org_unit WHERE slug = ?',
    [vars.slug],
  );
  if (!u) return { unit: null };
  const id = u.id as string;
  const [parent] = u.parentId
    ? await db.all('SELECT id, name FROM org_unit WHERE id = ?', [u.parentId])
    : [];
  const heads = await headsOf(db, [id]);
  const head = heads.get(id);
  const holders = head ? await holdersOf(db, [head.id as string], today) : new Map();
  const missions = await db.all(
    'SELECT id, title FROM mission WHERE "ownerUnitId" = ? ORDER BY position, title, id',
    [id],
  );
  const responsibilities = missions.length
    ? await db.all(
        `SELECT id, title, reference, "missionId" FROM responsibility WHERE ${db.inList('"missionId"')} ORDER BY position, title, id`,
        [db.listParam(missions.map((m) => m.id as string))],
      )
    : [];
  return {
    unit: {
      id: unitId(id),
      slug: u.slug,
      name: u.name,
      acronym: u.acronym,
      kind: u.kind,
      parent: parent ? { id: unitId(parent.id), name: parent.name } : null,
      head: headWithHolder(head, holders),
      missions: missions.map((m) => ({
        id: toGlobalId('Mission', m.id as string),
        title: m.title,
        responsibilities: responsibilities
          .filter((r) => r.missionId === m.id)
          .map((r) => ({
            id: toGlobalId('Responsibility', r.id as string),
            title: r.title,
            reference: r.reference,
          })),
      })),
    },
  };
}

const french = new Intl.Collator('fr');

/** Sibling order of the org chart: position, then name (French collation), then uuid. */
function compareSiblings(a: Row, b: Row): number {
  return (
    (a.position as number) - (b.position as number) ||
    french.compare(a.name as string, b.name as string) ||
    (a.id as string).localeCompare(b.id as string)
  );
}

/** Q2 and Q6: the org chart of a unit (by slug) down to `maxDepth`. */
export async function orgChart(db: RawDb, vars: { root: string; maxDepth: number }, today: string) {
  const [root] = await db.all('SELECT id, name FROM org_unit WHERE slug = ?', [vars.root]);
  if (!root) throw new Error(`no unit ${vars.root}`);
  const units = await db.all(
    `WITH RECURSIVE tree(id, slug, name, acronym, kind, "parentId", position, depth) AS (
       SELECT id, slug, name, acronym, kind, "parentId", position, 0 FROM org_unit WHERE id = ?
       UNION ALL
       SELECT c.id, c.slug, c.name, c.acronym, c.kind, c."parentId", c.position, tree.depth + 1
       FROM org_unit c JOIN tree ON c."parentId" = tree.id
       WHERE tree.depth < ? AND c."archivedAt" IS NULL
     )
     SELECT * FROM tree`,
    [root.id, vars.maxDepth],
  );
  const ids = units.map((u) => u.id as string);
  const [counts, heads] = await Promise.all([
    db.all<{ parentId: string; n: number | string }>(
      `SELECT "parentId", COUNT(*) AS n FROM org_unit WHERE ${db.inList('"parentId"')} AND "archivedAt" IS NULL GROUP BY "parentId"`,
      [db.listParam(ids)],
    ),
    headsOf(db, ids),
  ]);
  const holders = await holdersOf(
    db,
    [...heads.values()].map((h) => h.id as string),
    today,
  );
  const childCount = new Map(counts.map((c) => [c.parentId, Number(c.n)]));
  const children = new Map<unknown, Row[]>();
  for (const u of units) {
    const key = u.id === root.id ? null : u.parentId;
    children.set(key, [...(children.get(key) ?? []), u]);
  }
  const ordered: Row[] = [];
  const visit = (key: unknown) => {
    for (const u of (children.get(key) ?? []).sort(compareSiblings)) {
      ordered.push(u);
      visit(u.id);
    }
  };
  visit(null);
  return {
    orgChart: {
      root: { id: unitId(root.id), name: root.name },
      maxDepth: vars.maxDepth,
      entries: ordered.map((u) => ({
        depth: Number(u.depth),
        parentId: u.parentId ? unitId(u.parentId) : null,
        hasChildren: (childCount.get(u.id as string) ?? 0) > 0,
        unit: {
          id: unitId(u.id),
          slug: u.slug,
          name: u.name,
          acronym: u.acronym,
          kind: u.kind,
          head: headWithHolder(heads.get(u.id), holders),
        },
      })),
    },
  };
}

const offsetCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');

/** Q3: a page of units with parent and head. */
export async function unitsPage(db: RawDb, vars: { after: string | null; first: number }) {
  const start = vars.after
    ? Number(/^o:(\d+)$/.exec(Buffer.from(vars.after, 'base64url').toString())![1]) + 1
    : 0;
  const [{ n }] = await db.all('SELECT COUNT(*) AS n FROM org_unit WHERE "archivedAt" IS NULL');
  const total = Number(n);
  const page = await db.all(
    'SELECT id, slug, name, kind, "parentId" FROM org_unit WHERE "archivedAt" IS NULL ORDER BY position, name, id LIMIT ? OFFSET ?',
    [vars.first, start],
  );
  const parentIds = [...new Set(page.map((u) => u.parentId).filter(Boolean))] as string[];
  const [parents, heads] = await Promise.all([
    db.all(`SELECT id, name FROM org_unit WHERE ${db.inList('id')}`, [db.listParam(parentIds)]),
    headsOf(
      db,
      page.map((u) => u.id as string),
    ),
  ]);
  const parentOf = byKey(parents, 'id');
  const edges = page.map((u, i) => {
    const parent = u.parentId ? parentOf.get(u.parentId) : undefined;
    const head = heads.get(u.id);
    return {
      cursor: offsetCursor(start + i),
      node: {
        id: unitId(u.id),
        slug: u.slug,
        name: u.name,
        kind: u.kind,
        parent: parent ? { id: unitId(parent.id), name: parent.name } : null,
        head: head ? { id: toGlobalId('Post', head.id as string), title: head.title } : null,
      },
    };
  });
  return {
    units: {
      totalCount: total,
      pageInfo: {
        hasNextPage: start + page.length < total,
        endCursor: edges.length ? edges[edges.length - 1].cursor : null,
      },
      edges,
    },
  };
}
