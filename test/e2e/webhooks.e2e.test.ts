import type { AddressInfo } from 'node:net';
import express from 'express';
import { Webhook } from 'standardwebhooks';
import { startSiblingGateway, startTestGateway, TestGateway } from '../helpers/gateway';
import { startReceiver } from '../helpers/webhook-receiver';
import { databaseFingerprint } from '../helpers/snapshot';
import { Role } from '../../src/graphql/role';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';
import { compactChangeLog } from '../../src/modules/sync/change-feed';

const SERVICES = seedUuid('OrgUnit', 'services-du-cabinet-seine-et-marne');
const ONACVG = seedUuid('OrgUnit', 'onacvg');
const METRICS_TOKEN = 'metrics-token-for-the-webhook-test';

const SUBSCRIPTION = 'id url subtree types description enabled disabledReason cursor';
const CREATE = `mutation($input: CreateWebhookSubscriptionInput!) {
  createWebhookSubscription(input: $input) {
    subscription { ${SUBSCRIPTION} } secret userErrors { field code message }
  }
}`;
const UPDATE = `mutation($input: UpdateWebhookSubscriptionInput!) {
  updateWebhookSubscription(input: $input) { subscription { ${SUBSCRIPTION} } userErrors { field code } }
}`;
const DELETE = `mutation($input: DeleteWebhookSubscriptionInput!) {
  deleteWebhookSubscription(input: $input) { subscription { id } userErrors { field code } }
}`;
const LIST = `{ webhookSubscriptions { ${SUBSCRIPTION} } }`;
const DELIVERIES = `query($id: ID) { webhookDeliveries(subscriptionId: $id) {
  id subscriptionId status attempts entryCount cursor lastError lastStatusCode latencyMs deliveredAt } }`;
