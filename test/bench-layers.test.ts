import { attribute } from '../src/bench/layers';

/** A made-up CPU profile: the frames' URLs are what V8 writes for the gateway's files. */
const frame = (id: number, url: string, children: number[] = [], functionName = 'f') => ({
  id,
  callFrame: { functionName, url },
  children,
});

describe('bench:layers attribution', () => {
  const profile = {
    startTime: 1_000,
    nodes: [
      frame(1, '', [2, 5, 6], '(root)'),
      frame(2, 'file:///app/node_modules/express/lib/router.js', [3]),
      frame(3, 'file:///app/node_modules/pino/lib/proto.js', [4]),
      frame(4, 'node:fs'),
      frame(5, '', [], '(idle)'),
      frame(6, 'file:///app/node_modules/graphql/execution/execute.js'),
    ],
    // Note: times are the gaps before each sample, in microseconds.
    samples: [2, 4, 4, 6, 5, 6],
    timeDeltas: [10, 10, 10, 10, 10, 10],
  };

  it('gives each sample to the innermost layer on its stack and leaves idle time out', () => {
    const shares = attribute(profile, 2);
    const of = (layer: string) => shares.find((s) => s.layer === layer);
    expect(of('Express, body parsing')!.share).toBeCloseTo(0.2);
    // node:fs belongs to no layer: its samples go to pino, which called it.
    expect(of('request log')!.share).toBeCloseTo(0.4);
    expect(of('graphql-js')!.microsPerRequest).toBe(10);
    expect(of('idle')).toBeUndefined();
  });

  it('counts only the samples of the window', () => {
    const shares = attribute(profile, 1, { from: 1_015, to: 1_035 });
    expect(shares.map((s) => [s.layer, s.share])).toEqual([['request log', 1]]);
  });
});
