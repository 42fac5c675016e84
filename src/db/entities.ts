import { OrgUnit } from '../modules/org-unit/org-unit.entity';
import { Post } from '../modules/post/post.entity';
import { Person } from '../modules/person/person.entity';
import { Appointment } from '../modules/person/appointment.entity';
import { Mission } from '../modules/mission/mission.entity';
import { Responsibility } from '../modules/mission/responsibility.entity';
import { Relation } from '../modules/relation/relation.entity';
import { Source } from '../modules/source/source.entity';
import { Citation } from '../modules/source/citation.entity';
import { ExternalIdentifier } from '../modules/source/external-identifier.entity';
import { ChangeEntry } from '../modules/changelog/change-entry.entity';
import { ChangeLogMeta } from '../modules/changelog/change-log-meta.entity';
import { ApiKey } from '../modules/auth/api-key.entity';
import { SyncState } from '../modules/sync/sync-state.entity';

/** Every TypeORM entity, for the data source. */
export const ENTITIES = [
  OrgUnit,
  Post,
  Person,
  Appointment,
  Mission,
  Responsibility,
  Relation,
  Source,
  Citation,
  ExternalIdentifier,
  ChangeEntry,
  ChangeLogMeta,
  ApiKey,
  SyncState,
];
