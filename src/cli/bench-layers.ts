import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';

const root = path.resolve(__dirname, '..', '..');

const positive = (what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`${what}: a positive integer.`);
  return n;
};

const program = new Command('bench:layers')
  .description(
    'Profiles a production gateway on the synthetic national directory while it serves Q0 and the cached chart, and reports what each layer (request log, helmet, cors, rate limit, limits, answer cache, SQL counter, …) costs. Writes its section of docs/benchmarks.md.',
  )
  .option('--duration <s>', 'seconds per query', positive('duration'), 5)
  .option('--connections <n>', 'concurrent connections', positive('connections'), 10)
  .action(async (opts: { duration: number; connections: number }) => {
    // Note: entities pick their column types from DATABASE_URL when first loaded (SQLite here).
    process.env.DATABASE_URL = 'sqlite::memory:';
    const { runLayersBench, layersSection } = await import('../bench/layers');
    const { replaceSection, formatMarkdown } = await import('../bench/outputs');
    const report = await runLayersBench({ ...opts, root, log: (l) => console.error(l) });
    const results = path.join(root, 'bench', 'results', 'layers-national-sqlite.json');
    fs.writeFileSync(results, `${JSON.stringify(report, null, 2)}\n`);
    const markdown = path.join(root, 'docs', 'benchmarks.md');
    const section = layersSection(report);
    const doc = replaceSection(fs.readFileSync(markdown, 'utf8'), 'layers', section);
    fs.writeFileSync(markdown, await formatMarkdown(doc, markdown));
    console.log(section);
  });

program.parseAsync().catch((err) => {
  console.error(err);
  process.exit(1);
});
