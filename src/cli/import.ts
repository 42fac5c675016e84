import 'reflect-metadata';
import { Command, Option } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '../config';
import { createLogger, printableError } from '../logger';
import { openDatabase } from '../app/gateway';
import { createServices } from '../app/services';
import { importAnnuaireFile, ImportProgress, OnError } from '../modules/import/annuaire-import';
import {
  formatProblem,
  IMPORTED_TYPES,
  ImportAbortedError,
  ImportFileError,
  ImportProblem,
  ImportResult,
} from '../modules/import/import-report';

/** Plain progress lines are printed every this many records (and at the end of each phase). */
const PLAIN_EVERY = 500;
/** Warnings printed at most; missing links and left-out records are always all printed. */
const MAX_WARNINGS = 50;

/**
 * Progress on stderr: a bar on a terminal, plain lines otherwise (logs, CI, pipes).
 * Returns the callback and a function that ends the display.
 */
function progressDisplay(): { onProgress: (p: ImportProgress) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: '{phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true },
      Presets.shades_classic,
    );
    let phase = '';
    return {
      onProgress(p) {
        if (p.phase !== phase) {
          if (phase) bar.stop();
          phase = p.phase;
          bar.start(p.total, 0, { phase });
        }
        bar.update(p.done);
      },
      stop: () => bar.stop(),
    };
  }
  return {
    onProgress(p) {
      if (p.done % PLAIN_EVERY === 0 || p.done === p.total)
        console.error(`${p.phase}: ${p.done}/${p.total}`);
    },
    stop: () => undefined,
  };
}

/** Prints problems on stderr: all but warnings in full, warnings up to MAX_WARNINGS. */
function printProblems(problems: ImportProblem[]): void {
  const warnings = problems.filter((p) => p.kind === 'warning');
  const shown = problems.filter((p) => p.kind !== 'warning' || warnings.indexOf(p) < MAX_WARNINGS);
  for (const p of shown) console.error(formatProblem(p));
  if (warnings.length > MAX_WARNINGS)
    console.error(`… and ${warnings.length - MAX_WARNINGS} more warnings.`);
}

/** The counts by record type, as a table; and a last line that says whether anything changes. */
function printSummary(result: ImportResult): void {
  const counts = `${result.records} record(s), ${result.imported} imported, ${result.skipped} skipped`;
  console.log(
    result.dryRun
      ? `Dry run of ${result.file}: ${counts}. What the import would create, update and leave alone:`
      : `Imported ${result.file} as import:${result.file}: ${counts}.`,
  );
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  console.log(
    `${'record type'.padEnd(20)}${pad('created', 9)}${pad('updated', 9)}${pad('unchanged', 11)}`,
  );
  for (const type of IMPORTED_TYPES) {
    const c = result.summary[type];
    console.log(
      `${type.padEnd(20)}${pad(c.created, 9)}${pad(c.updated, 9)}${pad(c.unchanged, 11)}`,
    );
  }
  const changes = IMPORTED_TYPES.reduce(
    (n, t) => n + result.summary[t].created + result.summary[t].updated,
    0,
  );
  if (changes === 0) console.log('All unchanged: nothing to write.');
  if (result.dryRun) console.log('Dry run: nothing was written.');
}

const program = new Command('import')
  .description(
    "Import a file in the Annuaire de l'administration export format into the database of DATABASE_URL.",
  )
  .argument('<file>', 'the file to import')
  .addOption(
    new Option('--format <format>', 'the format of the file')
      .choices(['annuaire'])
      .makeOptionMandatory(),
  )
  .option('--dry-run', 'import in a transaction that is rolled back: print what would change')
  .addOption(
    new Option('--on-error <mode>', 'on a malformed record: abort with nothing written, or skip it')
      .choices(['abort', 'skip'])
      .default('abort'),
  )
  .action(async (file: string, opts: { dryRun?: boolean; onError: OnError }) => {
    const config = loadConfig();
    const db = await openDatabase(
      config,
      createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel),
    );
    const progress = progressDisplay();
    try {
      const result = await importAnnuaireFile(db, createServices(config.database.dialect), file, {
        onError: opts.onError,
        dryRun: opts.dryRun ?? false,
        onProgress: progress.onProgress,
      });
      progress.stop();
      printProblems(result.problems);
      printSummary(result);
    } finally {
      progress.stop();
      await db.destroy();
    }
  });

program.parseAsync().catch((err) => {
  if (err instanceof ImportAbortedError) {
    printProblems(err.problems);
    console.error(
      `Import aborted: ${err.problems.filter((p) => p.kind === 'malformed' || p.kind === 'rejected').length} record(s) cannot be imported; nothing was written. Fix them, or pass --on-error skip.`,
    );
  } else if (err instanceof ImportFileError) {
    console.error(`Cannot import: ${printableError(err)}`);
  } else {
    console.error(printableError(err));
  }
  process.exit(1);
});
