import 'reflect-metadata';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { cacheableOperation } from './cache-policy';

const schema = buildSchema(`
  type Viewer { name: String }
  type Unit { name: String, children: [Unit] }
  type Query { me: Viewer, unit: Unit }
`);
// Note: what `@Uncached()` sets through type-graphql, set by hand on a plain schema.
schema.getQueryType()!.getFields().me.extensions = { uncached: true };

function cacheable(text: string): boolean {
  const document = parse(text);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  )!;
  return cacheableOperation(schema, document, operation);
}

describe('cacheableOperation', () => {
  it.each([
    ['{ unit { name children { name } } }', true],
    ['{ unit { ...U } } fragment U on Unit { name }', true],
    ['{ me { name } }', false],
    ['{ unit { name } me { name } }', false],
    ['{ ...Q } fragment Q on Query { me { name } }', false],
    ['{ ...A } fragment A on Query { ...B } fragment B on Query { me { name } }', false],
    ['{ __typename }', false],
    ['{ __schema { queryType { name } } }', false],
    ['{ __typename unit { __typename } }', true],
  ])('%s → %s', (text, expected) => {
    expect(cacheable(text)).toBe(expected);
  });
});
