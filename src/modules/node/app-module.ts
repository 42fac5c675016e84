import type { Services } from '../../graphql/context';
import type { HttpRoute } from '../../http/routes';
import type { RecordTypeDescriptor } from './record-types';
import type { RecordWriter } from './record-writer';
import type { SearchIndex } from './write-effects';

declare module '../../graphql/context' {
  interface Services {
    /** The one write path of every service (the tests use it to write as the services do). */
    writer: RecordWriter;
  }
}

/** What module services are built with: the one record writer and the search index. */
export interface SharedServices {
  writer: RecordWriter;
  search: SearchIndex;
}

/**
 * What a module brings to the application, in its `<name>.module.ts`: the composition root
 * (src/app) reads every module's descriptor and derives the entity list, the resolvers, the
 * services, the HTTP routes and the record-type registry from them.
 */
export interface AppModule {
  /** The module's folder name, for messages. */
  name: string;
  /** Its TypeORM entities. */
  entities?: readonly Function[];
  /** Its type-graphql resolver classes. */
  resolvers?: readonly Function[];
  /** Object types no resolver returns directly but the schema must hold. */
  orphanedTypes?: readonly Function[];
  /** Its record types. */
  recordTypes?: readonly RecordTypeDescriptor[];
  /** Its services, built once at start-up (see `Services`, which the module augments). */
  services?(shared: SharedServices): Partial<Services>;
  /** Its HTTP routes beside `/graphql`. */
  routes?: readonly HttpRoute[];
}
