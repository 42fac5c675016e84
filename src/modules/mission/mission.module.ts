import type { AppModule } from '../node/app-module';
import { Mission } from './mission.entity';
import { MissionMutations } from './mission.mutations';
import { MISSION_RECORD, RESPONSIBILITY_RECORD } from './mission.record';
import { MissionResolver } from './mission.resolver';
import { MissionService } from './mission.service';
import { Responsibility } from './responsibility.entity';
import { ResponsibilityResolver } from './responsibility.resolver';
import { ResponsibilityService } from './responsibility.service';

declare module '../../graphql/context' {
  interface Services {
    missions: MissionService;
    responsibilities: ResponsibilityService;
  }
}

/** Missions and responsibilities, owned by units or posts. */
export const MISSION_MODULE: AppModule = {
  name: 'mission',
  entities: [Mission, Responsibility],
  resolvers: [MissionResolver, ResponsibilityResolver, MissionMutations],
  recordTypes: [MISSION_RECORD, RESPONSIBILITY_RECORD],
  services: ({ writer }) => {
    const responsibilities = new ResponsibilityService(writer);
    return { missions: new MissionService(writer, responsibilities), responsibilities };
  },
};
