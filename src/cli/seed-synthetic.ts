import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../config';
import { createLogger, printableError } from '../logger';
import { openDatabase } from '../app/gateway';
import { DEFAULT_SEED, generateDirectory } from '../modules/synthetic/generate';
import { DirectoryNotEmptyError, writeDirectory, WriteProgress } from '../modules/synthetic/write';

/** `--scale`: `national` (1) or a positive number of times the national directory. */
export function parseScale(value: string): number {
  if (value === 'national') return 1;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100)
    throw new InvalidArgumentError('give "national" or a number between 0 and 100.');
  return n;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new InvalidArgumentError('give an integer between 0 and 4294967295.');
  return n;
}

/** Progress on stderr: a bar on a terminal, a line per tenth otherwise. */
function progressDisplay(): { progress: WriteProgress; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: 'writing [{bar}] {percentage}% {value}/{total} rows ({table})', hideCursor: true },
      Presets.shades_classic,
    );
    let started = false;
    return {
      progress(done, total, table) {
        if (!started) bar.start(total, 0, { table });
        started = true;
        bar.update(done, { table });
      },
      stop: () => bar.stop(),
    };
  }
  let nextTenth = 1;
  return {
    progress(done, total, table) {
      while (done >= (total * nextTenth) / 10) {
        console.error(`writing: ${nextTenth * 10}% (${done}/${total} rows, ${table})`);
        nextTenth += 1;
      }
    },
    stop: () => undefined,
  };
}

const program = new Command('seed:synthetic')
  .description(
    'Generates a synthetic national directory (101 prefectures per unit of scale) into the configured database, deterministically from a seed.',
  )
  .option('--scale <scale>', '"national" or a multiple of it, e.g. 10', parseScale, 1)
  .option('--seed <n>', 'seed of the generator', parseSeed, DEFAULT_SEED)
  .option('--replace', 'delete every record of the directory first', false)
  .action(async (opts: { scale: number; seed: number; replace: boolean }) => {
    const config = loadConfig();
    const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const started = Date.now();
    const db = await openDatabase(config, log);
    const display = progressDisplay();
    try {
      const dir = generateDirectory({ scale: opts.scale, seed: opts.seed });
      console.error(
        `generated in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dir.units.length} units, ${dir.posts.length} posts, ${dir.people.length} people, ${dir.appointments.length} appointments, ${dir.missions.length} missions, ${dir.responsibilities.length} responsibilities`,
      );
      const records = await writeDirectory(db, dir, {
        replace: opts.replace,
        actor: 'seed:synthetic',
        progress: display.progress,
      });
      display.stop();
      console.log(
        `Wrote ${records} records to ${config.database.dialect} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      );
    } catch (e) {
      display.stop();
      if (e instanceof DirectoryNotEmptyError) {
        console.error(e.message);
        process.exitCode = 1;
        return;
      }
      throw e;
    } finally {
      await db.destroy();
    }
  });

program.parseAsync().catch((err) => {
  console.error(printableError(err, true));
  process.exit(1);
});
