import type { EntityManager } from 'typeorm';
import { iri, oneNode } from '../node/json-ld';
import type { ExchangeRecord, RecordState, RecordTypeDescriptor } from '../node/record-types';
import type { SearchFields } from '../node/write-effects';
import { unitsOfPosts } from '../post/post.record';
import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';
import { missionLoaders } from './mission.loaders';

declare module '../node/record-types' {
  interface NodeTypes {
    Mission: Mission;
    Responsibility: Responsibility;
  }
}

/** A mission is indexed under its title, with its description. */
export const MISSION_SEARCH = (m: Mission): SearchFields => ({
  title: m.title,
  body: m.description ?? '',
});

/** A responsibility is indexed under its title and reference, with its description. */
export const RESPONSIBILITY_SEARCH = (r: Responsibility): SearchFields => ({
  title: [r.title, r.reference].filter(Boolean).join(' '),
  body: r.description ?? '',
});

/** A mission or responsibility hangs from its owner: a unit, or the unit of a post. */
function ownerUnits(em: EntityManager, s: RecordState): Promise<unknown[]> | unknown[] {
  return s.ownerUnitId ? [s.ownerUnitId] : unitsOfPosts(em, [s.ownerPostId]);
}

/** Missions and responsibilities as SKOS concepts, with their owner and the mission they serve. */
const CONCEPT = oneNode<ExchangeRecord>((f, r) => ({
  '@type': ['skos:Concept', `annuaire:${r.type}`],
  name: f.title,
  description: f.description,
  identifier: f.reference ?? r.id,
  owner: iri(f.ownerUnitId ?? f.ownerPostId),
  carriedOutBy: iri(f.carriedOutById),
  broader: iri(f.missionId),
}));

/** Missions, owned by a unit or a post. */
export const MISSION_RECORD: RecordTypeDescriptor<Mission> = {
  name: 'Mission',
  entity: Mission,
  table: 'mission',
  copyOrder: 50,
  references: { ownerUnitId: 'OrgUnit', ownerPostId: 'Post', carriedOutById: 'OrgUnit' },
  entityType: { value: 'MISSION', description: 'Missions.' },
  load: (ctx, uuid) => missionLoaders(ctx).mission.load(uuid),
  anchor: ownerUnits,
  search: {
    description: 'Missions (title, description).',
    document: (_em, mission) => MISSION_SEARCH(mission),
  },
  jsonLd: CONCEPT,
};

/** Responsibilities, owned by a unit or a post, or carried by a mission (and its owner). */
export const RESPONSIBILITY_RECORD: RecordTypeDescriptor<Responsibility> = {
  name: 'Responsibility',
  entity: Responsibility,
  table: 'responsibility',
  copyOrder: 60,
  references: { missionId: 'Mission', ownerUnitId: 'OrgUnit', ownerPostId: 'Post' },
  entityType: { value: 'RESPONSIBILITY', description: 'Responsibilities.' },
  load: (ctx, uuid) => missionLoaders(ctx).responsibility.load(uuid),
  anchor: ownerUnits,
  search: {
    description: 'Responsibilities (title, reference, description).',
    document: (_em, responsibility) => RESPONSIBILITY_SEARCH(responsibility),
  },
  jsonLd: CONCEPT,
};
