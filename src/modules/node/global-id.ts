import { BadUserInputError } from '../../graphql/errors';
import { recordTypeNamed, type NodeType } from './record-types';

export type { NodeType, NodeTypes } from './record-types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Encodes a record's type and uuid as an opaque, URL-safe global id. */
export function toGlobalId(type: NodeType, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`, 'utf8').toString('base64url');
}

/** Decodes a global id, or returns null when it is malformed or names an unknown type. */
export function fromGlobalId(id: string): { type: NodeType; uuid: string } | null {
  if (typeof id !== 'string' || id.length > 100 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const sep = decoded.indexOf(':');
  const type = decoded.slice(0, sep) as NodeType;
  const uuid = decoded.slice(sep + 1);
  if (sep < 0 || !recordTypeNamed(type) || !UUID.test(uuid)) return null;
  return { type, uuid };
}

/** Decodes a global id of one expected type, or returns null. */
export function uuidOf(id: string, type: NodeType): string | null {
  const decoded = fromGlobalId(id);
  return decoded && decoded.type === type ? decoded.uuid : null;
}

/**
 * Decodes an id argument of an expected type, or fails with BAD_USER_INPUT naming the argument.
 * Unlike `node(id:)`, a filter with a malformed id is a client bug worth reporting.
 */
export function requireUuid(id: string, type: NodeType, argumentName: string): string {
  const uuid = uuidOf(id, type);
  if (!uuid)
    throw new BadUserInputError(`${argumentName} is not a valid ${type} id.`, argumentName);
  return uuid;
}
