import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
} from 'graphql';
import { buildAppSchema, FEDERATED_ENTITIES } from '../src/app/schema';
import { buildSubgraph, servedSubgraphSdl } from '../src/graphql/subgraph';
import { uuidOf, type NodeType } from '../src/modules/node/global-id';

/**
 * The subgraph is rebuilt from the printed SDL by @apollo/subgraph: everything the SDL does not
 * carry (resolvers, scalars' functions, enums' internal values, `extensions`) must come across.
 */
describe('the federated subgraph schema', () => {
  let schema: GraphQLSchema;
  let subgraph: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema();
    subgraph = await buildSubgraph(schema, {
      types: FEDERATED_ENTITIES,
      uuidOf: (id, type) => uuidOf(id, type as NodeType),
      load: async () => null,
    });
  });

  it('keeps every resolver, scalar, enum value, default and extension of the schema', () => {
    const lost: string[] = [];
    // Note: graphql-js keeps extensions in objects without a prototype; the copies have one.
    const plain = (v: unknown) => (v && typeof v === 'object' ? { ...v } : v);
    const same = (what: string, a: unknown, b: unknown) => {
      if (!isDeepStrictEqual(plain(a), plain(b))) lost.push(what);
    };
    let compared = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (isIntrospectionType(type)) continue;
      const copy = subgraph.getType(type.name);
      if (!copy) {
        lost.push(type.name);
        continue;
      }
      if (!FEDERATED_ENTITIES.includes(type.name as NodeType))
        same(`${type.name} extensions`, type.extensions, copy.extensions);
      if (isScalarType(type) && isScalarType(copy))
        for (const fn of ['serialize', 'parseValue', 'parseLiteral'] as const)
          if (type[fn] !== copy[fn]) lost.push(`${type.name}.${fn}`);
      if (isEnumType(type) && isEnumType(copy))
        for (const value of type.getValues())
          same(`${type.name}.${value.name}`, value.value, copy.getValue(value.name)?.value);
      if ((isInterfaceType(type) || isUnionType(type)) && !type.resolveType)
        lost.push(`${type.name} has no resolveType`);
      if (isInputObjectType(type) && isInputObjectType(copy))
        for (const field of Object.values(type.getFields()))
          same(
            `${type.name}.${field.name} default`,
            field.defaultValue,
            copy.getFields()[field.name]?.defaultValue,
          );
      if (!(isObjectType(type) || isInterfaceType(type))) continue;
      if (!(isObjectType(copy) || isInterfaceType(copy))) continue;
      for (const field of Object.values(type.getFields())) {
        const other = copy.getFields()[field.name];
        compared += 1;
        // Note: graphql-js runs the resolvers of object types' fields only, never interfaces'.
        if (isObjectType(type) && field.resolve !== other.resolve)
          lost.push(`${type.name}.${field.name} resolver`);
        if (isObjectType(type) && field.subscribe !== other.subscribe)
          lost.push(`${type.name}.${field.name} subscribe`);
        same(`${type.name}.${field.name} extensions`, field.extensions, other.extensions);
        for (const arg of field.args) {
          const copyArg = other.args.find((a) => a.name === arg.name);
          same(`${type.name}.${field.name}(${arg.name})`, arg.defaultValue, copyArg?.defaultValue);
          same(
            `${type.name}.${field.name}(${arg.name}) extensions`,
            arg.extensions,
            copyArg?.extensions,
          );
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(lost).toEqual([]);
  });

  it('costs a node field as the schema does', () => {
    const complexity = (s: GraphQLSchema) =>
      s.getQueryType()!.getFields().nodes.extensions.complexity;
    expect(typeof complexity(subgraph)).toBe('function');
    expect(complexity(subgraph)).toBe(complexity(schema));
  });

  it('keys units, posts and people by id, and resolves their references', () => {
    const sdl = servedSubgraphSdl(subgraph);
    for (const name of FEDERATED_ENTITIES) {
      expect(sdl).toMatch(new RegExp(`type ${name} implements[^{]*@key\\(fields: "id"\\)`));
      const type = subgraph.getType(name)!;
      expect(
        (type.extensions as { apollo?: { subgraph?: { resolveReference?: unknown } } }).apollo
          ?.subgraph?.resolveReference,
      ).toBeInstanceOf(Function);
    }
    expect(sdl.match(/@key\(fields: "id"\)/g)).toHaveLength(FEDERATED_ENTITIES.length);
  });

  it('describes every type, field and argument, those of federation included', () => {
    const missing: string[] = [];
    for (const type of Object.values(subgraph.getTypeMap())) {
      if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : [])
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      if (isEnumType(type))
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it('refuses an entity type without a non-null id', async () => {
    const build = (types: string[]) =>
      buildSubgraph(schema, { types, uuidOf: () => null, load: async () => null });
    await expect(build(['PageInfo'])).rejects.toThrow(
      'The entity type PageInfo has no non-null id of type ID.',
    );
    await expect(build(['Nothing'])).rejects.toThrow(
      'The entity type Nothing has no non-null id of type ID.',
    );
  });

  it('is not loaded by a gateway without federation', () => {
    // Note: in a process of its own, from the built gateway, as the server starts.
    const script = `
      const { buildServedSchema } = require('./dist/app/schema');
      require('./dist/app/gateway');
      buildServedSchema(false).then(() => {
        const loaded = Object.keys(require.cache).filter((f) => f.includes('@apollo/subgraph'));
        process.stdout.write(JSON.stringify(loaded));
      });`;
    const run = spawnSync(process.execPath, ['-e', script], {
      cwd: path.join(__dirname, '..'),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});
