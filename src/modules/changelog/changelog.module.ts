import type { AppModule } from '../node/app-module';
import { ChangeEntry } from './change-entry.entity';
import { ChangeLogMeta } from './change-log-meta.entity';
import { ChangeLogResolver } from './change-log.resolver';

/** The append-only change log: history and audit. */
export const CHANGELOG_MODULE: AppModule = {
  name: 'changelog',
  entities: [ChangeEntry, ChangeLogMeta],
  resolvers: [ChangeLogResolver],
};
