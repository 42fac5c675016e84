import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config';
import { createLogger, printableError } from '../logger';
import { openDatabase } from '../app/gateway';
import { ApiKeyService } from '../modules/auth/api-key.service';
import { KEY_ROLES, Role } from '../graphql/role';

/** Runs `fn` with the key service on the configured database, then closes it. */
async function withKeys<T>(fn: (keys: ApiKeyService) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase(
    config,
    createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel),
  );
  try {
    return await fn(new ApiKeyService(db));
  } finally {
    await db.destroy();
  }
}

function parseExpiry(value: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime()))
    throw new InvalidArgumentError('expected a date (YYYY-MM-DD) or an ISO date-time');
  if (date <= new Date()) throw new InvalidArgumentError('the expiry must be in the future');
  return date;
}

const program = new Command('keys').description(
  'Manage the API keys of annuaire-graphql (on the database of DATABASE_URL).',
);

program
  .command('create')
  .description('Create a key and print it, once: only its hash is stored.')
  .requiredOption('--name <name>', 'who or what the key is for')
  .addOption(
    new Option('--role <role>', 'what the key may do').choices(KEY_ROLES).makeOptionMandatory(),
  )
  .option('--expires <date>', 'expiry date (YYYY-MM-DD) or date-time', parseExpiry)
  .action(async (opts: { name: string; role: Role; expires?: Date }) => {
    const { key, record } = await withKeys((keys) =>
      keys.create(opts.name, opts.role, opts.expires ?? null),
    );
    console.log(
      `Created key ${record.prefix} (${record.role}) for "${record.name}"${record.expiresAt ? `, expires ${record.expiresAt.toISOString()}` : ''}.`,
    );
    console.log('The key is shown once; store it now:');
    console.log(key);
  });

program
  .command('list')
  .description('List the keys, without their secrets.')
  .action(async () => {
    const list = await withKeys((keys) => keys.list());
    const rows = list.map((k) => ({
      id: k.id,
      prefix: k.prefix,
      name: k.name,
      role: k.role,
      created: k.createdAt.toISOString(),
      expires: k.expiresAt?.toISOString() ?? '',
      status: k.revokedAt
        ? 'revoked'
        : k.expiresAt && k.expiresAt <= new Date()
          ? 'expired'
          : 'active',
    }));
    if (rows.length === 0) console.log('No keys.');
    else console.table(rows);
  });

program
  .command('revoke')
  .description('Revoke a key by its prefix or id; requests with it are refused at once.')
  .argument('<prefix-or-id>', 'the key to revoke')
  .action(async (which: string) => {
    const key = await withKeys((keys) => keys.revoke(which));
    if (!key) {
      console.error(`No key has the prefix or id "${which}".`);
      process.exitCode = 1;
      return;
    }
    console.log(`Revoked key ${key.prefix} ("${key.name}").`);
  });

program.parseAsync().catch((err) => {
  console.error(printableError(err));
  process.exit(1);
});
