import { registerEnumType } from 'type-graphql';

/** Record types covered by full-text search. */
export enum SearchableType {
  ORG_UNIT = 'ORG_UNIT',
  POST = 'POST',
  PERSON = 'PERSON',
  MISSION = 'MISSION',
  RESPONSIBILITY = 'RESPONSIBILITY',
}

registerEnumType(SearchableType, {
  name: 'SearchableType',
  description: 'A record type that `search` can return.',
  valuesConfig: {
    ORG_UNIT: { description: 'Organizational units (name, acronym, description).' },
    POST: { description: 'Posts (title, description).' },
    PERSON: { description: 'People (name, grade).' },
    MISSION: { description: 'Missions (title, description).' },
    RESPONSIBILITY: { description: 'Responsibilities (title, reference, description).' },
  },
});

/** The GraphQL type name stored in the index for each searchable type. */
export const SEARCHABLE_TYPE_NAMES: Record<SearchableType, string> = {
  ORG_UNIT: 'OrgUnit',
  POST: 'Post',
  PERSON: 'Person',
  MISSION: 'Mission',
  RESPONSIBILITY: 'Responsibility',
};
