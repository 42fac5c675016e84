import { Init1795966889710 } from './1795966889710-Init';
import { SearchIndex1795966900000 } from './1795966900000-SearchIndex';
import { Maintenance1795967317922 } from './1795967317922-Maintenance';
import { SyncFeed1795968533641 } from './1795968533641-SyncFeed';
import { SyncState1795969128119 } from './1795969128119-SyncState';
import { ListOrderIndexes1795971516070 } from './1795971516070-ListOrderIndexes';
import { ActiveUnitOrder1795976870505 } from './1795976870505-ActiveUnitOrder';
import { SharedIdentifiers1795980408985 } from './1795980408985-SharedIdentifiers';
import { RuleIndexes1795990000000 } from './1795990000000-RuleIndexes';
import { Webhooks1796281836350 } from './1796281836350-Webhooks';

/** PostgreSQL migrations, in order. */
export const POSTGRES_MIGRATIONS: Function[] = [
  Init1795966889710,
  SearchIndex1795966900000,
  Maintenance1795967317922,
  SyncFeed1795968533641,
  SyncState1795969128119,
  ListOrderIndexes1795971516070,
  ActiveUnitOrder1795976870505,
  SharedIdentifiers1795980408985,
  RuleIndexes1795990000000,
  Webhooks1796281836350,
];
