import type { EntityManager, ObjectLiteral } from 'typeorm';
import { recordTypeNamed } from '../node/record-types';
import type { SearchDocument, SearchIndex } from '../node/write-effects';

/**
 * The search document of a record (an entity instance) as the services index it, or null when
 * its type is not searched or it is archived. Each record type's descriptor says how.
 */
export async function searchDocumentOf(
  em: EntityManager,
  type: string,
  record: ObjectLiteral,
): Promise<SearchDocument | null> {
  const search = recordTypeNamed(type)?.search;
  if (!search || record.archivedAt) return null;
  const doc = await search.document(em, record);
  return { entityType: type, entityId: record.uuid as string, ...doc };
}

/** Puts or removes the search document of a record, as the services would after writing it. */
export async function refreshSearchDocument(
  em: EntityManager,
  search: SearchIndex,
  type: string,
  record: ObjectLiteral,
): Promise<void> {
  if (!recordTypeNamed(type)?.search) return;
  const doc = await searchDocumentOf(em, type, record);
  if (doc) await search.put(em, doc);
  else await search.remove(em, record.uuid);
}
