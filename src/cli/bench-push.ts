import 'reflect-metadata';
import path from 'node:path';
import { Command } from 'commander';

const root = path.resolve(__dirname, '..', '..');

const program = new Command('bench:push')
  .description(
    'Measures the push side across instances: the latency of directoryChanges events from a write on gateway A to subscribers on gateway B (SQLite in one process; two processes on PostgreSQL with heads over Redis, then over LISTEN/NOTIFY), and webhook throughput and lag under a burst of 1,000 changes with one and two gateways delivering. Needs a build (dist/), and PostgreSQL and Redis unless --skip-postgres. Writes bench/results/push.json and its section of docs/benchmarks.md.',
  )
  .option('--quick', 'small sizes (the smoke test)', false)
  .option('--skip-postgres', 'SQLite only: no PostgreSQL and no Redis', false)
  .option(
    '--postgres-url <url>',
    'the PostgreSQL server the benchmark creates (and drops) its databases on',
    (process.env.DATABASE_URL ?? '').startsWith('postgres')
      ? process.env.DATABASE_URL
      : 'postgres://postgres@127.0.0.1:5432/postgres',
  )
  .option(
    '--redis-url <url>',
    'the Redis of the Redis set-up',
    process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  )
  .option(
    '--out-dir <dir>',
    'where to write results/push.json and docs/benchmarks.md instead of the repository',
  )
  .action(
    async (opts: {
      quick: boolean;
      skipPostgres: boolean;
      postgresUrl: string;
      redisUrl: string;
      outDir?: string;
    }) => {
      // Note: entities pick their column types from DATABASE_URL when first loaded (SQLite here).
      process.env.DATABASE_URL = 'sqlite::memory:';
      const { runPushBench, writePushOutputs } = await import('../bench/push');
      const report = await runPushBench({ ...opts, root, log: (l) => console.error(l) });
      const out = opts.outDir ? path.resolve(opts.outDir) : null;
      const { section } = await writePushOutputs(report, {
        resultsDir: out ? path.join(out, 'results') : path.join(root, 'bench', 'results'),
        docsDir: out ? path.join(out, 'docs') : path.join(root, 'docs'),
      });
      console.log(section);
    },
  );

program.parseAsync().catch((err) => {
  console.error(err);
  process.exit(1);
});
