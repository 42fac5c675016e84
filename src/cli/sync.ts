import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { MirrorEvent, SyncSummary } from '../modules/sync/mirror';
import { printableError, scrubSecrets } from '../secrets';

interface SyncOptions {
  from: string;
  key?: string;
  database: string;
  watch?: boolean;
  /** `--no-push`: poll even when the remote has the subscription. */
  push?: boolean;
  pushRetry: number;
  pageSize: number;
}

function parseUrl(value: string): string {
  if (!/^https?:\/\/\S+$/.test(value))
    throw new InvalidArgumentError('expected the http(s) URL of a GraphQL endpoint');
  return value;
}

function parseDatabase(value: string): string {
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(value))
    throw new InvalidArgumentError('expected sqlite:<file> or postgres://…');
  return value;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 86_400)
    throw new InvalidArgumentError('expected a whole number of seconds from 1 to 86400');
  return n;
}

function parsePageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
}

/** One progress line per event, on stdout. */
function describe(event: MirrorEvent): string {
  switch (event.kind) {
    case 'snapshot':
      return `snapshot (${event.reason}): ${event.records} records, as of cursor ${event.asOf}`;
    case 'page':
      return `applied ${event.applied} change(s), skipped ${event.skipped}${event.lastSequence !== null ? `, through sequence ${event.lastSequence}` : ''}; ${event.more ? 'more to come' : 'up to date'}`;
    case 'retry':
      return `${event.error}; retrying in ${Math.round(event.delayMs / 1000)} s`;
    case 'unstorable':
      return `${event.error} Taking a new snapshot instead.`;
    case 'live':
      return 'following the subscription (push)';
    case 'pushed':
      return `${event.outcome} 1 change (pushed), through sequence ${event.sequence}`;
    case 'fallback':
      return `the subscription is unavailable (${event.reason}); polling, trying it again in ${Math.round(event.retryInMs / 1000)} s`;
  }
}

function summarize(s: SyncSummary): string {
  return `done: ${s.snapshots} snapshot(s), ${s.applied} change(s) applied, ${s.skipped} skipped`;
}

async function run(opts: SyncOptions): Promise<void> {
  // Note: column types depend on the dialect of DATABASE_URL when the entities are imported, so
  // it is set before the modules that import them are loaded.
  process.env.DATABASE_URL = opts.database;
  const { loadConfig } = await import('../config');
  const { createLogger } = await import('../logger');
  const { openDatabase } = await import('../app/gateway');
  const { Mirror } = await import('../modules/sync/mirror');
  const { RemoteGateway } = await import('../modules/sync/remote');
  const config = loadConfig({ ...process.env, DATABASE_URL: opts.database });
  const db = await openDatabase(config, createLogger('warn'));
  const mirror = new Mirror(db, new RemoteGateway(opts.from, opts.key), {
    pageSize: opts.pageSize,
    push: opts.watch && opts.push !== false ? { retryMs: opts.pushRetry * 1000 } : undefined,
    onEvent: (event) => console.log(scrubSecrets(describe(event))),
  });
  const stop = (signal: string) => {
    console.log(`${signal}: stopping after the change in progress`);
    mirror.stop();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  try {
    if (opts.watch) await mirror.watch();
    else console.log(summarize(await mirror.sync()));
  } finally {
    await db.destroy();
  }
}

const program = new Command('sync')
  .description(
    'Mirror a remote annuaire-graphql gateway into a local database: a snapshot first, then the change feed. The local database is itself a working gateway (npm start on it).',
  )
  .requiredOption('--from <url>', 'GraphQL URL of the remote gateway', parseUrl)
  .addOption(
    new Option(
      '--key <key>',
      'API key for the remote: a SYNC key (an ADMIN key also copies private fields)',
    ).env('SYNC_API_KEY'),
  )
  .option('--database <url>', 'the local database', parseDatabase, 'sqlite:./data/mirror.sqlite')
  .option(
    '--watch',
    'keep following the changes until SIGINT or SIGTERM: pushed by the subscription, else polled with backoff',
  )
  .option('--no-push', 'with --watch, poll the feed even when the subscription is available')
  .option(
    '--push-retry <seconds>',
    'with --watch, seconds of polling before trying the subscription again after it failed',
    parseSeconds,
    60,
  )
  .option('--page-size <n>', 'changes per page of the feed (1 to 1000)', parsePageSize, 100)
  .action(run);

program.parseAsync().catch((err) => {
  console.error(printableError(err));
  process.exit(1);
});
