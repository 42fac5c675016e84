import type { Dialect } from './config';
import { SearchStore } from './modules/search/search.store';
import { RecordWriter } from './modules/node/record-writer';
import { OrgUnitService } from './modules/org-unit/org-unit.service';
import { PostService } from './modules/post/post.service';
import { PersonService } from './modules/person/person.service';
import { MissionService } from './modules/mission/mission.service';
import { ResponsibilityService } from './modules/mission/responsibility.service';
import { RelationService } from './modules/relation/relation.service';
import { SourceService } from './modules/source/source.service';

/** The services, built once at start-up and shared by the server, the CLI and seeding. */
export function createServices(dialect: Dialect) {
  const search = new SearchStore(dialect);
  const writer = new RecordWriter(search);
  const responsibilities = new ResponsibilityService(writer);
  return {
    search,
    units: new OrgUnitService(writer, search),
    posts: new PostService(writer),
    people: new PersonService(writer),
    missions: new MissionService(writer, responsibilities),
    responsibilities,
    relations: new RelationService(writer),
    sources: new SourceService(writer),
  };
}

export type Services = ReturnType<typeof createServices>;
