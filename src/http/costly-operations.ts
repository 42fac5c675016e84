import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { Semaphore } from 'async-mutex';
import type { Context } from '../graphql/context';
import { ErrorCode } from '../graphql/errors';
import { costlyOperations, costlyOperationsAbandoned } from '../metrics';

/**
 * Bounds how many costly operations (an estimated cost of `cost` points or more, e.g. a
 * 500-change feed page) one process runs at once: the others wait their turn, in order of
 * arrival, before they execute. They are CPU-bound on one thread, so running ten at once
 * answers none sooner than running them in turn, and holds ten answers under construction in
 * memory; in turn, the first answers go out first. Cheap operations never wait. Applies after
 * the rate limit and the answer caches: a refused or cached answer takes no place.
 * An operation whose request timed out, or whose client went away, while it waited is dropped
 * when its turn comes, without running: under a queue longer than the deadline, the places go
 * to the requests still waiting for their answers, not to answers nobody will read.
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
          if (contextValue.abandoned?.()) {
            release();
            release = null;
            costlyOperationsAbandoned.inc();
            return abandonedResponse();
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

/** What an abandoned operation answers, to nobody: the deadline answered first, or no one is left. */
const abandonedResponse = (): GraphQLResponse => ({
  http: { status: 503, headers: new HeaderMap() },
  body: {
    kind: 'single',
    singleResult: {
      errors: [
        {
          message: 'The request was abandoned before its turn to run came.',
          extensions: { code: ErrorCode.REQUEST_TIMEOUT },
        },
      ],
    },
  },
});
