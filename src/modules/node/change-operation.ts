import { registerEnumType } from 'type-graphql';

/** What a write did to a record. */
export enum ChangeOperation {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  MOVED = 'MOVED',
  ARCHIVED = 'ARCHIVED',
  RESTORED = 'RESTORED',
  DELETED = 'DELETED',
}

registerEnumType(ChangeOperation, {
  name: 'ChangeOperation',
  description: 'What a write did to a record.',
  valuesConfig: {
    CREATED: { description: 'The record was created.' },
    UPDATED: { description: 'Some of its fields changed.' },
    MOVED: {
      description:
        'A unit changed parent or position (other fields may have changed too); or a record moved along with a unit above it, with no changed field and its version unchanged.',
    },
    ARCHIVED: { description: 'The record was archived (soft-deleted): it stays readable by id.' },
    RESTORED: { description: 'An archived record was restored.' },
    DELETED: { description: 'The record was deleted for good.' },
  },
});
