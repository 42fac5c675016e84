import { Kind, OperationDefinitionNode, parse } from 'graphql';
import { answerCost, operationDepth, ROOT_FIELD_COST, treeComplexity } from './limits';

/** Depth of the operation named `name` (or the only one) of a document. */
function depth(source: string, name?: string): number {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION && (name === undefined || d.name?.value === name),
  );
  if (!operation) throw new Error(`no operation ${name ?? ''}`);
  return operationDepth(document, operation);
}

describe('operationDepth', () => {
  it('counts the longest chain of nested fields', () => {
    expect(depth('{ a }')).toBe(1);
    expect(depth('{ a { b { c } } }')).toBe(3);
    expect(depth('{ a { b } x { y { z { w } } } }')).toBe(4);
  });

  it('follows named fragments', () => {
    expect(depth('{ a { ...F } } fragment F on T { b { c } }')).toBe(3);
    expect(
      depth('{ ...Top } fragment Top on Query { a { ...Leaf } } fragment Leaf on T { b }'),
    ).toBe(2);
  });

  it('does not count a fragment spread or an inline fragment as a level', () => {
    expect(depth('{ a { ... on T { b } } }')).toBe(2);
    expect(depth('{ a { ... { ... on T { ... { b { c } } } } } }')).toBe(3);
    expect(depth('{ a { ...F } } fragment F on T { ... on T { b } }')).toBe(2);
  });

  it('takes the deepest of several fragments on one selection', () => {
    expect(
      depth(
        '{ a { ...Short ...Long } } fragment Short on T { b } fragment Long on T { b { c { d } } }',
      ),
    ).toBe(4);
  });

  it('does not count introspection fields', () => {
    expect(depth('{ __typename }')).toBe(0);
    expect(depth('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }')).toBe(
      0,
    );
    expect(depth('{ __type(name: "OrgUnit") { fields { name } } a { b } }')).toBe(2);
    expect(depth('{ a { __typename b { __typename } } }')).toBe(2);
  });

  it('stops at a fragment that spreads itself, and ignores an unknown fragment', () => {
    expect(depth('{ ...F } fragment F on Query { a { ...F } }')).toBe(1);
    expect(depth('{ a { ...Missing } }')).toBe(1);
  });

  it('measures the operation asked for, not the others of the document', () => {
    const source = 'query Shallow { a } query Deep { a { b { c } } }';
    expect(depth(source, 'Shallow')).toBe(1);
    expect(depth(source, 'Deep')).toBe(3);
  });

  it('counts aliases and arguments as the fields they are', () => {
    expect(depth('{ first: units(first: 3) { nodes { id } } }')).toBe(3);
  });
});

describe('answerCost', () => {
  it('counts a point per field of every record returned, and each root field', () => {
    const entries = Array.from({ length: 7 }, (_, i) => ({ unit: { name: `u${i}` } }));
    expect(answerCost({ orgChart: { entries } })).toBe(ROOT_FIELD_COST + 1 + 1 + 7 * 2);
    expect(answerCost({ unit: null })).toBe(ROOT_FIELD_COST + 1);
    expect(answerCost({ __typename: 'Query' })).toBe(1);
    expect(answerCost({ a: { ids: ['x', 'y'] }, b: { nodes: [] } })).toBe(
      2 * ROOT_FIELD_COST + 2 + 2,
    );
  });
});

describe('treeComplexity', () => {
  it('is its children times TREE_RECORDS_ESTIMATE, whatever maxDepth', () => {
    const estimate = (args: Record<string, unknown>) =>
      treeComplexity()({ args, childComplexity: 2 } as never);
    expect(estimate({ maxDepth: 20 })).toBe(1 + 2 * 50);
    expect(estimate({})).toBe(1 + 2 * 50);
  });
});
