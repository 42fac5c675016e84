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

const program = new Command('bench:compression')
  .description(
    'Measures the cost of compressing GraphQL answers (br, gzip, none) on a large answer of the synthetic national directory, cached and uncached, with autocannon. Writes its section of docs/benchmarks.md.',
  )
  .option('--duration <s>', 'seconds per run', positive('duration'), 5)
  .option('--connections <n>', 'concurrent connections', positive('connections'), 10)
  .option('--runs <n>', 'runs per encoding (medians are reported)', positive('runs'), 3)
  .action(async (opts: { duration: number; connections: number; runs: number }) => {
    // Note: entities pick their column types from DATABASE_URL when first loaded (SQLite here).
    process.env.DATABASE_URL = 'sqlite::memory:';
    const { runCompressionBench, compressionSection } = await import('../bench/compression');
    const { replaceSection, formatMarkdown } = await import('../bench/outputs');
    const report = await runCompressionBench({ ...opts, root, log: (l) => console.error(l) });
    const results = path.join(root, 'bench', 'results', 'compression-national-sqlite.json');
    fs.writeFileSync(results, `${JSON.stringify(report, null, 2)}\n`);
    const markdown = path.join(root, 'docs', 'benchmarks.md');
    const section = compressionSection(report);
    const doc = replaceSection(fs.readFileSync(markdown, 'utf8'), 'compression', section);
    fs.writeFileSync(markdown, await formatMarkdown(doc, markdown));
    console.log(section);
  });

program.parseAsync().catch((err) => {
  console.error(err);
  process.exit(1);
});
