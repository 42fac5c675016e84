import { byUuid, groupedBy, loaderGroup, type LoaderSource } from '../../graphql/loader-utils';
import { Mission } from './mission.entity';
import { Responsibility } from './responsibility.entity';

const ORDER = { position: 'ASC', title: 'ASC', uuid: 'ASC' } as const;

/** Per-request loaders of missions and responsibilities. */
export function createMissionLoaders(source: LoaderSource) {
  return {
    mission: byUuid(source, Mission),
    // Note: a mission's owner unit is its anchor (mission.record.ts); the unit carrying it out,
    // a post or a mission are not, so those groups depend on every write of the type.
    missionsByOwnerUnit: groupedBy(source, Mission, 'ownerUnitId', ORDER, 'subtree'),
    missionsByOwnerPost: groupedBy(source, Mission, 'ownerPostId', ORDER, 'caller'),
    missionsByCarrier: groupedBy(source, Mission, 'carriedOutById', ORDER, 'type'),
    responsibility: byUuid(source, Responsibility),
    // Tagged by the caller with the mission's owner unit (MissionResolver.responsibilities).
    responsibilitiesByMission: groupedBy(source, Responsibility, 'missionId', ORDER, 'caller'),
    responsibilitiesByOwnerUnit: groupedBy(source, Responsibility, 'ownerUnitId', ORDER, 'subtree'),
    responsibilitiesByOwnerPost: groupedBy(source, Responsibility, 'ownerPostId', ORDER, 'caller'),
  };
}

/** The request's Mission loaders, built on first use in the request. */
export const missionLoaders = loaderGroup('mission', createMissionLoaders);
