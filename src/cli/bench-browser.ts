import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';

const root = path.resolve(__dirname, '..', '..');

const program = new Command('bench:browser')
  .description(
    'Measures the org-chart widget in headless Chromium with the Performance API, on the synthetic national directory: first chart (server cache cold and warm), an expansion, the longest task of a fully expanded prefecture. Writes its section of docs/benchmarks.md.',
  )
  .option(
    '--runs <n>',
    'runs of each measurement (medians are reported)',
    (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer.');
      return n;
    },
    5,
  )
  .action(async (opts: { runs: number }) => {
    // Note: entities pick their column types from DATABASE_URL when first loaded (SQLite here).
    process.env.DATABASE_URL = 'sqlite::memory:';
    const { runFrontBench } = await import('../browser/front-bench');
    const { frontSection } = await import('../browser/front-report');
    const { replaceSection, formatMarkdown } = await import('../bench/outputs');
    const report = await runFrontBench({
      runs: opts.runs,
      root,
      database: 'sqlite',
      log: (line) => console.error(line),
    });
    const results = path.join(root, 'bench', 'results', 'browser-national-sqlite.json');
    fs.writeFileSync(results, `${JSON.stringify(report, null, 2)}\n`);
    const markdown = path.join(root, 'docs', 'benchmarks.md');
    const doc = replaceSection(fs.readFileSync(markdown, 'utf8'), 'browser', frontSection(report));
    fs.writeFileSync(markdown, await formatMarkdown(doc, markdown));
    console.log(frontSection(report));
  });

program.parseAsync().catch((err) => {
  console.error(err);
  process.exit(1);
});
