import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { REDIS_URL, redisSuitesRun } from '../helpers/redis';
import { multiInstanceSuitesRun } from '../helpers/services';
import { WsConnection } from '../helpers/subscription';
import { startTwoGateways } from '../helpers/two-gateways';
import { createLogger } from '../../src/logger';
import { SubscriptionPlaces } from '../../src/http/subscription-places';

/**
 * SUBSCRIPTIONS_PER_CALLER with Redis is the deployment's count, not each instance's: places
 * taken on one instance are counted on the others, racing takes never pass the cap, and the
 * places of an instance that stopped renewing them lapse.
 */

const log = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

(redisSuitesRun() ? describe : describe.skip)('the places, in Redis', () => {
  let redis: Redis;
  const made: SubscriptionPlaces[] = [];
  /** An instance's count, under a prefix of this test's own. */
  const instance = (prefix: string, cap: number, ttlMs?: number) => {
    const places = new SubscriptionPlaces(cap, redis, prefix, log, ttlMs);
    made.push(places);
    return places;
  };
  const fresh = () => `annuaire-test:${randomUUID()}:subscriptions:`;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    for (const places of made) places.close();
    await redis.quit();
  });

  it('counts the places of every instance against one cap', async () => {
    const prefix = fresh();
    const a = instance(prefix, 3);
    const b = instance(prefix, 3);
    const onA = [await a.take('ip:192.0.2.1'), await a.take('ip:192.0.2.1')];
    expect(onA.every(Boolean)).toBe(true);
    const onB = await b.take('ip:192.0.2.1');
    expect(onB).not.toBeNull();
    expect(await b.take('ip:192.0.2.1')).toBeNull();
    expect(await a.take('ip:192.0.2.1')).toBeNull();
    // Note: another caller has a count of its own.
    expect(await b.take('ip:192.0.2.2')).not.toBeNull();
    expect(await redis.zcard(`${prefix}ip:192.0.2.1`)).toBe(3);
    onA[0]!.release();
    onA[0]!.release();
    await sleep(100);
    expect(await redis.zcard(`${prefix}ip:192.0.2.1`)).toBe(2);
    expect(await b.take('ip:192.0.2.1')).not.toBeNull();
    expect(await a.take('ip:192.0.2.1')).toBeNull();
  });

  it('lets exactly the cap through when takes race on two instances', async () => {
    const prefix = fresh();
    const a = instance(prefix, 3);
    const b = instance(prefix, 3);
    const taken = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).take('key:racing')),
    );
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect(await redis.zcard(`${prefix}key:racing`)).toBe(3);
  });

  it('renews the places an instance holds, and lets those of a stopped one lapse', async () => {
    const prefix = fresh();
    const stopped = instance(prefix, 2, 600);
    const alive = instance(prefix, 2, 600);
    expect(await stopped.take('oidc:lapsing')).not.toBeNull();
    expect(await alive.take('oidc:lapsing')).not.toBeNull();
    stopped.close();
    // Note: three times the place's life; the living instance renews every 200 ms.
    await sleep(1800);
    const other = instance(prefix, 2, 600);
    expect(await other.take('oidc:lapsing')).not.toBeNull();
    expect(await other.take('oidc:lapsing')).toBeNull();
  });

  it('counts on the instance alone while Redis does not answer', async () => {
    const away = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    away.on('error', () => undefined);
    const places = new SubscriptionPlaces(1, away, fresh(), log);
    made.push(places);
    const first = await places.take('ip:192.0.2.9');
    expect(first).not.toBeNull();
    expect(await places.take('ip:192.0.2.9')).toBeNull();
    first!.release();
    expect(await places.take('ip:192.0.2.9')).not.toBeNull();
    away.disconnect();
  });
});

(multiInstanceSuitesRun() ? describe : describe.skip)(
  'two gateway processes sharing Redis, SUBSCRIPTIONS_PER_CALLER=2',
  () => {
    let gateways: Awaited<ReturnType<typeof startTwoGateways>>;
    let urlA: string;
    let urlB: string;
    const open: WsConnection[] = [];
    const SIMPLE = 'subscription { directoryChanges { sequence } }';

    async function connect(graphqlUrl: string): Promise<WsConnection> {
      const ws = await WsConnection.open(graphqlUrl);
      open.push(ws);
      await ws.acknowledged();
      return ws;
    }

    beforeAll(async () => {
      gateways = await startTwoGateways({
        REDIS_URL,
        SUBSCRIPTIONS_PER_CALLER: '2',
        SUBSCRIPTION_CATCH_UP_MS: '600000',
      });
      ({ urlA, urlB } = gateways);
    }, 60_000);
    afterAll(async () => {
      for (const ws of open) ws.close();
      await gateways?.stop();
    });

    it('refuses on B the place a caller already holds twice on A, and gives it once A lets go', async () => {
      const onA = await connect(urlA);
      onA.subscribe('1', SIMPLE);
      onA.subscribe('2', SIMPLE);
      await sleep(300);
      expect(onA.messages.filter((m) => m.id)).toEqual([]);
      const onB = await connect(urlB);
      onB.subscribe('3', SIMPLE);
      const refused = await onB.errorOf('3');
      expect(refused[0].extensions).toMatchObject({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 2 });
      onA.socket.send(JSON.stringify({ id: '1', type: 'complete' }));
      await sleep(300);
      onB.subscribe('4', SIMPLE);
      await sleep(300);
      expect(onB.messages.some((m) => m.id === '4')).toBe(false);
    });
  },
);
