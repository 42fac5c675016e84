import type { DataSource, EntityManager } from 'typeorm';
import type { Dialect } from '../../config';
import { refreshStatistics } from '../../db/postgres-admin';
import { writeTransaction } from '../../db/write-transaction';
import { stemText } from '../search/text';
import { BulkInserter } from './bulk-insert';
import { derivedRecords, FIELDS, DerivedRecord } from './records';
import type { SyntheticDirectory } from './synthetic.types';

/** The directory already holds units and `replace` was not asked for. */
export class DirectoryNotEmptyError extends Error {
  constructor(readonly units: number) {
    super(
      `The database already holds ${units} unit(s): give --replace to delete everything first.`,
    );
  }
}

/** Progress of a write: rows written so far out of the total. */
export type WriteProgress = (done: number, total: number, table: string) => void;

/** Directory tables, children before parents, as `--replace` empties them. */
const TABLES = [
  'change_log',
  'citation',
  'external_identifier',
  'search_document',
  'relation',
  'responsibility',
  'mission',
  'appointment',
  'person',
  'post',
  'org_unit',
  'source',
];

/**
 * Writes a synthetic directory through multi-row INSERTs in one transaction, with exactly what
 * the services would write for each record created: version 1, its search document (stemmed
 * on SQLite, a `tsvector` computed by PostgreSQL), its citation of the synthetic source and a
 * CREATED change-log entry with its scope. Refuses a directory that holds units unless
 * `replace`, which deletes every record, search document and change-log entry first (API keys
 * stay). Returns the number of records written.
 */
export async function writeDirectory(
  db: DataSource,
  dir: SyntheticDirectory,
  options: { replace: boolean; actor: string; progress?: WriteProgress },
): Promise<number> {
  const dialect: Dialect = db.options.type === 'postgres' ? 'postgres' : 'sqlite';
  const searched =
    dir.units.length +
    dir.posts.length +
    dir.people.length +
    dir.missions.length +
    dir.responsibilities.length;
  const records = 1 + searched + dir.appointments.length;
  const total = records * 3 - 1 + searched;
  let done = 0;
  let table = '';
  // Note: the write lock keeps every writer out until the whole directory is committed.
  await writeTransaction(
    db,
    async (em) => {
      const [{ n }] = await em.query('SELECT COUNT(*) AS n FROM org_unit');
      if (Number(n) > 0) {
        if (!options.replace) throw new DirectoryNotEmptyError(Number(n));
        await emptyDirectory(em, dialect);
      }
      const bulk = new BulkInserter(em, dialect, (rows) => {
        done += rows;
        options.progress?.(done, total, table);
      });
      const insert = async (name: string, type: keyof typeof FIELDS, rows: object[]) => {
        table = name;
        const fields = FIELDS[type];
        const values = map(rows, (r) => {
          const row = r as Record<string, unknown>;
          return [row.uuid, 1, ...fields.map((f) => row[f] ?? null)];
        });
        await bulk.insert(name, ['id', 'version', ...fields], values);
      };
      await insert('source', 'Source', [dir.source]);
      await insert('org_unit', 'OrgUnit', dir.units);
      await insert('post', 'Post', dir.posts);
      await insert('person', 'Person', dir.people);
      await insert('appointment', 'Appointment', dir.appointments);
      await insert('mission', 'Mission', dir.missions);
      await insert('responsibility', 'Responsibility', dir.responsibilities);
      table = 'search_document';
      // Note: the derived records are produced again for each table rather than kept, so that
      // a directory ten times national fits in memory.
      await insertSearchDocuments(bulk, dialect, derivedRecords(dir));
      table = 'citation';
      await bulk.insert(
        'citation',
        ['entityId', 'sourceId', 'entityType'],
        map(derivedRecords(dir), (d) =>
          d.type === 'Source' ? null : [d.uuid, dir.source.uuid, d.type],
        ),
      );
      table = 'change_log';
      await bulk.insert(
        'change_log',
        ['entityType', 'entityId', 'operation', 'version', 'changes', 'actor', 'scope'],
        map(derivedRecords(dir), ({ entry: e }) => [
          e.entityType,
          e.entityId,
          'CREATED',
          1,
          e.changes,
          options.actor,
          e.scope,
        ]),
      );
    },
    { timeoutMs: null },
  );
  await refreshStatistics(db);
  return records;
}

/** The non-null results of `f` over `items`, lazily. */
function* map<T>(items: Iterable<T>, f: (item: T) => unknown[] | null): Generator<unknown[]> {
  for (const item of items) {
    const row = f(item);
    if (row) yield row;
  }
}

async function insertSearchDocuments(
  bulk: BulkInserter,
  dialect: Dialect,
  records: Iterable<DerivedRecord>,
): Promise<void> {
  const columns = ['entityId', 'entityType', 'title', 'body'];
  if (dialect === 'sqlite') {
    const rows = map(records, ({ search: s }) =>
      s ? [s.entityId, s.entityType, stemText(s.title), stemText(s.body)] : null,
    );
    return bulk.insert('search_document', columns, rows);
  }
  // Note: the same expression as SearchStore.put, so PostgreSQL computes the same tsvector.
  const rows = map(records, ({ search: s }) =>
    s ? [s.entityId, s.entityType, s.title, s.body] : null,
  );
  await bulk.insert(
    'search_document',
    columns,
    rows,
    ([id, type, title, body]) =>
      `(${id}, ${type}, ${title}, ${body}, setweight(to_tsvector('french', unaccent(${title})), 'A') || setweight(to_tsvector('french', unaccent(${body})), 'B'))`,
    ['document'],
  );
}

async function emptyDirectory(em: EntityManager, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await em.query(`TRUNCATE ${TABLES.map((t) => `"${t}"`).join(', ')}`);
    return;
  }
  // Note: the self-references are RESTRICT, which SQLite checks row by row: cut them first.
  await em.query('UPDATE post SET "reportsToId" = NULL WHERE "reportsToId" IS NOT NULL');
  await em.query('UPDATE org_unit SET "parentId" = NULL WHERE "parentId" IS NOT NULL');
  for (const t of TABLES) await em.query(`DELETE FROM "${t}"`);
}
