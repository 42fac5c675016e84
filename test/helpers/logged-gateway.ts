import path from 'node:path';
import { loadConfig, Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { Gateway, startGateway } from '../../src/app/gateway';
import { freshDatabase } from './gateway';

/** A log line, as far as the tests read it. */
export interface LogRecord {
  level: number;
  msg?: string;
  req?: { url: string };
  [field: string]: unknown;
}

/** A gateway on a fresh database whose log lines are kept in `lines`, not printed. */
export interface LoggedGateway extends Gateway {
  config: Config;
  origin: string;
  /** Every line logged so far; empty it to start afresh. */
  lines: string[];
  records(): LogRecord[];
}

/** Starts a gateway like `startTestGateway`, logging at `level` into memory. */
export async function startLoggedGateway(
  env: Record<string, string> = {},
  level = 'debug',
): Promise<LoggedGateway> {
  const database = await freshDatabase();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    SEEDS_DIR: path.join(__dirname, '..', '..', 'seeds'),
    DATABASE_URL: database.url,
    ...env,
    LOG_LEVEL: level,
  });
  const lines: string[] = [];
  const gateway = await startGateway(
    config,
    createLogger(level, { write: (line: string) => void lines.push(line) }),
  );
  return {
    ...gateway,
    config,
    origin: new URL(gateway.url).origin,
    lines,
    records: () => lines.map((l) => JSON.parse(l) as LogRecord),
    async stop() {
      await gateway.stop();
      await database.drop();
    },
  };
}
