import 'reflect-metadata';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';

const positive = (what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be positive.`);
  return n;
};

const program = new Command('bench')
  .description(
    'Benchmarks the gateway over HTTP against the B0 (raw HTTP) and B1 (raw SQL) baselines, checking every response; writes bench/results/, docs/benchmarks.md and its SVG chart.',
  )
  .addOption(
    new Option('--dataset <name>', 'data to serve').choices(['seed', 'national']).default('seed'),
  )
  .addOption(
    new Option(
      '--database <name>',
      'database of the gateway (postgres: on the server of DATABASE_URL)',
    )
      .choices(['sqlite', 'postgres'])
      .default('sqlite'),
  )
  .option('--duration <s>', 'seconds of load per query and target', positive('duration'), 10)
  .option('--connections <n>', 'concurrent connections', positive('connections'), 10)
  .option('--only <ids>', 'only these queries, e.g. Q1,Q4', (v: string) => v.split(','))
  .action(
    async (opts: {
      dataset: 'seed' | 'national';
      database: 'sqlite' | 'postgres';
      duration: number;
      connections: number;
      only?: string[];
    }) => {
      const env = process.env.DATABASE_URL ?? '';
      const postgresUrl = env.startsWith('postgres')
        ? env
        : 'postgres://postgres@127.0.0.1:5432/postgres';
      // Note: entities pick their column types from DATABASE_URL when first loaded, so it must
      // name the benchmarked dialect before the harness is; the harness sets the real URL.
      process.env.DATABASE_URL = opts.database === 'postgres' ? postgresUrl : 'sqlite::memory:';
      const { runBench } = await import('../bench/run');
      const report = await runBench({
        ...opts,
        connections: Math.round(opts.connections),
        root: path.resolve(__dirname, '..', '..'),
        postgresUrl,
        log: (line) => console.error(line),
      });
      console.log(
        report.passed
          ? `Benchmark ${report.dataset}/${report.database}: every response checked and correct. See docs/benchmarks.md.`
          : `Benchmark ${report.dataset}/${report.database} FAILED: some responses were wrong (see docs/benchmarks.md).`,
      );
      process.exitCode = report.passed ? 0 : 1;
    },
  );

program.parseAsync().catch((err) => {
  console.error(err);
  process.exit(1);
});
