import type { Departement } from './departements';
import type { OrgUnitKind } from '../org-unit/org-unit-kind';

/** The columns of each record as the services store them, bookkeeping columns aside. */
export interface UnitRow {
  uuid: string;
  slug: string;
  name: string;
  acronym: string | null;
  kind: OrgUnitKind;
  description: string | null;
  parentId: string | null;
  position: number;
}

export interface PostRow {
  uuid: string;
  slug: string;
  title: string;
  description: string | null;
  unitId: string;
  isHead: boolean;
  reportsToId: string | null;
  position: number;
}

export interface PersonRow {
  uuid: string;
  slug: string;
  givenName: string | null;
  familyName: string;
  grade: string | null;
}

export interface AppointmentRow {
  uuid: string;
  postId: string;
  personId: string | null;
  startDate: string | null;
  endDate: string | null;
  note: string | null;
}

export interface MissionRow {
  uuid: string;
  slug: string;
  title: string;
  description: string | null;
  ownerUnitId: string | null;
  ownerPostId: string | null;
  carriedOutById: string | null;
  position: number;
}

export interface ResponsibilityRow {
  uuid: string;
  slug: string;
  title: string;
  description: string | null;
  reference: string | null;
  missionId: string | null;
  ownerUnitId: string | null;
  ownerPostId: string | null;
  position: number;
}

export interface SourceRow {
  uuid: string;
  slug: string;
  title: string;
  publisher: string;
  url: string | null;
  sourceDate: string | null;
  notes: string | null;
}

/**
 * A whole synthetic directory in memory, each list in the order the services would write it
 * (parents before children, a mission before its responsibilities).
 */
export interface SyntheticDirectory {
  source: SourceRow;
  units: UnitRow[];
  posts: PostRow[];
  people: PersonRow[];
  appointments: AppointmentRow[];
  missions: MissionRow[];
  responsibilities: ResponsibilityRow[];
}

/** A unit being generated, with what its children and posts need to know. */
export interface UnitDraft {
  row: UnitRow;
  domain: string;
  head: PostRow;
  dept: Departement;
}
