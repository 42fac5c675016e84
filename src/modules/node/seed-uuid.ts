import { v5 as uuidv5 } from 'uuid';
import type { NodeType } from './record-types';

/** Namespace of the name-based uuids of seeded records, so ids are the same on every database. */
const SEED_NAMESPACE = '3b0f8a52-6f0e-4c1e-9d55-2a7c0e6b9f41';

/** The uuid a seeded record of this type and key always gets (seeds and the synthetic directory). */
export function seedUuid(type: NodeType, key: string): string {
  return uuidv5(`${type}:${key}`, SEED_NAMESPACE);
}
