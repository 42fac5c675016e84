import Database from 'better-sqlite3';
import { freshDatabase, usingPostgres } from '../helpers/gateway';
import { createKey, gqlAs, startServerProcess } from '../helpers/server-process';
import { startReceiver } from '../helpers/webhook-receiver';
import { adminQuery } from '../../src/db/postgres-admin';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

/**
 * The built server stopped (SIGTERM) while a webhook attempt is in flight: the attempt is
 * aborted at once (the server does not wait for the receiver), the batch is handed back
 * uncounted, and the next start delivers it with the same webhook-id.
 */

const SERVICES = seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne');
const ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_BATCH_MS: '50',
  WEBHOOK_TIMEOUT_MS: '20000',
  SHUTDOWN_GRACE_MS: '0',
};

/** The delivery rows, read straight from the database the server left. */
async function deliveryRows(url: string) {
  const sql = `SELECT id, status, attempts, "leaseOwner", "lastError" FROM webhook_delivery`;
  if (usingPostgres) return (await adminQuery(url, sql)) as Array<Record<string, unknown>>;
  const db = new Database(url.slice('sqlite:'.length), { readonly: true });
  try {
    return db.prepare(sql).all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

describe('webhook deliveries at shutdown', () => {
  let database: { url: string; drop: () => Promise<void> };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let server: ReturnType<typeof startServerProcess> | null = null;

  beforeAll(async () => {
    [database, receiver] = await Promise.all([freshDatabase(), startReceiver()]);
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await receiver?.close();
    await database?.drop();
  });

  it('aborts the attempt in flight, hands the batch back, and the next start sends it with the same webhook-id', async () => {
    server = startServerProcess(database.url, ENV);
    const url = await server.ready;
    const [admin, editor] = [createKey(database.url, 'ADMIN'), createKey(database.url, 'EDITOR')];
    const made = (
      await gqlAs(
        url,
        `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) {
          secret userErrors { code } } }`,
        { input: { url: `${receiver.base}/stop` } },
        admin,
      )
    ).createWebhookSubscription as { secret: string; userErrors: unknown[] };
    expect(made.userErrors).toEqual([]);
    receiver.on('/stop', made.secret, (n) => (n === 0 ? { hold: true } : { status: 200 }));
    await gqlAs(
      url,
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } } }`,
      {
        input: {
          slug: 'bureau-arret',
          name: 'Bureau arrêt',
          kind: 'BUREAU',
          parentId: toGlobalId('OrgUnit', SERVICES),
        },
      },
      editor,
    );
    const [first] = await receiver.waitFor('/stop', 1);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // Note: the receiver still holds the request: the server aborted the attempt, and did not
    // wait for the answer (WEBHOOK_TIMEOUT_MS is 20 s, beyond this test's time).
    expect(await deliveryRows(database.url)).toEqual([
      {
        id: first.id,
        status: 'PENDING',
        attempts: 0,
        leaseOwner: null,
        lastError: 'the gateway stopped during the attempt',
      },
    ]);

    server = startServerProcess(database.url, ENV);
    await server.ready;
    const [, again] = await receiver.waitFor('/stop', 2);
    expect(again.id).toBe(first.id);
    expect(again.body).toBe(first.body);
    expect(again.verified).not.toBeNull();
    server.child.kill('SIGTERM');
    await server.exited;
  }, 50_000);
});
