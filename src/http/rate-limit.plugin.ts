import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { Context } from '../graphql/context';
import { RateLimitedError } from '../graphql/errors';
import { rateLimitHeaders, type RateBudget } from './rate-limit';

/**
 * Charges each operation's cost, as the limits plugin measured it, to the caller's budget before
 * it runs, and refuses it with RATE_LIMITED (HTTP 429, `Retry-After`) when the budget cannot pay.
 * Every response reports the budget: `extensions.cost` and the `RateLimit-*` headers of the IETF
 * draft (`RateLimit-Reset` in seconds). Requests refused before execution are not charged.
 */
export function rateLimitPlugin(budget: RateBudget): ApolloServerPlugin<Context> {
  return {
    async serverWillStart() {
      return {
        async serverWillStop() {
          await budget.close();
        },
      };
    },
    async requestDidStart() {
      return {
        // Note: Apollo calls this hook once every didResolveOperation hook has returned, so the
        // cost is known; a response returned here replaces execution.
        async responseForOperation({ contextValue }) {
          const requested = contextValue.cost.requested ?? 0;
          const charge = await budget.charge(contextValue.principal, requested);
          contextValue.cost.budget = charge.state;
          if (charge.allowed) return null;
          const { remaining, limit } = charge.state;
          const error = new RateLimitedError(requested, remaining, limit, charge.retryAfterSeconds);
          const { http: _http, ...extensions } = error.extensions;
          void _http;
          return {
            http: {
              status: 429,
              headers: new HeaderMap([['retry-after', String(charge.retryAfterSeconds)]]),
            },
            body: {
              kind: 'single',
              singleResult: { errors: [{ message: error.message, extensions }] },
            },
          };
        },
        async willSendResponse({ response, contextValue }) {
          const state = contextValue.cost.budget ?? (await budget.peek(contextValue.principal));
          for (const [name, value] of Object.entries(rateLimitHeaders(state))) {
            response.http.headers.set(name, value);
          }
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              cost: {
                requested: contextValue.cost.requested ?? 0,
                remaining: state.remaining,
                limit: state.limit,
                resetAt: state.resetAt.toISOString(),
              },
            };
          }
        },
      };
    },
  };
}
