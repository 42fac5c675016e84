import { DataSource } from 'typeorm';
import { byUuid, groupedBy, loaderGroup } from '../../graphql/loader-utils';
import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';

const ORDER = { position: 'ASC', title: 'ASC', uuid: 'ASC' } as const;

/** Per-request loaders of missions and responsibilities. */
export function createMissionLoaders(db: DataSource) {
  return {
    mission: byUuid(db, Mission),
    missionsByOwnerUnit: groupedBy(db, Mission, 'ownerUnitId', ORDER),
    missionsByOwnerPost: groupedBy(db, Mission, 'ownerPostId', ORDER),
    missionsByCarrier: groupedBy(db, Mission, 'carriedOutById', ORDER),
    responsibility: byUuid(db, Responsibility),
    responsibilitiesByMission: groupedBy(db, Responsibility, 'missionId', ORDER),
    responsibilitiesByOwnerUnit: groupedBy(db, Responsibility, 'ownerUnitId', ORDER),
    responsibilitiesByOwnerPost: groupedBy(db, Responsibility, 'ownerPostId', ORDER),
  };
}

/** The request's Mission loaders, built on first use in the request. */
export const missionLoaders = loaderGroup('mission', createMissionLoaders);
