import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { SearchStore } from '../search/search.store';
import { searchDocumentOf } from '../search/search-docs';
import { Citation } from '../source/citation.entity';
import { ExternalIdentifier } from '../source/external-identifier.entity';
import type { CanonicalRecord } from './canonical';
import { recordTypes } from '../node/record-types';
import { ChangeLogMeta } from '../changelog/change-log-meta.entity';
import { LOG_REPLACEMENTS } from '../../http/change-watch';
import { columnValues, MirrorError, recordTypeOf, uuidOfGlobalId } from './exchange-values';
import { recordName, requireKeepable } from './mirror-text';
import { SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSION, SnapshotHeader } from './snapshot';

/** Rows inserted per statement. */
const BATCH = 100;

/**
 * Tables emptied before a snapshot is loaded, besides the records: what described or pointed
 * to the records they replace (the local change log and external identifiers included).
 */
const DEPENDENT_TABLES = ['search_document', 'citation', 'external_identifier', 'change_log'];

/**
 * Replaces every record of the local database with the lines of a snapshot, in the caller's
 * transaction: same uuids, versions, timestamps and citations; then rebuilds the search
 * documents. Fails, writing nothing once the caller rolls back, on an unknown format, when
 * the counts of the header do not match the lines (a cut stream), or on a record holding text
 * this database cannot store (named in the error).
 */
export async function loadSnapshot(
  em: EntityManager,
  search: SearchStore,
  lines: AsyncIterable<string>,
): Promise<{ header: SnapshotHeader; records: number }> {
  let header: SnapshotHeader | null = null;
  const counts: Record<string, number> = {};
  const batch = new Batch(em);
  for await (const text of lines) {
    if (!header) {
      header = headerOf(text);
      await clearRecords(em);
      continue;
    }
    const line = JSON.parse(text) as CanonicalRecord;
    const spec = recordTypeOf(line.type);
    const uuid = uuidOfGlobalId(line.id, line.type);
    requireKeepable(em, recordName(line.type, line.id, line.fields.slug), {
      ...line.fields,
      externalIds: line.externalIds,
    });
    const values = columnValues(
      em.connection.getMetadata(spec.entity),
      Object.entries(line.fields),
    );
    await batch.add(spec.entity, {
      ...values,
      uuid,
      version: line.version,
      createdAt: new Date(line.createdAt!),
      updatedAt: new Date(line.updatedAt!),
    });
    for (const { scheme, value } of line.externalIds ?? [])
      batch.identify({ scheme, value, entityType: line.type, entityId: uuid });
    for (const source of line.sources)
      batch.cite({
        entityId: uuid,
        sourceId: uuidOfGlobalId(source, 'Source'),
        entityType: line.type,
      });
    counts[line.type] = (counts[line.type] ?? 0) + 1;
  }
  if (!header) throw new MirrorError('The snapshot is empty: it has no header line.');
  await batch.flush();
  for (const { name: type } of recordTypes()) {
    if ((counts[type] ?? 0) !== (header.counts[type] ?? 0))
      throw new MirrorError(
        `The snapshot announced ${header.counts[type] ?? 0} ${type} records but held ${counts[type] ?? 0}: it was cut short.`,
      );
  }
  await rebuildSearch(em, search);
  return { header, records: Object.values(counts).reduce((a, b) => a + b, 0) };
}

function headerOf(text: string): SnapshotHeader {
  const header = JSON.parse(text) as Partial<SnapshotHeader>;
  if (header.format !== SNAPSHOT_FORMAT || header.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw new MirrorError(
      `Not a snapshot this mirror reads (expected ${SNAPSHOT_FORMAT} version ${SNAPSHOT_FORMAT_VERSION}).`,
    );
  }
  return header as SnapshotHeader;
}

/** Deletes every record and what depends on them, children before parents. */
async function clearRecords(em: EntityManager): Promise<void> {
  for (const table of DEPENDENT_TABLES) await em.query(`DELETE FROM ${table}`);
  // Note: the change log is replaced: the gateways' caches, which follow it, must start over.
  const meta = em.getRepository(ChangeLogMeta);
  const replaced = (await meta.findOneBy({ name: LOG_REPLACEMENTS }))?.value ?? 0;
  await meta.save({ name: LOG_REPLACEMENTS, value: replaced + 1 });
  // Note: SQLite checks RESTRICT at each row, so a tree loses its links before its rows.
  for (const { table, treeBy } of recordTypes())
    if (treeBy) await em.query(`UPDATE ${table} SET "${treeBy}" = NULL`);
  for (const { table } of [...recordTypes()].reverse()) await em.query(`DELETE FROM ${table}`);
}

/** Indexes every live record of the searchable types, as the services would. */
async function rebuildSearch(em: EntityManager, search: SearchStore): Promise<void> {
  for (const { name: type, entity, search: searched } of recordTypes()) {
    if (!searched) continue;
    for (const record of await em.getRepository(entity).find()) {
      const doc = await searchDocumentOf(em, type, record);
      if (doc) await search.put(em, doc);
    }
  }
}

/**
 * Rows waiting to be inserted, a statement per type and batch; citations and identifiers after
 * their records.
 */
class Batch {
  private entity: EntityTarget<ObjectLiteral> | null = null;
  private rows: ObjectLiteral[] = [];
  private citations: Array<Pick<Citation, 'entityId' | 'sourceId' | 'entityType'>> = [];
  private identifiers: ExternalIdentifier[] = [];

  constructor(private readonly em: EntityManager) {}

  async add(entity: EntityTarget<ObjectLiteral>, row: ObjectLiteral): Promise<void> {
    if (this.entity !== entity || this.rows.length >= BATCH) await this.flush();
    this.entity = entity;
    this.rows.push(row);
  }

  cite(citation: Pick<Citation, 'entityId' | 'sourceId' | 'entityType'>): void {
    this.citations.push(citation);
  }

  identify(identifier: ExternalIdentifier): void {
    this.identifiers.push(identifier);
  }

  async flush(): Promise<void> {
    if (this.entity && this.rows.length)
      await this.em
        .createQueryBuilder()
        .insert()
        .into(this.entity)
        .values(this.rows)
        .updateEntity(false)
        .execute();
    for (const [target, all] of [
      [Citation, this.citations],
      [ExternalIdentifier, this.identifiers],
    ] as const) {
      for (let i = 0; i < all.length; i += BATCH) {
        await this.em
          .createQueryBuilder()
          .insert()
          .into(target)
          .values(all.slice(i, i + BATCH))
          .updateEntity(false)
          .execute();
      }
    }
    this.rows = [];
    this.citations = [];
    this.identifiers = [];
  }
}
