import { freshDatabase, usingPostgres } from '../helpers/gateway';
import { createKey, gqlAs, startServerProcess } from '../helpers/server-process';
import { startReceiver } from '../helpers/webhook-receiver';
import { adminQuery } from '../../src/db/postgres-admin';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

/**
 * Two gateway processes (the built server) on one PostgreSQL: each batch is delivered by one of
 * them, once; when the one delivering is killed (-9) while the receiver holds the request open,
 * the other takes the batch over once its lease has expired and sends it again with the same
 * webhook-id. The design uses no Redis (the database is the only thing the instances share for
 * webhooks), so this suite needs PostgreSQL alone.
 */

const SERVICES = seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne');
const ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_BATCH_MS: '100',
  WEBHOOK_CONNECT_TIMEOUT_MS: '1000',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_BACKOFF_MS: '200',
};

type Server = ReturnType<typeof startServerProcess>;

/** The instance id a server's webhook worker logged at start. */
function instanceOf(server: Server): string {
  const line = server
    .output()
    .split('\n')
    .find((l) => l.includes('webhook worker started'))!;
  return JSON.parse(line).instance;
}

if (!usingPostgres) console.warn('Skipping the two-instance webhook tests: they need PostgreSQL.');
(usingPostgres ? describe : describe.skip)('webhooks across two instances (PostgreSQL)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let a: Server;
  let b: Server;
  let urlA: string;
  let urlB: string;
  let admin: string;
  let editor: string;
  let units = 0;

  beforeAll(async () => {
    [database, receiver] = await Promise.all([freshDatabase(), startReceiver()]);
    a = startServerProcess(database.url, ENV);
    urlA = await a.ready;
    b = startServerProcess(database.url, ENV);
    urlB = await b.ready;
    [admin, editor] = [createKey(database.url, 'ADMIN'), createKey(database.url, 'EDITOR')];
  }, 60_000);
  afterAll(async () => {
    for (const server of [a, b]) {
      if (server && server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }
    await receiver?.close();
    await database?.drop();
  });

  async function subscribe(url: string, pathname: string) {
    const data = await gqlAs(
      url,
      `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) {
        subscription { id } secret userErrors { code } } }`,
      { input: { url: `${receiver.base}${pathname}` } },
      admin,
    );
    const made = data.createWebhookSubscription as {
      subscription: { id: string };
      secret: string;
      userErrors: unknown[];
    };
    expect(made.userErrors).toEqual([]);
    receiver.on(pathname, made.secret);
    return made.subscription.id;
  }
  async function createUnit(url: string) {
    units += 1;
    await gqlAs(
      url,
      `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } userErrors { code } } }`,
      {
        input: {
          slug: `bureau-instances-${units}`,
          name: `Bureau instances ${units}`,
          kind: 'BUREAU',
          parentId: toGlobalId('OrgUnit', SERVICES),
        },
      },
      editor,
    );
  }
  async function deliveries(url: string, id: string) {
    const data = await gqlAs(
      url,
      `query($id: ID) { webhookDeliveries(subscriptionId: $id, first: 100) { id status attempts } }`,
      { id },
      admin,
    );
    return data.webhookDeliveries as Array<{ id: string; status: string; attempts: number }>;
  }

  it('delivers each batch once, not once per instance', async () => {
    const sub = await subscribe(urlA, '/once');
    for (let i = 0; i < 6; i++) {
      await createUnit(i % 2 ? urlA : urlB);
      await new Promise((r) => setTimeout(r, 150));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const got = receiver.at('/once');
    const made = await deliveries(urlB, sub);
    expect(made.length).toBeGreaterThan(1);
    expect(made.every((d) => d.status === 'DELIVERED' && d.attempts === 1)).toBe(true);
    expect(got.map((r) => r.id).sort()).toEqual(made.map((d) => d.id).sort());
    expect(got.every((r) => r.verified)).toBe(true);
    const sequences = got.flatMap((r) => r.verified!.data.changes.map((c) => c.sequence));
    expect(new Set(sequences).size).toBe(sequences.length);
    expect(sequences.length).toBe(6);
  });

  it('when the delivering instance is killed mid-delivery, the other sends the batch again with the same webhook-id', async () => {
    receiver.behave('/held', (n) => (n === 0 ? { hold: true } : { status: 200 }));
    const sub = await subscribe(urlB, '/held');
    await createUnit(urlA);
    const [first] = await receiver.waitFor('/held', 1);
    const rows = (await adminQuery(
      database.url,
      `SELECT "leaseOwner" FROM webhook_delivery WHERE id = $1`,
      [first.id],
    )) as Array<{ leaseOwner: string }>;
    const owner = rows[0].leaseOwner;
    const [victim, survivor, survivorUrl] = owner === instanceOf(a) ? [a, b, urlB] : [b, a, urlA];
    expect(owner).toBe(instanceOf(victim));
    victim.child.kill('SIGKILL');
    await victim.exited;
    const [, again] = await receiver.waitFor('/held', 2, 20_000);
    expect(again.id).toBe(first.id);
    expect(again.body).toBe(first.body);
    expect(again.verified).not.toBeNull();
    let [delivery] = await deliveries(survivorUrl, sub);
    for (let i = 0; i < 100 && delivery.status !== 'DELIVERED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [delivery] = await deliveries(survivorUrl, sub);
    }
    expect(delivery).toMatchObject({ id: first.id, status: 'DELIVERED', attempts: 2 });
    const after = (await adminQuery(
      database.url,
      `SELECT "leaseOwner" FROM webhook_delivery WHERE id = $1`,
      [first.id],
    )) as Array<{ leaseOwner: string | null }>;
    expect(after[0].leaseOwner).toBeNull();
    expect(survivor.child.exitCode).toBeNull();
  }, 40_000);
});
