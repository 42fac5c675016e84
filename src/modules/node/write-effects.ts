import type { EntityManager } from 'typeorm';
import type { ChangeOperation } from './change-operation';

/** What the index holds for one record. */
export interface SearchDocument {
  entityType: string;
  entityId: string;
  title: string;
  body: string;
}

/** The searched text of a record, without its key. */
export type SearchFields = Omit<SearchDocument, 'entityId' | 'entityType'>;

/** One field's value before and after a write; `null` stands for absent. */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** One write, as the change log records it. */
export interface ChangeToLog {
  entityType: string;
  entityId: string;
  operation: ChangeOperation;
  version: number;
  changes: FieldChanges;
  actor: string;
}

/** The search index as writers see it: put or remove one record's document. */
export interface SearchIndex {
  put(em: EntityManager, doc: SearchDocument): Promise<void>;
  remove(em: EntityManager, entityId: string): Promise<void>;
}

/** Which sources a record cites. */
export interface CitationLedger {
  /** Uuids of the sources that `entityId` cites. */
  sourcesOf(em: EntityManager, entityId: string): Promise<string[]>;
  /** Records that `entityId` is drawn from each of `sourceIds` (idempotent). */
  cite(em: EntityManager, entityType: string, entityId: string, sourceIds: string[]): Promise<void>;
  /** Forgets every citation of `entityId`. */
  forget(em: EntityManager, entityId: string): Promise<void>;
}

/**
 * What every write does besides its own row, in the writer's transaction: the search document,
 * the citations and the change-log entry. The search, source and changelog modules provide
 * them and the composition root hands them to `RecordWriter`, so the node layer needs none of
 * those modules.
 */
export interface WriteEffects {
  search: SearchIndex;
  citations: CitationLedger;
  logChange(
    em: EntityManager,
    change: ChangeToLog,
    states: { before: object | null; after: object | null },
  ): Promise<void>;
}
