/**
 * Helpers for the record types' JSON-LD mappings (the W3C ORG export): each descriptor maps its
 * own records, with these and the terms of the export's context.
 */

/** The `@id` of a record: a URN on its global id, stable like the id itself. */
export function iri(globalId: string | null | undefined): string | undefined {
  return globalId ? `urn:annuaire-graphql:${globalId}` : undefined;
}

/** The object without its empty values (null, undefined, empty lists), as JSON-LD leaves them out. */
export function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).filter(
      ([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0),
    ),
  ) as T;
}

/** A JSON-LD node of the export's graph. */
export type JsonLdNode = Record<string, unknown>;

/**
 * What every record's node carries: its `@id`, its global id as `dct:identifier`, its version and
 * the sources it cites as `prov:wasDerivedFrom`.
 */
export function baseNode(r: {
  id: string;
  version: number;
  sources: readonly string[];
}): JsonLdNode {
  return {
    '@id': iri(r.id),
    identifier: r.id,
    version: r.version,
    wasDerivedFrom: r.sources.map(iri),
  };
}

/**
 * The mapping of a record type whose records are one node each: the base, then what `map` makes
 * of the record's fields, empty values left out.
 */
export function oneNode<
  R extends { id: string; version: number; sources: readonly string[]; fields: object },
>(
  map: (fields: Record<string, string | null>, record: R) => JsonLdNode,
): { nodes(record: R): JsonLdNode[] } {
  return {
    nodes: (r) => [
      compact({ ...baseNode(r), ...map(r.fields as Record<string, string | null>, r) }),
    ],
  };
}
