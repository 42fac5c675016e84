import { registerEnumType } from 'type-graphql';
import { onRecordTypesFilled } from '../node/record-types';

/** A record type that search covers, by its enum value (`ORG_UNIT`). */
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
    SearchableType[t.search!.value] = t.search!.value;
    SEARCHABLE_TYPE_NAMES[t.search!.value] = t.name;
  }
  registerEnumType(SearchableType, {
    name: 'SearchableType',
    description: 'A record type that `search` can return.',
    valuesConfig: Object.fromEntries(
      searched.map((t) => [t.search!.value, { description: t.search!.description }]),
    ),
  });
});
