import { AsyncLocalStorage } from 'node:async_hooks';
import { AbstractLogger, LogLevel, LogMessage, QueryRunner } from 'typeorm';
import type { Logger } from '../logger';
import { sqlStatements } from '../metrics';

/** Per-request tally of the SQL statements sent to the database. */
export interface SqlTally {
  statements: number;
}

const storage = new AsyncLocalStorage<SqlTally>();

/** Runs `fn` with a fresh tally that every statement issued inside it (sync or async) adds to. */
export function withSqlTally<T>(tally: SqlTally, fn: () => T): T {
  return storage.run(tally, fn);
}

/**
 * TypeORM logger that counts statements (in `annuaire_sql_statements_total`, and into the current
 * request's tally) and forwards
 * queries to pino at `trace` level, errors at `error`.
 */
export class CountingLogger extends AbstractLogger {
  constructor(private readonly pino: Logger) {
    super(['query', 'error', 'warn']);
  }

  logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    sqlStatements.inc();
    const tally = storage.getStore();
    if (tally) tally.statements += 1;
    super.logQuery(query, parameters, queryRunner);
  }

  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    const messages = Array.isArray(message) ? message : [message];
    for (const m of messages) {
      if (level === 'query') this.pino.trace({ sql: m.message, parameters: m.parameters }, 'sql');
      else if (level === 'error') this.pino.error({ err: m.message }, 'sql error');
      else if (level === 'warn') this.pino.warn({ detail: m.message }, 'sql warning');
    }
  }
}
