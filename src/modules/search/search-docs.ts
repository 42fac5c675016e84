import { IsNull } from 'typeorm';
import type { EntityManager, ObjectLiteral } from 'typeorm';
import type { SearchDoc } from '../node/record-writer';
import type { SearchDocument, SearchStore } from './search.store';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { Post } from '../post/post.entity';
import { Person } from '../person/person.entity';
import { Mission } from '../mission/mission.entity';
import { Responsibility } from '../mission/responsibility.entity';

/** How records of one type are indexed. */
type Indexer<T> = NonNullable<SearchDoc<T>>;

/** A unit is indexed under its name and acronym, with its description. */
export const UNIT_SEARCH: Indexer<OrgUnit> = (u) => ({
  title: [u.name, u.acronym].filter(Boolean).join(' '),
  body: u.description ?? '',
});

/** A post is indexed under its title, with its description and its unit's name. */
export function postSearch(unit: OrgUnit): Indexer<Post> {
  return (p) => ({ title: p.title, body: [p.description, unit.name].filter(Boolean).join(' ') });
}

/** Only public fields are indexed: contact details never reach search. */
export const PERSON_SEARCH: Indexer<Person> = (p) => ({
  title: p.displayName,
  body: p.grade ?? '',
});

/** A mission is indexed under its title, with its description. */
export const MISSION_SEARCH: Indexer<Mission> = (m) => ({
  title: m.title,
  body: m.description ?? '',
});

/** A responsibility is indexed under its title and reference, with its description. */
export const RESPONSIBILITY_SEARCH: Indexer<Responsibility> = (r) => ({
  title: [r.title, r.reference].filter(Boolean).join(' '),
  body: r.description ?? '',
});

/**
 * The search document of a record (an entity instance) as the services index it, or null when
 * its type is not searched or it is archived. Reads the unit of a post.
 */
export async function searchDocumentOf(
  em: EntityManager,
  type: string,
  record: ObjectLiteral,
): Promise<SearchDocument | null> {
  if (record.archivedAt) return null;
  const doc = await searchFieldsOf(em, type, record);
  return doc && { entityType: type, entityId: record.uuid as string, ...doc };
}

async function searchFieldsOf(em: EntityManager, type: string, record: ObjectLiteral) {
  switch (type) {
    case 'OrgUnit':
      return UNIT_SEARCH(record as OrgUnit);
    case 'Post': {
      const unit = await em.getRepository(OrgUnit).findOneByOrFail({ uuid: record.unitId });
      return postSearch(unit)(record as Post);
    }
    case 'Person':
      return PERSON_SEARCH(record as Person);
    case 'Mission':
      return MISSION_SEARCH(record as Mission);
    case 'Responsibility':
      return RESPONSIBILITY_SEARCH(record as Responsibility);
    default:
      return null;
  }
}

/** The record types that have search documents. */
export const SEARCHED_TYPES: ReadonlySet<string> = new Set([
  'OrgUnit',
  'Post',
  'Person',
  'Mission',
  'Responsibility',
]);

/** Puts or removes the search document of a record, as the services would after writing it. */
export async function refreshSearchDocument(
  em: EntityManager,
  search: SearchStore,
  type: string,
  record: ObjectLiteral,
): Promise<void> {
  if (!SEARCHED_TYPES.has(type)) return;
  const doc = await searchDocumentOf(em, type, record);
  if (doc) await search.put(em, doc);
  else await search.remove(em, record.uuid);
}

/**
 * Re-indexes the active posts of a unit, whose documents hold the unit's name: called when the
 * unit is renamed, so that search finds them under the new name and no longer the old one.
 */
export async function reindexPostsOf(
  em: EntityManager,
  search: SearchStore,
  unit: OrgUnit,
): Promise<void> {
  const doc = postSearch(unit);
  const posts = await em.getRepository(Post).findBy({ unitId: unit.uuid, archivedAt: IsNull() });
  for (const post of posts)
    await search.put(em, { entityType: 'Post', entityId: post.uuid, ...doc(post) });
}
