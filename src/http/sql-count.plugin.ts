import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context';

/**
 * Reports how many SQL statements a request sent, in `extensions.sqlStatements` and the
 * `X-SQL-Statements` header. Tests and the benchmark read it; production turns it off.
 */
export function sqlCountPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const statements = contextValue.sql?.statements ?? 0;
          response.http.headers.set('x-sql-statements', String(statements));
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              sqlStatements: statements,
            };
          }
        },
      };
    },
  };
}
