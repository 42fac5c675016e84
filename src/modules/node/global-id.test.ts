import { GraphQLError } from 'graphql';
import { RECORD_TYPES } from '../../app/modules';
import { fromGlobalId, NodeType, requireUuid, toGlobalId, uuidOf } from './global-id';

const NODE_TYPES: NodeType[] = RECORD_TYPES.map((t) => t.name);

const UUID = '3b0f8a52-6f0e-4c1e-9d55-2a7c0e6b9f41';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('toGlobalId / fromGlobalId', () => {
  it.each(NODE_TYPES)('round-trips a %s id', (type) => {
    const id = toGlobalId(type, UUID);
    expect(fromGlobalId(id)).toEqual({ type, uuid: UUID });
  });

  it('gives opaque, URL-safe ids that differ by type for the same uuid', () => {
    const ids = NODE_TYPES.map((type) => toGlobalId(type, UUID));
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(id).not.toContain(UUID);
    }
    expect(new Set(ids).size).toBe(NODE_TYPES.length);
  });

  it.each([
    ['an empty string', ''],
    ['characters outside base64url', 'T3JnVW5pdDo!'],
    ['standard base64 with padding', Buffer.from(`OrgUnit:${UUID}`).toString('base64')],
    ['no separator', b64(`OrgUnit${UUID}`)],
    ['an unknown type', b64(`Building:${UUID}`)],
    ['a type in the wrong case', b64(`orgunit:${UUID}`)],
    ['an empty type', b64(`:${UUID}`)],
    ['a uuid that is not one', b64('OrgUnit:not-a-uuid')],
    ['an upper-case uuid', b64(`OrgUnit:${UUID.toUpperCase()}`)],
    ['a uuid with trailing text', b64(`OrgUnit:${UUID}x`)],
    ['a uuid with a trailing NUL', b64(`OrgUnit:${UUID}\0`)],
    ['a bare uuid', UUID.replace(/-/g, '')],
    ['an id longer than 100 characters', b64(`OrgUnit:${UUID}`) + 'A'.repeat(100)],
  ])('returns null for %s', (_what, id) => {
    expect(fromGlobalId(id)).toBeNull();
  });

  it('returns null for a value that is not a string', () => {
    expect(fromGlobalId(42 as unknown as string)).toBeNull();
    expect(fromGlobalId(null as unknown as string)).toBeNull();
  });
});

describe('uuidOf', () => {
  it('returns the uuid of an id of the expected type', () => {
    expect(uuidOf(toGlobalId('Post', UUID), 'Post')).toBe(UUID);
  });

  it('returns null for an id of another type', () => {
    expect(uuidOf(toGlobalId('Post', UUID), 'OrgUnit')).toBeNull();
  });

  it('returns null for a malformed id', () => {
    expect(uuidOf('nope', 'Post')).toBeNull();
  });
});

describe('requireUuid', () => {
  it('returns the uuid of an id of the expected type', () => {
    expect(requireUuid(toGlobalId('Mission', UUID), 'Mission', 'filter.missionId')).toBe(UUID);
  });

  it.each([
    ['of the wrong type', toGlobalId('Post', UUID)],
    ['malformed', 'nope'],
  ])('fails with BAD_USER_INPUT naming the argument for an id %s', (_what, id) => {
    let error: unknown;
    try {
      requireUuid(id, 'OrgUnit', 'filter.parentId');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argumentName: 'filter.parentId',
    });
    expect((error as GraphQLError).message).toBe('filter.parentId is not a valid OrgUnit id.');
  });
});

describe('the record-type registry', () => {
  it('holds every record type of the modules, in copy order (referenced types first)', () => {
    expect(NODE_TYPES).toEqual([
      'Source',
      'OrgUnit',
      'Post',
      'Person',
      'Appointment',
      'Mission',
      'Responsibility',
      'Relation',
    ]);
  });
});
