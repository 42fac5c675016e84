import type { AppModule } from '../node/app-module';
import { ChangeFeedResolver } from './change-feed.resolver';
import { exportRouter } from './export.routes';
import { SyncState } from './sync-state.entity';

/** The change feed, the bulk exports under `/export`, and the mirror's state. */
export const SYNC_MODULE: AppModule = {
  name: 'sync',
  entities: [SyncState],
  resolvers: [ChangeFeedResolver],
  routes: [{ path: '/export', handler: exportRouter }],
};
