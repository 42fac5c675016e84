import { Init1795966889144 } from './1795966889144-Init';
import { SearchIndex1795966900000 } from './1795966900000-SearchIndex';
import { Maintenance1795967317357 } from './1795967317357-Maintenance';
import { SyncFeed1795968531731 } from './1795968531731-SyncFeed';
import { SyncState1795969127267 } from './1795969127267-SyncState';
import { ListOrderIndexes1795971515463 } from './1795971515463-ListOrderIndexes';
import { ActiveUnitOrder1795976865787 } from './1795976865787-ActiveUnitOrder';
import { SharedIdentifiers1795980404263 } from './1795980404263-SharedIdentifiers';
import { RuleIndexes1795990000000 } from './1795990000000-RuleIndexes';
import { Webhooks1796281835402 } from './1796281835402-Webhooks';

/** SQLite migrations, in order. */
export const SQLITE_MIGRATIONS: Function[] = [
  Init1795966889144,
  SearchIndex1795966900000,
  Maintenance1795967317357,
  SyncFeed1795968531731,
  SyncState1795969127267,
  ListOrderIndexes1795971515463,
  ActiveUnitOrder1795976865787,
  SharedIdentifiers1795980404263,
  RuleIndexes1795990000000,
  Webhooks1796281835402,
];
