import { registerEnumType } from 'type-graphql';
import { onRecordTypesFilled } from '../node/record-types';

/** A record type that search covers, by its `EntityType` value (`ORG_UNIT`). */
export type SearchableType = string;

/**
 * The GraphQL `SearchableType` enum, one value per searched record type, made from the
 * descriptors that have a `search` when the composition root fills the registry.
 */
export const SearchableType: Record<string, SearchableType> = {};

/** The GraphQL type name stored in the index for each searchable type. */
export const SEARCHABLE_TYPE_NAMES: Record<SearchableType, string> = {};

onRecordTypesFilled((types) => {
  const searched = types.filter((t) => t.search);
  for (const t of searched) {
    SearchableType[t.entityType.value] = t.entityType.value;
    SEARCHABLE_TYPE_NAMES[t.entityType.value] = t.name;
  }
  registerEnumType(SearchableType, {
    name: 'SearchableType',
    description: 'A record type that `search` can return.',
    valuesConfig: Object.fromEntries(
      searched.map((t) => [t.entityType.value, { description: t.search!.description }]),
    ),
  });
});
