import type { RecordTypeDescriptor } from '../node/record-types';
import { unitsOfPosts } from '../post/post.record';
import { Relation } from './relation.entity';
import { relationLoaders } from './relation.loaders';

declare module '../node/record-types' {
  interface NodeTypes {
    Relation: Relation;
  }
}

/** Relations from a unit to a unit or a post: in the subtrees of both ends. */
export const RELATION_RECORD: RecordTypeDescriptor<Relation> = {
  name: 'Relation',
  entity: Relation,
  table: 'relation',
  copyOrder: 70,
  entityType: {
    value: 'RELATION',
    description: 'Relations between units, or from a unit to a post.',
  },
  load: (ctx, uuid) => relationLoaders(ctx).relation.load(uuid),
  anchor: async (em, s) => [
    s.fromUnitId,
    ...(s.toUnitId ? [s.toUnitId] : await unitsOfPosts(em, [s.toPostId])),
  ],
};
