import type { Dialect } from '../../config';
import { SQLITE_MIGRATIONS } from './sqlite/index';
import { POSTGRES_MIGRATIONS } from './postgres/index';

/** The committed migrations of each dialect, in order. */
export const MIGRATIONS: Record<Dialect, Function[]> = {
  sqlite: SQLITE_MIGRATIONS,
  postgres: POSTGRES_MIGRATIONS,
};
