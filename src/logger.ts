import pino from 'pino';

/** Creates the structured JSON logger shared by the server and the CLI. */
export function createLogger(level: string) {
  return pino({ level, base: { service: 'annuaire-graphql' } });
}

export type Logger = ReturnType<typeof createLogger>;
