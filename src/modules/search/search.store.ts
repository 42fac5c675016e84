import type { DataSource, EntityManager } from 'typeorm';
import type { Dialect } from '../../config';
import { queryStems, queryWords, stemText } from './text';
import type { SearchDocument, SearchIndex } from '../node/write-effects';

/**
 * PostgreSQL `to_tsquery` text: every accent-free word, the last as a prefix. Words are plain
 * alphanumerics, so no query syntax from the user reaches the parser. Null when there is none.
 */
export function tsQueryOf(text: string): string | null {
  const terms = queryWords(text);
  return terms.length
    ? terms.map((t, i) => (i === terms.length - 1 ? `${t}:*` : t)).join(' & ')
    : null;
}

/** FTS5 MATCH text over stems, with the same rules as `tsQueryOf`. */
export function ftsMatchOf(text: string): string | null {
  const stems = queryStems(text);
  return stems.length
    ? stems.map((s, i) => (i === stems.length - 1 ? `"${s}"*` : `"${s}"`)).join(' AND ')
    : null;
}

/**
 * The SQLite statement of one page of ranked hits, with their total: `?` is the MATCH text, then
 * `typeCount` entity types when the search is restricted to some. Ranked by BM25 (title ten
 * times the body), ties by indexed title and id.
 *
 * Note: BM25 is computed once per match into a materialized table; only the matches ranked up to
 * the page's last one, ties included, are then joined to their documents and sorted by title.
 * Joining and sorting every match (400 to 1,000 for two common words) took a third of the time.
 */
export function ftsSearchStatement(typeCount: number | null, offset: number, limit: number) {
  const restricted = typeCount !== null;
  const types = restricted ? Array.from({ length: typeCount }, () => '?').join(', ') : '';
  return `WITH f AS MATERIALIZED (
      SELECT search_fts.rowid AS id, bm25(search_fts, 10.0, 1.0) AS score FROM search_fts
      ${restricted ? 'JOIN search_document t ON t.id = search_fts.rowid' : ''}
      WHERE search_fts MATCH ? ${restricted ? `AND t."entityType" IN (${types})` : ''})
    SELECT d."entityType", d."entityId", (SELECT COUNT(*) FROM f) AS total
    FROM f JOIN search_document d ON d.id = f.id
    WHERE f.score <= COALESCE((SELECT score FROM f ORDER BY score LIMIT 1 OFFSET ${Math.max(0, offset + limit - 1)}), 1e999)
    ORDER BY f.score, d.title, d."entityId"
    LIMIT ${limit} OFFSET ${offset}`;
}

/** One ranked hit. */
export interface SearchHit {
  entityType: string;
  entityId: string;
}

/**
 * The full-text index, in one table per dialect: FTS5 over accent-free French stems on SQLite,
 * a weighted `tsvector` with `unaccent` and the `french` configuration on PostgreSQL.
 * Services write it in the same transaction as the record.
 */
export class SearchStore implements SearchIndex {
  constructor(private readonly dialect: Dialect) {}

  /** Inserts or replaces the document of one record. */
  async put(em: EntityManager, doc: SearchDocument): Promise<void> {
    if (this.dialect === 'postgres') {
      await em.query(
        `INSERT INTO search_document ("entityId", "entityType", title, body, document)
         VALUES ($1, $2, $3, $4, setweight(to_tsvector('french', unaccent($3)), 'A') || setweight(to_tsvector('french', unaccent($4)), 'B'))
         ON CONFLICT ("entityId") DO UPDATE SET "entityType" = excluded."entityType", title = excluded.title, body = excluded.body, document = excluded.document`,
        [doc.entityId, doc.entityType, doc.title, doc.body],
      );
    } else {
      await em.query(
        `INSERT INTO search_document ("entityId", "entityType", title, body) VALUES (?, ?, ?, ?)
         ON CONFLICT ("entityId") DO UPDATE SET "entityType" = excluded."entityType", title = excluded.title, body = excluded.body`,
        [doc.entityId, doc.entityType, stemText(doc.title), stemText(doc.body)],
      );
    }
  }

  /** Removes the document of one record. */
  async remove(em: EntityManager, entityId: string): Promise<void> {
    const p = this.dialect === 'postgres' ? '$1' : '?';
    await em.query(`DELETE FROM search_document WHERE "entityId" = ${p}`, [entityId]);
  }

  /**
   * Ranked search: every word must match, the last one as a prefix (search as you type).
   * Returns one page and the total number of hits; an empty word list matches nothing.
   */
  async search(
    db: DataSource | EntityManager,
    query: string,
    types: string[] | null,
    offset: number,
    limit: number,
  ): Promise<{ hits: SearchHit[]; total: number }> {
    if (this.dialect === 'postgres') {
      const tsquery = tsQueryOf(query);
      if (!tsquery) return { hits: [], total: 0 };
      const typeFilter = types ? `AND "entityType" = ANY($2)` : '';
      const rows: Array<SearchHit & { total: string }> = await db.query(
        `SELECT "entityType", "entityId", COUNT(*) OVER () AS total
         FROM search_document, to_tsquery('french', $1) q
         WHERE document @@ q ${typeFilter}
         ORDER BY ts_rank(document, q) DESC, title, "entityId"
         OFFSET ${offset} LIMIT ${limit}`,
        types ? [tsquery, types] : [tsquery],
      );
      return {
        hits: rows,
        total: await this.total(rows, offset, limit, () => this.search(db, query, types, 0, 1)),
      };
    }
    const match = ftsMatchOf(query);
    if (!match) return { hits: [], total: 0 };
    const rows: Array<SearchHit & { total: number }> = await db.query(
      ftsSearchStatement(types?.length ?? null, offset, limit),
      [match, ...(types ?? [])],
    );
    return {
      hits: rows,
      total: await this.total(rows, offset, limit, () => this.search(db, query, types, 0, 1)),
    };
  }

  /**
   * A condition on `column` (a uuid column of a query builder) that keeps the records of
   * `entityType` matching `text` with the same rules as `search`. Named parameters are prefixed
   * with `prefix` so that several can share one query.
   */
  matchCondition(
    column: string,
    entityType: string,
    text: string,
    prefix: string,
  ): { sql: string; params: Record<string, unknown> } {
    const type = `${prefix}Type`;
    const q = `${prefix}Query`;
    if (this.dialect === 'postgres') {
      const tsquery = tsQueryOf(text);
      if (!tsquery) return { sql: '1 = 0', params: {} };
      return {
        sql: `${column} IN (SELECT "entityId" FROM search_document WHERE "entityType" = :${type} AND document @@ to_tsquery('french', :${q}))`,
        params: { [type]: entityType, [q]: tsquery },
      };
    }
    const match = ftsMatchOf(text);
    if (!match) return { sql: '1 = 0', params: {} };
    return {
      sql: `${column} IN (SELECT d."entityId" FROM search_fts f JOIN search_document d ON d.id = f.rowid WHERE d."entityType" = :${type} AND search_fts MATCH :${q})`,
      params: { [type]: entityType, [q]: match },
    };
  }

  /** The window count of the page, or, for a page past the end, of the first page. */
  private async total(
    rows: Array<{ total: string | number }>,
    offset: number,
    limit: number,
    firstPage: () => Promise<{ total: number }>,
  ): Promise<number> {
    if (rows.length > 0) return Number(rows[0].total);
    // Note: an empty page past the start (or of size 0) says nothing of the total: ask for it.
    return offset === 0 && limit > 0 ? 0 : (await firstPage()).total;
  }
}
