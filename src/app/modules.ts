import type { HttpRoute } from '../http/routes';
import type { AppModule } from '../modules/node/app-module';
import {
  fillRecordTypes,
  recordTypes,
  type RecordTypeDescriptor,
} from '../modules/node/record-types';
import { NODE_MODULE } from '../modules/node/node.module';
import { SOURCE_MODULE } from '../modules/source/source.module';
import { ORG_UNIT_MODULE } from '../modules/org-unit/org-unit.module';
import { POST_MODULE } from '../modules/post/post.module';
import { PERSON_MODULE } from '../modules/person/person.module';
import { MISSION_MODULE } from '../modules/mission/mission.module';
import { RELATION_MODULE } from '../modules/relation/relation.module';
import { SEARCH_MODULE } from '../modules/search/search.module';
import { CHANGELOG_MODULE } from '../modules/changelog/changelog.module';
import { AUTH_MODULE } from '../modules/auth/auth.module';
import { SYNC_MODULE } from '../modules/sync/sync.module';
import { WEBHOOK_MODULE } from '../modules/webhook/webhook.module';

/**
 * Every module of the application, one line each: the only list that names them. Everything
 * below is derived from it, and adding a record type's module is one line here.
 */
export const MODULES: readonly AppModule[] = [
  NODE_MODULE,
  SOURCE_MODULE,
  ORG_UNIT_MODULE,
  POST_MODULE,
  PERSON_MODULE,
  MISSION_MODULE,
  RELATION_MODULE,
  SEARCH_MODULE,
  CHANGELOG_MODULE,
  AUTH_MODULE,
  SYNC_MODULE,
  WEBHOOK_MODULE,
];

// Note: filled when this file is first loaded, before anything reads the registry (every entry
// point starts from src/app), and so before the schema is built.
fillRecordTypes(MODULES.flatMap((m) => m.recordTypes ?? []));

/** Every record type, from the modules' descriptors, in copy order. */
export const RECORD_TYPES: readonly RecordTypeDescriptor[] = recordTypes();

/** Every TypeORM entity, for the data source. */
export const ENTITIES: readonly Function[] = MODULES.flatMap((m) => m.entities ?? []);

/** Every resolver class of the API. */
export const RESOLVERS: readonly Function[] = MODULES.flatMap((m) => m.resolvers ?? []);

/** Object types the schema holds though no resolver returns them directly. */
export const ORPHANED_TYPES: readonly Function[] = MODULES.flatMap((m) => m.orphanedTypes ?? []);

/** The HTTP routes the modules mount beside `/graphql`. */
export const ROUTES: readonly HttpRoute[] = MODULES.flatMap((m) => m.routes ?? []);
