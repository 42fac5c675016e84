import { inTurns } from './in-turns';

describe('inTurns', () => {
  it('keeps a short list as it is', () => {
    expect(inTurns([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });

  it('resolves a long list a chunk per event-loop turn, in order, letting other work run between', async () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    const order: string[] = [];
    const list = inTurns(items, 100) as unknown as Array<Promise<number>>;
    list.forEach(
      (p, i) => void p.then(() => (i % 100 === 0 || i === 249) && order.push(`item ${i}`)),
    );
    setImmediate(() => order.push('other work'));
    expect(await Promise.all(list)).toEqual(items);
    expect(order).toEqual(['item 0', 'other work', 'item 100', 'item 200', 'item 249']);
  });
});
