import type { EntityManager, ObjectLiteral } from 'typeorm';
import type { Context } from '../../graphql/context';
import type { SearchFields } from './write-effects';
import type { JsonLdNode } from './json-ld';

/**
 * The GraphQL types that implement `Node`, i.e. that have a global id: each module adds its own
 * by augmenting this interface next to its record-type descriptor, so this file names none.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NodeTypes {}

/** The name of a record type that has global ids. */
export type NodeType = keyof NodeTypes & string;

/** A record's stored state (its entity's properties), as the change log and copies see it. */
export type RecordState = Record<string, unknown>;

/**
 * A record in exchange form (snapshots, exports): content fields as stored with references as
 * global ids, public fields only where the export is public, the global ids of its sources.
 */
export interface ExchangeRecord {
  type: NodeType;
  id: string;
  version: number;
  fields: Record<string, unknown>;
  sources: string[];
  /** Identifiers in other systems, for the types that have them ({@link RecordTypeDescriptor.externalIds}). */
  externalIds?: Array<{ scheme: string; value: string }>;
}

/**
 * Everything the kernel and the cross-cutting modules (search, change log, sync) need to know
 * about one record type. Each module describes its own in its folder (`<name>.record.ts`);
 * the composition root fills the registry with them once at start-up.
 */
export interface RecordTypeDescriptor<T extends ObjectLiteral = ObjectLiteral> {
  /**
   * The GraphQL type name: the prefix of its global ids and the `entityType` of its change-log
   * entries, search documents and citations.
   */
  name: NodeType;
  /** The TypeORM entity, which is also the GraphQL object type. */
  entity: new () => T;
  /** Its table, which snapshots and mirrors copy in bulk. */
  table: string;
  /** Where copies insert it: lower first, so that referenced types come before their users. */
  copyOrder: number;
  /** The self-reference that a copy must insert in tree order (parents first), if any. */
  treeBy?: string;
  /** Its value in the GraphQL `EntityType` enum (change feed, exports), with its description. */
  entityType: { value: string; description: string };
  /** Loads one record by uuid through the request's loaders (`node(id:)`, search hits, feed). */
  load(ctx: Context, uuid: string): Promise<T | null>;
  /**
   * The units a record in this state hangs from directly, for the change log's subtree scopes;
   * absent for records that belong to every subtree (sources).
   */
  anchor?(em: EntityManager, state: RecordState): Promise<unknown[]> | unknown[];
  /**
   * How search indexes it, absent when search skips it; its `SearchableType` value is its
   * `entityType` value.
   */
  search?: {
    description: string;
    document(em: EntityManager, record: T): Promise<SearchFields> | SearchFields;
  };
  /**
   * Its columns that hold the uuid of another record, with the type they point to: in the API
   * (history, change feed, exports) these appear as global ids. One column name points to one
   * type in every record type.
   */
  references?: Readonly<Record<string, NodeType>>;
  /** Fields only AGENT and above may read: left out of public change-log entries and exports. */
  privateFields?: readonly string[];
  /** True when its records carry identifiers in other systems (units): copies read them too. */
  externalIds?: boolean;
  /**
   * Its export as W3C ORG JSON-LD (terms of the export's context): the nodes of one record in
   * its public exchange form, `today` for what depends on the date; absent to leave it out.
   */
  jsonLd?: {
    nodes(record: ExchangeRecord, today: string): JsonLdNode[];
    /** Nodes written once at the head of the graph: the properties that `nodes` uses. */
    head?: readonly JsonLdNode[];
  };
}

let registry: ReadonlyMap<string, RecordTypeDescriptor> | null = null;
let inOrder: readonly RecordTypeDescriptor[] = [];
let referenceColumns: ReadonlyMap<string, NodeType> = new Map();
const listeners: Array<(types: readonly RecordTypeDescriptor[]) => void> = [];

/**
 * Fills the registry, once, from the modules' descriptors (the composition root does it when
 * it is loaded). Refuses a second filling and two descriptors of one name.
 */
export function fillRecordTypes(types: readonly RecordTypeDescriptor[]): void {
  if (registry) throw new Error('The record-type registry is already filled.');
  const byName = new Map(types.map((t) => [t.name as string, t]));
  if (byName.size !== types.length) throw new Error('Two record types have the same name.');
  const columns = new Map<string, NodeType>();
  for (const type of types)
    for (const [column, target] of Object.entries(type.references ?? {})) {
      if (columns.get(column) && columns.get(column) !== target)
        throw new Error(`The reference column ${column} points to two record types.`);
      columns.set(column, target);
    }
  inOrder = [...types].sort((a, b) => a.copyOrder - b.copyOrder);
  referenceColumns = columns;
  registry = byName;
  for (const listener of listeners.splice(0)) listener(inOrder);
}

/** Every record type, in copy order. Fails when read before the composition root filled it. */
export function recordTypes(): readonly RecordTypeDescriptor[] {
  if (!registry) throw unfilled();
  return inOrder;
}

/** The descriptor of one record type, or undefined for a name no module describes. */
export function recordTypeNamed(name: string): RecordTypeDescriptor | undefined {
  if (!registry) throw unfilled();
  return registry.get(name);
}

/** The type that a reference column of any record type points to, if the column is one. */
export function referencedType(column: string): NodeType | undefined {
  if (!registry) throw unfilled();
  return referenceColumns.get(column);
}

/** The record types that search returns, in copy order. */
export function searchedTypes(): readonly RecordTypeDescriptor[] {
  return recordTypes().filter((t) => t.search);
}

/**
 * Runs `listener` with the record types once the registry is filled (at once if it is): how a
 * module registers a GraphQL enum made of them before the schema is built.
 */
export function onRecordTypesFilled(
  listener: (types: readonly RecordTypeDescriptor[]) => void,
): void {
  if (registry) listener(inOrder);
  else listeners.push(listener);
}

function unfilled(): Error {
  return new Error(
    'The record-type registry is read before the composition root (src/app) filled it.',
  );
}