const FEED = `query($after: String, $subtree: ID, $types: [EntityType!]) {
  changes(after: $after, first: 1000, subtree: $subtree, types: $types) {
    pageInfo { endCursor }
    nodes { sequence operation entityType entityId version occurredAt changedFields { field before after }
      node { __typename id } tombstone { id reason } surrogateKeys }
  }
}`;
const CREATE_UNIT = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } userErrors { code } } }`;

interface Sub {
  id: string;
  url: string;
  subtree: string | null;
  types: string[] | null;
  enabled: boolean;
  disabledReason: string | null;
  cursor: string;
}
interface Delivery {
  id: string;
  status: string;
  attempts: number;
  entryCount: number;
  cursor: string;
  lastError: string | null;
  lastStatusCode: number | null;
  latencyMs: number | null;
}

const ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_POLL_MS: '25',
  WEBHOOK_BATCH_MS: '300',
  WEBHOOK_BATCH_SIZE: '3',
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_BACKOFF_MS: '200',
  WEBHOOK_BACKOFF_MAX_MS: '800',
  WEBHOOK_CONNECT_TIMEOUT_MS: '1000',
  WEBHOOK_TIMEOUT_MS: '1000',
  METRICS_TOKEN,
};

describe('webhooks', () => {
  let gw: TestGateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let admin: Record<string, string>;
  let editor: Record<string, string>;
  let units = 0;

  beforeAll(async () => {
    [gw, receiver] = await Promise.all([startTestGateway(ENV), startReceiver()]);
    admin = { authorization: `Bearer ${(await gw.auth.keys.create('wh admin', Role.ADMIN)).key}` };
    editor = {
      authorization: `Bearer ${(await gw.auth.keys.create('wh editor', Role.EDITOR)).key}`,
    };
  });
  afterAll(async () => {
    await gw?.stop();
    await receiver?.close();
  });

  async function create(input: Record<string, unknown>) {
    const res = await gw.gql<{
      createWebhookSubscription: {
        subscription: Sub | null;
        secret: string | null;
        userErrors: Array<{ code: string; field: string[] }>;
      };
    }>(CREATE, { input }, admin);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createWebhookSubscription;
  }
  /** A subscription whose deliveries reach `path` on the receiver, verified with its secret. */
  async function subscribe(path: string, input: Record<string, unknown> = {}) {
    const made = await create({ url: `${receiver.base}${path}`, ...input });
    expect(made.userErrors).toEqual([]);
    receiver.on(path, made.secret!);
    return made.subscription!;
  }
  async function remove(id: string) {
    const res = await gw.gql(DELETE, { input: { id } }, admin);
    expect(res.body.errors).toBeUndefined();
  }
  async function createUnit(parent = SERVICES) {
    units += 1;
    const res = await gw.gql<{ createUnit: { unit: { id: string } } }>(
      CREATE_UNIT,
      {
        input: {
          slug: `bureau-webhook-${units}`,
          name: `Bureau webhook ${units}`,
          kind: 'BUREAU',
          parentId: toGlobalId('OrgUnit', parent),
        },
      },
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.createUnit.unit.id;
  }
  async function deliveries(id: string): Promise<Delivery[]> {
    const res = await gw.gql<{ webhookDeliveries: Delivery[] }>(DELIVERIES, { id }, admin);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.webhookDeliveries;
  }
  async function until<T>(probe: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('is managed by ADMIN only: others are refused and nothing is written', async () => {
    const before = await databaseFingerprint(gw.db);
    const input = { url: `${receiver.base}/refused` };
    const asEditor = await gw.gql(CREATE, { input }, editor);
    expect(asEditor.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await gw.gql(CREATE, { input });
    expect(anonymous.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    for (const query of [LIST, DELIVERIES]) {
      const read = await gw.gql(query, {}, editor);
      expect(read.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await databaseFingerprint(gw.db)).toBe(before);
  });

  it('creates, lists, updates and deletes; the secret is shown once', async () => {
    const made = await create({
      url: `${receiver.base}/crud`,
      subtree: toGlobalId('OrgUnit', SERVICES),
      types: ['ORG_UNIT', 'ORG_UNIT'],
      description: 'Préfecture',
    });
    expect(made.userErrors).toEqual([]);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const sub = made.subscription!;
    expect(sub).toMatchObject({
      subtree: toGlobalId('OrgUnit', SERVICES),
      types: ['ORG_UNIT'],
      enabled: true,
      disabledReason: null,
    });
    const listed = await gw.gql<{ webhookSubscriptions: Sub[] }>(LIST, {}, admin);
    expect(listed.body.data!.webhookSubscriptions).toContainEqual(sub);
    // Note: no field gives the secret back.
    const again = await gw.gql(`{ webhookSubscriptions { id secret } }`, {}, admin);
    expect(again.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(listed.body)).not.toContain(made.secret);

    const updated = await gw.gql<{ updateWebhookSubscription: { subscription: Sub } }>(
      UPDATE,
      { input: { id: sub.id, subtree: null, types: [], description: 'Tout', enabled: false } },
      admin,
    );
    expect(updated.body.data!.updateWebhookSubscription.subscription).toMatchObject({
      subtree: null,
      types: null,
      enabled: false,
      disabledReason: 'Disabled by an administrator.',
    });
    await remove(sub.id);
    const gone = await gw.gql<{ webhookSubscriptions: Sub[] }>(LIST, {}, admin);
    expect(gone.body.data!.webhookSubscriptions.map((s) => s.id)).not.toContain(sub.id);
  });

  it('refuses hostile inputs with stable codes and writes nothing', async () => {
    const strict = await startSiblingGateway(gw, {
      ...ENV,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
      WEBHOOK_POLL_MS: '600000',
    });
    try {
      const before = await databaseFingerprint(gw.db);
      const cases: Array<[TestGateway, Record<string, unknown>, string, string]> = [
        [gw, { url: 'not a url' }, 'url', 'INVALID_URL'],
        [gw, { url: 'ftp://example.org/hook' }, 'url', 'INVALID_URL'],
        [gw, { url: 'file:///etc/passwd' }, 'url', 'INVALID_URL'],
        [gw, { url: `http://user:pw@127.0.0.1/` }, 'url', 'INVALID_URL'],
        [gw, { url: `https://example.org/${'a'.repeat(2100)}` }, 'url', 'INVALID_URL'],
        [gw, { url: 'http://no-such-host.invalid/' }, 'url', 'HOST_NOT_FOUND'],
        [
          gw,
          { url: `${receiver.base}/x`, description: 'a\u0000b' },
          'description',
          'INVALID_VALUE',
        ],
        [
          gw,
          { url: `${receiver.base}/x`, description: 'a\ud800b' },
          'description',
          'INVALID_VALUE',
        ],
        [gw, { url: `${receiver.base}/x\u0000` }, 'url', 'INVALID_VALUE'],
        [
          gw,
          { url: `${receiver.base}/x`, description: 'd'.repeat(501) },
          'description',
          'TOO_LONG',
        ],
        [
          gw,
          {
            url: `${receiver.base}/x`,
            subtree: toGlobalId('OrgUnit', seedUuid('OrgUnit', 'nowhere')),
          },
          'subtree',
          'NOT_FOUND',
        ],
        [gw, { url: `${receiver.base}/x`, subtree: 'garbage' }, 'subtree', 'NOT_FOUND'],
        [strict, { url: receiver.base }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://localhost:9/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://[::1]/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://[::ffff:127.0.0.1]/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://[::ffff:7f00:1]/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://169.254.169.254/latest/meta-data' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://10.1.2.3/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://192.168.0.1/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://0.0.0.0/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://[fd00::1]/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://[fe80::1]/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://224.0.0.1/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
        [strict, { url: 'http://2130706433/' }, 'url', 'ADDRESS_NOT_ALLOWED'],
      ];
      for (const [target, input, field, code] of cases) {
        const res = await target.gql<{
          createWebhookSubscription: {
            subscription: null;
            secret: null;
            userErrors: Array<{ code: string; field: string[] }>;
          };
        }>(CREATE, { input }, admin);
        expect(res.body.errors).toBeUndefined();
        const payload = res.body.data!.createWebhookSubscription;
        expect([input.url, payload.userErrors]).toEqual([
          input.url,
          [expect.objectContaining({ code, field: ['input', field] })],
        ]);
        expect(payload.subscription).toBeNull();
        expect(payload.secret).toBeNull();
      }
      const unknown = await gw.gql<{ updateWebhookSubscription: { userErrors: unknown[] } }>(
        UPDATE,
        { input: { id: 'nope', description: 'x' } },
        admin,
      );
      expect(unknown.body.data!.updateWebhookSubscription.userErrors).toEqual([
        { field: ['input', 'id'], code: 'NOT_FOUND' },
      ]);
      const unknownDelete = await gw.gql<{ deleteWebhookSubscription: { userErrors: unknown[] } }>(
        DELETE,
        { input: { id: '00000000-0000-4000-8000-000000000000' } },
        admin,
      );
      expect(unknownDelete.body.data!.deleteWebhookSubscription.userErrors).toEqual([
        { field: ['input', 'id'], code: 'NOT_FOUND' },
      ]);
      const badType = await gw.gql(
        CREATE,
        { input: { url: receiver.base, types: ['NOPE'] } },
        admin,
      );
      expect(badType.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await databaseFingerprint(gw.db)).toBe(before);
    } finally {
      await strict.stop();
    }
  });

  it('delivers a write as a signed batch: the feed’s entries and the cursor after them', async () => {
    const sub = await subscribe('/all');
    const unit = await createUnit();
    const [got] = await receiver.waitFor('/all', 1);
    expect(got.verified).not.toBeNull();
    expect(got.id).toMatch(/^[0-9a-f-]{36}$/);
    const feed = await gw.gql<{
      changes: { pageInfo: { endCursor: string }; nodes: Array<Record<string, unknown>> };
    }>(FEED, { after: sub.cursor }, admin);
    const expected = feed.body.data!.changes;
    expect(got.verified!.type).toBe('directory.changes');
    expect(Date.parse(got.verified!.timestamp)).toBeGreaterThan(0);
    expect(got.verified!.data.subscriptionId).toBe(sub.id);
    expect(got.verified!.data.changes).toEqual(expected.nodes);
    expect(got.verified!.data.changes.map((c) => c.entityId)).toContain(unit);
    expect(got.verified!.data.cursor).toBe(expected.pageInfo.endCursor);
    // Note: a tampered body does not verify with the same headers.
    const [delivery] = await until(async () => {
      const list = await deliveries(sub.id);
      return list[0]?.status === 'DELIVERED' && list;
    });
    expect(delivery).toMatchObject({
      id: got.id,
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      cursor: expected.pageInfo.endCursor,
    });
    expect(delivery.latencyMs).toBeGreaterThanOrEqual(0);
    await remove(sub.id);
  });

  it('sends only what matches subtree and types, as the feed filters them', async () => {
    const subtree = toGlobalId('OrgUnit', ONACVG);
    const sub = await subscribe('/filtered', { subtree, types: ['ORG_UNIT'] });
    await createUnit(SERVICES);
    const inside = await createUnit(ONACVG);
    const [got] = await receiver.waitFor('/filtered', 1);
    const feed = await gw.gql<{ changes: { nodes: Array<{ entityId: string }> } }>(
      FEED,
      { after: sub.cursor, subtree, types: ['ORG_UNIT'] },
      admin,
    );
    expect(got.verified!.data.changes).toEqual(feed.body.data!.changes.nodes);
    expect(got.verified!.data.changes.map((c) => c.entityId)).toEqual([inside]);
    await remove(sub.id);
  });

  it('batches up to WEBHOOK_BATCH_SIZE entries, or what WEBHOOK_BATCH_MS gathered', async () => {
    const sub = await subscribe('/batches');
    const made = await Promise.all(Array.from({ length: 7 }, () => createUnit()));
    const got = await until(async () => {
      const seen = receiver.at('/batches');
      const count = seen.reduce((n, r) => n + r.verified!.data.changes.length, 0);
      return count >= 7 && seen;
    });
    const sizes = got.map((r) => r.verified!.data.changes.length);
    // Note: the writes queue for the write lock, so when the first batch goes depends on their pace;
    // the rules hold whatever it is: no batch over 3, a smaller one only once its oldest waited.
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((a, b) => a + b)).toBe(7);
    for (const r of got.filter((x) => x.verified!.data.changes.length < 3)) {
      expect(r.at - Date.parse(r.verified!.data.changes[0].occurredAt)).toBeGreaterThanOrEqual(300);
    }
    const ids = got.flatMap((r) => r.verified!.data.changes.map((c) => c.entityId));
    expect(new Set(ids)).toEqual(new Set(made));
    const sequences = got.flatMap((r) => r.verified!.data.changes.map((c) => c.sequence));
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
    // A lone write waits WEBHOOK_BATCH_MS for company.
    const lone = await createUnit();
    const committed = Date.now();
    const [last] = (await receiver.waitFor('/batches', got.length + 1)).slice(got.length);
    const change = last.verified!.data.changes[0];
    expect(change.entityId).toBe(lone);
    // Note: measured from the mutation's answer, just after the commit (SQLite keeps commit
    // times to the second only).
    expect(last.at - committed).toBeGreaterThanOrEqual(280);
    await remove(sub.id);
  });

  it('retries a failed batch with the same webhook-id and body, backing off', async () => {
    const sub = await subscribe('/flaky');
    receiver.behave('/flaky', (n) => ({ status: n < 2 ? 500 : 200 }));
    await createUnit();
    const got = await receiver.waitFor('/flaky', 3);
    expect(new Set(got.map((r) => r.id)).size).toBe(1);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    expect(got.every((r) => r.verified)).toBe(true);
    // Backoff: at least half the base before the second attempt, half of twice it before the third.
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(100);
    expect(got[2].at - got[1].at).toBeGreaterThanOrEqual(200);
    const [delivery] = await until(async () => {
      const list = await deliveries(sub.id);
      return list[0]?.status === 'DELIVERED' && list;
    });
    expect(delivery).toMatchObject({ id: got[0].id, attempts: 3, lastStatusCode: 200 });
    await remove(sub.id);
  });

  it('disables the subscription after the last attempt, with its reason; re-enabling resends the batch', async () => {
    const sub = await subscribe('/down');
    receiver.behave('/down', () => ({ status: 503 }));
    await createUnit();
    const got = await receiver.waitFor('/down', 3);
    const disabled = await until(async () => {
      const res = await gw.gql<{ webhookSubscriptions: Sub[] }>(LIST, {}, admin);
      const s = res.body.data!.webhookSubscriptions.find((x) => x.id === sub.id)!;
      return !s.enabled && s;
    });
    expect(disabled.disabledReason).toContain(got[0].id);
    expect(disabled.disabledReason).toContain('503');
    const [failed] = await deliveries(sub.id);
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3, lastStatusCode: 503 });
    await createUnit();
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.at('/down')).toHaveLength(3);

    receiver.behave('/down', () => ({ status: 204 }));
    await gw.gql(UPDATE, { input: { id: sub.id, enabled: true } }, admin);
    const again = await receiver.waitFor('/down', 5);
    expect(again[3].id).toBe(got[0].id);
    expect(again[3].body).toBe(got[0].body);
    expect(again[4].id).not.toBe(got[0].id);
    await remove(sub.id);
  });

  it('does not follow redirects, and gives up on a receiver that does not answer in time', async () => {
    const moved = await subscribe('/moved');
    receiver.on('/elsewhere', 'whsec_AAAA');
    receiver.behave('/moved', () => ({ status: 307, location: `${receiver.base}/elsewhere` }));
    const slow = await subscribe('/slow');
    receiver.behave('/slow', () => ({ hold: true }));
    await createUnit();
    await receiver.waitFor('/moved', 1);
    await receiver.waitFor('/slow', 1);
    const [redirected] = await until(async () => {
      const list = await deliveries(moved.id);
      return list[0]?.lastError ? list : undefined;
    });
    expect(redirected.lastStatusCode).toBe(307);
    expect(redirected.lastError).toMatch(/redirect, not followed/);
    const [timedOut] = await until(async () => {
      const list = await deliveries(slow.id);
      return list[0]?.lastError ? list : undefined;
    });
    expect(timedOut.lastStatusCode).toBeNull();
    expect(timedOut.lastError).toMatch(/^Timeout: no complete answer within 1000 ms/);
    expect(timedOut.latencyMs).toBeGreaterThanOrEqual(1000);
    expect(receiver.at('/elsewhere')).toHaveLength(0);
    await remove(moved.id);
    await remove(slow.id);
  });

  it('counts deliveries by outcome, failures by reason, and the lag', async () => {
    const res = await gw.raw('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await res.text();
    const value = (line: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(line))
          ?.split(' ')[1] ?? 0,
      );
    expect(value('annuaire_webhook_deliveries_total{outcome="delivered"}')).toBeGreaterThan(4);
    expect(value('annuaire_webhook_deliveries_total{outcome="retried"}')).toBeGreaterThanOrEqual(4);
    expect(value('annuaire_webhook_deliveries_total{outcome="abandoned"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(value('annuaire_webhook_failures_total{reason="status"}')).toBeGreaterThanOrEqual(4);
    expect(value('annuaire_webhook_failures_total{reason="redirect"}')).toBeGreaterThanOrEqual(1);
    expect(value('annuaire_webhook_failures_total{reason="timeout"}')).toBeGreaterThanOrEqual(1);
    expect(value('annuaire_webhook_lag_seconds_count')).toBeGreaterThan(10);
  });
  it('works with the receiver of docs/sync.md: Express, Webhook.verify on the raw body, duplicates dropped', async () => {
    const made = await create({ url: `${receiver.base}/placeholder` });
    const secret = made.secret!;
    const applied: number[] = [];
    const seenIds = new Set<string>();
    let answers = 0;
    const webhook = new Webhook(secret);
    const app = express();
    app.post('/annuaire', express.text({ type: 'application/json', limit: '10mb' }), (req, res) => {
      let event: { data: { changes: Array<{ sequence: number }> } };
      try {
        event = webhook.verify(req.body as string, req.headers as Record<string, string>) as never;
      } catch {
        return res.status(400).send('bad signature');
      }
      const id = String(req.headers['webhook-id']);
      if (!seenIds.has(id)) {
        for (const change of event.data.changes) applied.push(change.sequence);
        seenIds.add(id);
      }
      // Note: the first answer is lost on its way, as after a crash: the batch comes again.
      answers += 1;
      res.status(answers === 1 ? 503 : 204).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/annuaire`;
      await gw.gql(UPDATE, { input: { id: made.subscription!.id, url } }, admin);
      await createUnit();
      const [delivery] = await until(async () => {
        const list = await deliveries(made.subscription!.id);
        return list[0]?.status === 'DELIVERED' && list;
      });
      expect(delivery.attempts).toBe(2);
      expect(applied).toHaveLength(delivery.entryCount);
      expect(seenIds).toEqual(new Set([delivery.id]));
    } finally {
      server.close();
      await remove(made.subscription!.id);
    }
  });

  // Note: last, since it compacts the whole change log away.
  it('disables a subscription whose undelivered changes were compacted away, with SYNC_CURSOR_EXPIRED', async () => {
    const sub = await subscribe('/expired');
    await gw.gql(UPDATE, { input: { id: sub.id, enabled: false } }, admin);
    await createUnit();
    await compactChangeLog(gw.db, new Date(Date.now() + 60_000));
    await gw.gql(UPDATE, { input: { id: sub.id, enabled: true } }, admin);
    const disabled = await until(async () => {
      const res = await gw.gql<{ webhookSubscriptions: Sub[] }>(LIST, {}, admin);
      const s = res.body.data!.webhookSubscriptions.find((x) => x.id === sub.id)!;
      return !s.enabled && s;
    });
    expect(disabled.disabledReason).toMatch(/^SYNC_CURSOR_EXPIRED: /);
    expect(receiver.at('/expired')).toHaveLength(0);
  });
});
