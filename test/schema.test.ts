import fs from 'node:fs';
import path from 'node:path';
import {
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isIntrospectionType,
  isSpecifiedScalarType,
} from 'graphql';
import { printAppSchema } from '../src/graphql/schema';
import { buildAppSchema } from '../src/app/schema';

describe('the GraphQL schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema();
  });

  it('matches the committed schema/schema.graphql (run `npm run schema` after changing the API)', () => {
    const committed = fs.readFileSync(
      path.join(__dirname, '..', 'schema', 'schema.graphql'),
      'utf8',
    );
    expect(printAppSchema(schema)).toBe(committed);
  });

  it('reads plain fields without a wrapper, and keeps the wrapper of every guarded field', () => {
    const fields = (name: string) => (schema.getType(name) as GraphQLObjectType).getFields();
    // Plain properties: graphql-js's default resolver.
    expect(fields('OrgUnit').name.resolve).toBeUndefined();
    expect(fields('Post').title.resolve).toBeUndefined();
    expect(fields('Person').grade.resolve).toBeUndefined();
    // @Authorized fields: type-graphql's wrapper, which runs the authorization check.
    for (const name of ['email', 'phone']) expect(fields('Person')[name].resolve).toBeDefined();
    // Field resolvers keep theirs.
    expect(fields('OrgUnit').parent.resolve).toBeDefined();
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('lists the root fields the API contract names', () => {
    const fields = Object.keys(schema.getQueryType()!.getFields()).sort();
    expect(fields).toEqual(
      expect.arrayContaining([
        'node',
        'nodes',
        'unit',
        'units',
        'directorates',
        'bureaus',
        'orgChart',
        'post',
        'posts',
        'person',
        'people',
        'mission',
        'missions',
        'responsibility',
        'responsibilities',
        'search',
      ]),
    );
  });
});
