import { In, IsNull, type EntityManager } from 'typeorm';
import { iri, oneNode } from '../node/json-ld';
import type { RecordTypeDescriptor } from '../node/record-types';
import type { SearchFields, SearchIndex } from '../node/write-effects';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from './post.entity';
import { postLoaders } from './post.loaders';

declare module '../node/record-types' {
  interface NodeTypes {
    Post: Post;
  }
}

/** A post is indexed under its title, with its description and its unit's name. */
export function postSearch(unit: OrgUnit): (p: Post) => SearchFields {
  return (p) => ({ title: p.title, body: [p.description, unit.name].filter(Boolean).join(' ') });
}

/** The units of some posts (ignoring absent ids): the anchors of what hangs from a post. */
export async function unitsOfPosts(em: EntityManager, postIds: unknown[]): Promise<string[]> {
  const ids = postIds.filter((p): p is string => typeof p === 'string');
  return ids.length
    ? (await em.getRepository(Post).findBy({ uuid: In(ids) })).map((p) => p.unitId)
    : [];
}

/**
 * Re-indexes the active posts of a unit, whose documents hold the unit's name: called when the
 * unit is renamed, so that search finds them under the new name and no longer the old one.
 */
export async function reindexPostsOf(
  em: EntityManager,
  search: SearchIndex,
  unit: OrgUnit,
): Promise<void> {
  const doc = postSearch(unit);
  const posts = await em.getRepository(Post).findBy({ unitId: unit.uuid, archivedAt: IsNull() });
  for (const post of posts)
    await search.put(em, { entityType: 'Post', entityId: post.uuid, ...doc(post) });
}

/** Posts of a unit, in reporting order. */
export const POST_RECORD: RecordTypeDescriptor<Post> = {
  name: 'Post',
  entity: Post,
  table: 'post',
  copyOrder: 20,
  treeBy: 'reportsToId',
  references: { unitId: 'OrgUnit', reportsToId: 'Post' },
  entityType: { value: 'POST', description: 'Posts.' },
  load: (ctx, uuid) => postLoaders(ctx).post.load(uuid),
  anchor: (_em, s) => [s.unitId],
  search: {
    description: 'Posts (title, description).',
    async document(em, post) {
      const unit = await em.getRepository(OrgUnit).findOneByOrFail({ uuid: post.unitId });
      return postSearch(unit)(post);
    },
  },
  jsonLd: oneNode((f) => ({
    '@type': 'org:Post',
    name: f.title,
    description: f.description,
    postIn: iri(f.unitId as string),
    reportsTo: iri(f.reportsToId as string | null),
    headOf: f.isHead ? iri(f.unitId as string) : undefined,
    invalidatedAtTime: f.archivedAt,
  })),
};
