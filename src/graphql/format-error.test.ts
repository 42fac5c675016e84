import { buildSchema, graphql, GraphQLError, type GraphQLFormattedError } from 'graphql';
import { createLogger } from '../logger';
import { ClientError } from './errors';
import { createFormatError } from './format-error';

/** A client error that formatError has never heard of: only its class makes it one. */
class TeapotError extends ClientError {
  constructor() {
    super('TEAPOT', 'I am a teapot.', { brewed: false });
  }
}

const schema = buildSchema('type Query { field: String }');

/** The error that graphql-js reports when the resolver of `field` throws `thrown`. */
async function fieldError(thrown: Error): Promise<GraphQLError> {
  const result = await graphql({
    schema,
    source: '{ field }',
    rootValue: {
      field: () => {
        throw thrown;
      },
    },
  });
  return result.errors![0];
}

/** formatError with a logger whose lines are kept, and what it answers for `error`. */
function format(error: GraphQLError): { answer: GraphQLFormattedError; logged: unknown[] } {
  const logged: unknown[] = [];
  const log = createLogger('info', { write: (line: string) => logged.push(JSON.parse(line)) });
  return { answer: createFormatError(log)(error.toJSON(), error), logged };
}

describe('createFormatError', () => {
  it('passes a ClientError subclass thrown in a resolver as it is, with its code', async () => {
    const { answer, logged } = format(await fieldError(new TeapotError()));
    expect(answer).toEqual({
      message: 'I am a teapot.',
      locations: [{ line: 1, column: 3 }],
      path: ['field'],
      extensions: { code: 'TEAPOT', brewed: false },
    });
    expect(logged).toEqual([]);
  });

  it('passes a ClientError thrown outside execution (context function, plugin)', () => {
    const { answer } = format(new TeapotError());
    expect(answer).toMatchObject({ message: 'I am a teapot.', extensions: { code: 'TEAPOT' } });
  });

  it('gives a ClientError reported by a validation rule its own code back', () => {
    const own = new TeapotError();
    // Note: the shape of Apollo's ValidationError, which recodes every validation error.
    const wrapped = new GraphQLError(own.message, {
      originalError: own,
      extensions: { ...own.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(format(wrapped).answer.extensions).toMatchObject({ code: 'TEAPOT', brewed: false });
  });

  it('masks an ordinary Error as INTERNAL_SERVER_ERROR and logs its cause', async () => {
    const { answer, logged } = format(await fieldError(new Error('SELECT secret FROM keys')));
    expect(answer).toEqual({
      message: 'Internal server error.',
      locations: [{ line: 1, column: 3 }],
      path: ['field'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(answer)).not.toContain('secret');
    expect(logged).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'unexpected error',
        path: ['field'],
        err: expect.objectContaining({ type: 'Error', message: 'SELECT secret FROM keys' }),
      }),
    ]);
  });

  it("masks a field error that merely carries one of Apollo's codes", async () => {
    const coded = new GraphQLError('driver said: BAD_USER_INPUT', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const { answer, logged } = format(await fieldError(coded));
    expect(answer.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(logged).toHaveLength(1);
  });

  it("passes Apollo's own refusals of a request by their code", () => {
    const parse = new GraphQLError('Syntax Error: Unexpected "}".', {
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(format(parse).answer).toEqual({
      message: 'Syntax Error: Unexpected "}".',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });
});
