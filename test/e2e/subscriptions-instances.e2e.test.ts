import { createKey } from '../helpers/server-process';
import { REDIS_URL } from '../helpers/redis';
import { multiInstanceSuitesRun } from '../helpers/services';
import { WsConnection } from '../helpers/subscription';
import { startTwoGateways } from '../helpers/two-gateways';
import { toGlobalId } from '../../src/modules/node/global-id';
import { seedUuid } from '../../src/seed/seed-loader';

const run = multiInstanceSuitesRun();

const CABINET = toGlobalId('OrgUnit', seedUuid('OrgUnit', 'cabinet-du-prefet-seine-et-marne'));

(run ? describe : describe.skip).each([
  ['Redis pub/sub', { REDIS_URL }, 'redis'],
  ['PostgreSQL LISTEN/NOTIFY', {}, 'postgres'],
] as const)('two gateway processes on one PostgreSQL, heads over %s', (_name, env, kind) => {
  let gateways: Awaited<ReturnType<typeof startTwoGateways>>;
  let urlA: string;
  let urlB: string;
  let key: string;
  let version = 1;

  beforeAll(async () => {
    // Note: no periodic read (600 s), so that what B receives came through the channel.
    gateways = await startTwoGateways({
      ...env,
      LOG_LEVEL: 'info',
      SUBSCRIPTION_CATCH_UP_MS: '600000',
    });
    ({ urlA, urlB } = gateways);
    key = createKey(gateways.url, 'EDITOR', 'instances');
  }, 60_000);
  afterAll(() => gateways?.stop());

  async function renameOn(graphqlUrl: string, unitName: string): Promise<void> {
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { userErrors { code } } }`,
        variables: { input: { id: CABINET, expectedVersion: version, name: unitName } },
      }),
    });
    const body = (await res.json()) as { errors?: unknown; data?: unknown };
    expect(body.errors).toBeUndefined();
    version += 1;
  }

  it(`publishes heads over ${kind}`, () => {
    for (const server of [gateways.a, gateways.b])
      expect(server.output()).toContain(`"subscriptionHeads":"${kind}"`);
  });

  it('delivers a write on A to a subscriber on B through the channel, and on A too', async () => {
    const onB = await WsConnection.open(urlB);
    const onA = await WsConnection.open(urlA);
    try {
      await Promise.all([onB.acknowledged(), onA.acknowledged()]);
      const query =
        'subscription { directoryChanges(types: [ORG_UNIT]) { sequence entityId changedFields { field after } } }';
      onB.subscribe('b', query);
      onA.subscribe('a', query);
      await new Promise((r) => setTimeout(r, 500));
      for (let i = 0; i < 3; i++) {
        await renameOn(urlA, `Cabinet multi-instance ${kind} ${i}`);
        await onB.until(
          (m) => m.filter((x) => x.id === 'b' && x.type === 'next').length > i,
          10_000,
        );
      }
      await onA.until((m) => m.filter((x) => x.id === 'a' && x.type === 'next').length >= 3);
      const fromB = onB.nexts('b').map((p) => p.data!.directoryChanges);
      expect(fromB).toEqual(onA.nexts('a').map((p) => p.data!.directoryChanges));
      expect(fromB.map((c) => (c as { entityId: string }).entityId)).toEqual([
        CABINET,
        CABINET,
        CABINET,
      ]);
    } finally {
      onA.close();
      onB.close();
    }
  });
});
