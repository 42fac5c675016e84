import { QUERIES } from './queries';
import type { RawDb } from './raw-db';

/** Two-word, accent-free searches; those that find nothing in the dataset are left out. */
const SEARCHES = [
  'securite routiere',
  'bureau elections',
  'direction territoires',
  'titres sejour',
  'police eau',
  'protection animale',
  'finances locales',
  'controle legalite',
  'cabinet prefet',
  'directeur cabinet',
  'communication interministerielle',
  'plan orsec',
  'relations publiques',
  'defense protection',
];

/** `count` items spread evenly over a list, first and last included. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from(
    { length: count },
    (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))],
  );
}

const cursor = (prefix: string, n: number) => Buffer.from(`${prefix}:${n}`).toString('base64url');

/**
 * The variables each query rotates through, chosen from the dataset so that a cache cannot
 * serve every request: units and prefectures spread over the directory, pages spread over the
 * unit list and the change feed, searches that find something. Q6 repeats Q2's first.
 */
export async function chooseVariants(
  db: RawDb,
): Promise<Record<string, Array<Record<string, unknown>>>> {
  const slugs = await db.all<{ slug: string }>(
    'SELECT slug FROM org_unit WHERE "archivedAt" IS NULL ORDER BY slug',
  );
  const roots = await db.all<{ slug: string }>(
    `SELECT slug FROM org_unit WHERE "archivedAt" IS NULL AND kind = 'PREFECTURE' ORDER BY position, slug`,
  );
  const [{ n: units }] = await db.all(
    'SELECT COUNT(*) AS n FROM org_unit WHERE "archivedAt" IS NULL',
  );
  const [{ n: head }] = await db.all('SELECT MAX(sequence) AS n FROM change_log');
  const pageStarts = spread(
    Array.from({ length: Math.max(1, Number(units) - 49) }, (_, i) => i),
    20,
  );
  const feedStarts = spread(
    Array.from({ length: Math.max(1, Number(head) - 1) }, (_, i) => i),
    10,
  );
  const searches: Array<Record<string, unknown>> = [];
  const search = QUERIES.find((q) => q.id === 'Q4')!;
  for (const query of SEARCHES) {
    const data = (await search.answer(db, { query, first: 20 }, '')) as {
      search: { totalCount: number };
    };
    if (data.search.totalCount > 0) searches.push({ query, first: 20 });
  }
  const charts = spread(roots, 20).map((r) => ({ root: r.slug, maxDepth: 3 }));
  return {
    Q0: [{}],
    Q1: spread(slugs, 50).map((s) => ({ slug: s.slug })),
    Q2: charts,
    Q3: pageStarts.map((start) => ({ first: 50, after: start ? cursor('o', start - 1) : null })),
    Q4: searches,
    Q5: feedStarts.map((start) => ({ after: start ? cursor('s', start) : null, first: 500 })),
    Q6: charts.slice(0, 1),
  };
}

/** The slugs of the units of one kind, in the directory's order. */
export async function unitSlugsOfKind(db: RawDb, kind: string): Promise<string[]> {
  const rows = await db.all<{ slug: string }>(
    `SELECT slug FROM org_unit WHERE "archivedAt" IS NULL AND kind = ? ORDER BY position, slug`,
    [kind],
  );
  return rows.map((r) => r.slug);
}
