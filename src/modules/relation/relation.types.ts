import { createUnionType } from 'type-graphql';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';

/** The target of a relation. */
export const RelationTarget = createUnionType({
  name: 'RelationTarget',
  description: 'What a relation points to: a unit or a post.',
  types: () => [OrgUnit, Post] as const,
});
