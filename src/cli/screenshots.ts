import 'reflect-metadata';
import path from 'node:path';
import { Command } from 'commander';

const root = path.resolve(__dirname, '..', '..');

const program = new Command('screenshots')
  .description(
    'Takes the screenshots of the widget and the chart page (docs/screenshots/) in headless Chromium, from the seed data and the synthetic national directory.',
  )
  .option('--out <dir>', 'folder of the PNG files', path.join(root, 'docs', 'screenshots'))
  .option('--only <names>', 'only these shots, e.g. widget-card,chart-page', (v: string) =>
    v.split(','),
  )
  .action(async (opts: { out: string; only?: string[] }) => {
    // Note: entities pick their column types from DATABASE_URL when first loaded; the gateways
    // run on SQLite files, so it must say SQLite before they are imported.
    process.env.DATABASE_URL = 'sqlite::memory:';
    const { takeScreenshots } = await import('../browser/screenshots');
    const files = await takeScreenshots({
      outDir: path.resolve(opts.out),
      only: opts.only,
      root,
      database: 'sqlite',
      log: (line) => console.error(line),
    });
    console.log(`Wrote ${files.length} screenshot(s) to ${path.resolve(opts.out)}.`);
  });

program.parseAsync().catch((err) => {
  console.error(err);
  process.exit(1);
});
