import type { AppModule } from '../node/app-module';
import { ChangeFeedResolver } from './change-feed.resolver';
import type { ChangeHub } from './change-stream';
import { exportRouter } from './export.routes';
import { SyncState } from './sync-state.entity';

declare module '../../graphql/context' {
  interface Services {
    /**
     * The live side of the change feed (`directoryChanges`), set by the gateway that serves
     * subscriptions; absent in the CLIs.
     */
    changeHub?: ChangeHub;
  }
}

export { ChangeHub } from './change-stream';

/** The change feed and its subscription, the bulk exports under `/export`, and the mirror's state. */
export const SYNC_MODULE: AppModule = {
  name: 'sync',
  entities: [SyncState],
  resolvers: [ChangeFeedResolver],
  routes: [{ path: '/export', handler: exportRouter }],
};
