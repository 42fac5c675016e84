import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger, printableError } from '../logger';
import { openDatabase } from '../app/gateway';
import { createServices } from '../app/services';
import { loadSeeds, SeedError, seedFiles } from '../seed/seed-loader';

/** `npm run seed`: (re)loads every seed file into the configured database, idempotently. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const db = await openDatabase(config, log);
  try {
    const files = process.argv.slice(2).length
      ? process.argv.slice(2)
      : seedFiles(config.seeds.dir);
    const summary = await loadSeeds(db, createServices(config.database.dialect), files);
    console.log(
      `Seeded ${files.length} file(s): ${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged.`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(
    err instanceof SeedError
      ? `Seed file invalid, nothing written: ${err.message}`
      : printableError(err, true),
  );
  process.exit(1);
});
