import { configuredDialect } from '../config';

/**
 * Column types that differ between the two dialects. Timestamps are `timestamptz` on PostgreSQL
 * (an instant, whatever the session time zone) and ISO text on SQLite.
 */
export const TIMESTAMP = configuredDialect() === 'postgres' ? 'timestamptz' : 'datetime';
