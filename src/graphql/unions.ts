import { createUnionType } from 'type-graphql';
import { OrgUnit } from '../modules/org-unit/org-unit.entity';
import { Post } from '../modules/post/post.entity';
import { Person } from '../modules/person/person.entity';
import { Mission } from '../modules/mission/mission.entity';
import { Responsibility } from '../modules/mission/responsibility.entity';

/** The owner of a mission or responsibility. */
export const Owner = createUnionType({
  name: 'Owner',
  description: 'A unit or a post that owns a mission or a responsibility.',
  types: () => [OrgUnit, Post] as const,
});

/** The target of a relation. */
export const RelationTarget = createUnionType({
  name: 'RelationTarget',
  description: 'What a relation points to: a unit or a post.',
  types: () => [OrgUnit, Post] as const,
});

/** A search hit. */
export const SearchResult = createUnionType({
  name: 'SearchResult',
  description: 'A record found by `search`.',
  types: () => [OrgUnit, Post, Person, Mission, Responsibility] as const,
});
