import type { AppModule } from '../node/app-module';
import { OrgUnit } from './org-unit.entity';
import { OrgUnitMutations } from './org-unit.mutations';
import { ORG_UNIT_RECORD } from './org-unit.record';
import { OrgUnitResolver } from './org-unit.resolver';
import { OrgUnitService } from './org-unit.service';

declare module '../../graphql/context' {
  interface Services {
    units: OrgUnitService;
  }
}

/** Organizational units and their tree. */
export const ORG_UNIT_MODULE: AppModule = {
  name: 'org-unit',
  entities: [OrgUnit],
  resolvers: [OrgUnitResolver, OrgUnitMutations],
  recordTypes: [ORG_UNIT_RECORD],
  services: ({ writer, search }) => ({ units: new OrgUnitService(writer, search) }),
};
