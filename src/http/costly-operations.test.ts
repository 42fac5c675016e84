import type { GraphQLRequestContext } from '@apollo/server';
import type { Context } from '../graphql/context';
import { costlyOperations } from '../metrics';
import { costlyOperationsPlugin } from './costly-operations';

type Hooks = {
  responseForOperation(rc: unknown): Promise<unknown>;
  willSendResponse(rc: unknown): Promise<void>;
};

/** One request through the plugin's hooks, with an operation of `cost` points. */
async function request(plugin: ReturnType<typeof costlyOperationsPlugin>, cost: number) {
  const hooks = (await plugin.requestDidStart!(
    {} as GraphQLRequestContext<Context>,
  )) as unknown as Hooks;
  const rc = { contextValue: { cost: { requested: cost } } };
  let started = false;
  const admitted = hooks.responseForOperation(rc).then((r) => {
    started = true;
    return r;
  });
  return { admitted, started: () => started, done: () => hooks.willSendResponse(rc) };
}

const turn = () => new Promise((r) => setImmediate(r));
const gauge = async (state: string) =>
  (await costlyOperations.get()).values.find((v) => v.labels.state === state)?.value ?? 0;

describe('costly operations', () => {
  it('runs at most `atOnce` costly operations, the others in order of arrival', async () => {
    const plugin = costlyOperationsPlugin({ cost: 100, atOnce: 2 });
    const [a, b, c, d] = await Promise.all([100, 500, 100, 100].map((n) => request(plugin, n)));
    await turn();
    expect([a.started(), b.started(), c.started(), d.started()]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(await gauge('running')).toBe(2);
    expect(await gauge('waiting')).toBe(2);
    await b.done();
    await turn();
    expect([c.started(), d.started()]).toEqual([true, false]);
    await a.done();
    await turn();
    expect(d.started()).toBe(true);
    expect(await a.admitted).toBeNull();
    await Promise.all([c.done(), d.done()]);
    expect(await gauge('running')).toBe(0);
    expect(await gauge('waiting')).toBe(0);
  });

  it('never holds back a cheap operation, nor any with atOnce 0', async () => {
    const plugin = costlyOperationsPlugin({ cost: 100, atOnce: 1 });
    const costly = await request(plugin, 100);
    const cheap = await request(plugin, 99);
    await turn();
    expect([costly.started(), cheap.started()]).toEqual([true, true]);
    await Promise.all([costly.done(), cheap.done()]);
    const unbounded = costlyOperationsPlugin({ cost: 1, atOnce: 0 });
    expect(await unbounded.requestDidStart!({} as GraphQLRequestContext<Context>)).toBeUndefined();
  });
});
