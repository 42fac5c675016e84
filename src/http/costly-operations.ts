import type { ApolloServerPlugin } from '@apollo/server';
import { Semaphore } from 'async-mutex';
import type { Context } from '../graphql/context';
import { costlyOperations } from '../metrics';

/**
 * Bounds how many costly operations (an estimated cost of `cost` points or more, e.g. a
 * 500-change feed page) one process runs at once: the others wait their turn, in order of
 * arrival, before they execute. They are CPU-bound on one thread, so running ten at once
 * answers none sooner than running them in turn, and holds ten answers under construction in
 * memory; in turn, the first answers go out first. Cheap operations never wait. Applies after
 * the rate limit and the answer caches: a refused or cached answer takes no place.
 * Note: an operation whose request has timed out while waiting still runs; its late answer is
 * dropped like any other (`untilDeadline`).
 */
export function costlyOperationsPlugin(settings: {
  cost: number;
  atOnce: number;
}): ApolloServerPlugin<Context> {
  const places = new Semaphore(Math.max(1, settings.atOnce));
  const waiting = costlyOperations.labels('waiting');
  const running = costlyOperations.labels('running');
  return {
    async requestDidStart() {
      if (settings.atOnce === 0) return;
      let release: (() => void) | null = null;
      return {
        async responseForOperation({ contextValue }) {
          if ((contextValue.cost.requested ?? 0) < settings.cost) return null;
          waiting.inc();
          try {
            [, release] = await places.acquire();
          } finally {
            waiting.dec();
          }
          running.inc();
          return null;
        },
        async willSendResponse() {
          if (!release) return;
          release();
          release = null;
          running.dec();
        },
      };
    },
  };
}
