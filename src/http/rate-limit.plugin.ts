import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { Context } from '../graphql/context';
import { RateLimitedError } from '../graphql/errors';
import { answerCost } from '../graphql/limits';
import { rateLimitHeaders, type RateBudget } from './rate-limit';

/**
 * Charges each operation to the caller's budget in two steps. Before it runs: its estimated cost,
 * as the limits plugin measured it, less the minimum the request paid on arrival (`admit`);
 * refused with RATE_LIMITED (HTTP 429, `Retry-After`) when the budget cannot pay. Once it has
 * run: what its answer really cost (`answerCost`, the records it returned) beyond what was paid,
 * never refused, so a costly answer can leave the budget spent for the next requests.
 * Every response reports the budget: `extensions.cost` (`requested`, the estimate; `actual`;
 * `charged`, all this request paid) and the `RateLimit-*` headers of the IETF draft
 * (`RateLimit-Reset` in seconds), after both charges.
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
          const { cost, principal } = contextValue;
          const requested = cost.requested ?? 0;
          const due = Math.max(0, requested - cost.paid);
          const charge = await budget.charge(principal, due);
          cost.budget = charge.state;
          if (charge.allowed) {
            cost.paid += due;
            return null;
          }
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
          const { cost, principal } = contextValue;
          const result = response.body.kind === 'single' ? response.body.singleResult : null;
          // Note: computed before any await, so that other plugins' hooks see it too.
          if (result?.data) cost.actual = answerCost(result.data);
          const due = (cost.actual ?? 0) - cost.paid;
          if (due > 0) {
            cost.budget = await budget.chargeAfter(principal, due);
            cost.paid += due;
          }
          const state = cost.budget ?? (await budget.peek(principal));
          for (const [name, value] of Object.entries(rateLimitHeaders(state))) {
            response.http.headers.set(name, value);
          }
          if (result) {
            result.extensions = {
              ...result.extensions,
              cost: {
                requested: cost.requested ?? 0,
                actual: cost.actual ?? 0,
                charged: cost.paid,
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
