import { Person } from '../person/person.entity';
import type { OrgUnit } from '../org-unit/org-unit.entity';
import type { Post } from '../post/post.entity';
import type { Mission } from '../mission/mission.entity';
import type { Responsibility } from '../mission/responsibility.entity';
import { encodeScope, EVERYWHERE } from '../changelog/scope';
import { UNIT_SEARCH } from '../org-unit/org-unit.record';
import { postSearch } from '../post/post.record';
import { PERSON_SEARCH } from '../person/person.record';
import { MISSION_SEARCH, RESPONSIBILITY_SEARCH } from '../mission/mission.record';
import type { SearchDocument } from '../node/write-effects';
import type { NodeType } from '../node/global-id';
import type { SyntheticDirectory } from './synthetic.types';

/** A CREATED change-log entry as the RecordWriter writes it. */
export interface CreatedEntry {
  entityType: NodeType;
  entityId: string;
  changes: string;
  scope: string;
}

/** A record with what the RecordWriter derives from it: search document, log entry, citation. */
export interface DerivedRecord {
  type: NodeType;
  uuid: string;
  search: SearchDocument | null;
  entry: CreatedEntry;
}

/**
 * The `changes` of a CREATED entry: every content field that is not null, with null before, in
 * the order the entity declares its columns (the order TypeORM hydrates them).
 */
function createdChanges(record: object, fields: readonly string[]): string {
  const changes: Record<string, { before: null; after: unknown }> = {};
  const r = record as Record<string, unknown>;
  for (const f of fields) if (r[f] != null) changes[f] = { before: null, after: r[f] };
  return JSON.stringify(changes);
}

/** Content columns of each entity, in declaration order. */
export const FIELDS = {
  Source: ['slug', 'title', 'publisher', 'url', 'sourceDate', 'notes'],
  OrgUnit: ['slug', 'name', 'acronym', 'kind', 'description', 'parentId', 'position'],
  Post: ['slug', 'title', 'description', 'unitId', 'isHead', 'reportsToId', 'position'],
  Person: ['slug', 'givenName', 'familyName', 'grade', 'email', 'phone', 'office'],
  Appointment: ['postId', 'personId', 'startDate', 'endDate', 'note'],
  Mission: [
    'slug',
    'title',
    'description',
    'ownerUnitId',
    'ownerPostId',
    'carriedOutById',
    'position',
  ],
  Responsibility: [
    'slug',
    'title',
    'description',
    'reference',
    'missionId',
    'ownerUnitId',
    'ownerPostId',
    'position',
  ],
} as const;

/**
 * Everything the services would write beside the records of a synthetic directory, in the order
 * they would write it: sources, units, posts, people, appointments, then each mission followed
 * by its responsibilities, then the responsibilities held directly.
 * Note: scopes are those of `scopeOf` at creation time: a person has no appointment yet when it
 * is created, so its scope is empty, as it is when the services create one.
 */
export function* derivedRecords(dir: SyntheticDirectory): Generator<DerivedRecord> {
  const parentOf = new Map(dir.units.map((u) => [u.uuid, u.parentId]));
  const chains = new Map<string, string[]>();
  /** Ancestors of a unit, root first. */
  const chain = (uuid: string): string[] => {
    let known = chains.get(uuid);
    if (!known) {
      const parent = parentOf.get(uuid) ?? null;
      known = parent ? [...chain(parent), parent] : [];
      chains.set(uuid, known);
    }
    return known;
  };
  const under = (unitId: string) => encodeScope([unitId, ...chain(unitId)]);
  const unitOfPost = new Map(dir.posts.map((p) => [p.uuid, p.unitId]));
  const unitById = new Map(dir.units.map((u) => [u.uuid, u]));
  const make = (
    type: NodeType,
    record: { uuid: string },
    scope: string,
    search: Omit<SearchDocument, 'entityId' | 'entityType'> | null,
  ): DerivedRecord => ({
    type,
    uuid: record.uuid,
    search: search && { entityType: type, entityId: record.uuid, ...search },
    entry: {
      entityType: type,
      entityId: record.uuid,
      changes: createdChanges(record, FIELDS[type as keyof typeof FIELDS]),
      scope,
    },
  });

  yield make('Source', dir.source, encodeScope([EVERYWHERE]), null);
  for (const u of dir.units) {
    const scope = u.parentId
      ? encodeScope([...new Set([u.uuid, u.parentId, ...chain(u.uuid), ...chain(u.parentId)])])
      : encodeScope([u.uuid]);
    yield make('OrgUnit', u, scope, UNIT_SEARCH(u as OrgUnit));
  }
  for (const p of dir.posts) {
    const search = postSearch(unitById.get(p.unitId) as OrgUnit)(p as Post);
    yield make('Post', p, under(p.unitId), search);
  }
  for (const p of dir.people)
    yield make('Person', p, '', PERSON_SEARCH(Object.assign(new Person(), p)));
  for (const a of dir.appointments)
    yield make('Appointment', a, under(unitOfPost.get(a.postId)!), null);
  const ownerUnit = (o: { ownerUnitId: string | null; ownerPostId: string | null }) =>
    o.ownerUnitId ?? unitOfPost.get(o.ownerPostId!)!;
  const byMission = new Map<string, SyntheticDirectory['responsibilities']>();
  for (const r of dir.responsibilities) {
    if (!r.missionId) continue;
    const list = byMission.get(r.missionId);
    if (list) list.push(r);
    else byMission.set(r.missionId, [r]);
  }
  for (const m of dir.missions) {
    yield make('Mission', m, under(ownerUnit(m)), MISSION_SEARCH(m as Mission));
    for (const r of byMission.get(m.uuid) ?? [])
      yield make(
        'Responsibility',
        r,
        under(ownerUnit(r)),
        RESPONSIBILITY_SEARCH(r as Responsibility),
      );
  }
  for (const r of dir.responsibilities) {
    if (!r.missionId)
      yield make(
        'Responsibility',
        r,
        under(ownerUnit(r)),
        RESPONSIBILITY_SEARCH(r as Responsibility),
      );
  }
}
