import type { AppModule } from '../node/app-module';
import { SearchResolver } from './search.resolver';
import type { SearchStore } from './search.store';

declare module '../../graphql/context' {
  interface Services {
    /** The full-text index, built by the composition root, which the record writer also feeds. */
    search: SearchStore;
  }
}

/** Full-text search over the record types whose descriptors have a `search`. */
export const SEARCH_MODULE: AppModule = {
  name: 'search',
  resolvers: [SearchResolver],
};
