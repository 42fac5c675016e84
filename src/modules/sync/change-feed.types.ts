import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { PageInfo } from '../../graphql/connection';
import { Node } from '../node/node.entity';
import { ChangeOperation } from '../node/change-operation';
import { FieldChange } from '../changelog/change-log.types';
import { EntityType } from './entity-type';

/** Why a record is gone from the live directory. */
export enum TombstoneReason {
  ARCHIVED = 'ARCHIVED',
  DELETED = 'DELETED',
}

registerEnumType(TombstoneReason, {
  name: 'TombstoneReason',
  description: 'Why a record is no longer in the live directory.',
  valuesConfig: {
    ARCHIVED: { description: 'Archived (soft-deleted): it may come back with a RESTORED change.' },
    DELETED: { description: 'Deleted for good.' },
  },
});

@ObjectType({
  description: 'Marks a record that left the live directory: remove it from your copy.',
})
export class Tombstone {
  @Field(() => ID, { description: 'Global id of the record.' })
  id: string;

  @Field(() => TombstoneReason, { description: 'Why it left.' })
  reason: TombstoneReason;
}

@ObjectType({ description: 'One committed change of the directory, in the change feed.' })
export class Change {
  @Field(() => Int, {
    description: 'Position in the feed: a change committed earlier always has a lower sequence.',
  })
  sequence: number;

  @Field({
    description:
      'The feed cursor just after this change, the same as its edge’s `cursor` in `changes`: pass it as `after` to `changes` or `directoryChanges` to resume after it.',
  })
  cursor: string;

  @Field(() => ChangeOperation, { description: 'What the change did.' })
  operation: ChangeOperation;

  @Field(() => EntityType, { description: 'Type of the record changed.' })
  entityType: EntityType;

  @Field(() => ID, { description: 'Global id of the record changed.' })
  entityId: string;

  @Field(() => Int, { description: "The record's version after this change." })
  version: number;

  @Field(() => DateTimeISOResolver, { description: 'When the change was committed.' })
  occurredAt: Date;

  @Field(() => [FieldChange], {
    description:
      'The fields changed, with values before and after; references are global ids. A CREATED change lists every field. Private fields are left out for callers who may not read them.',
  })
  changedFields: FieldChange[];

  @Field(() => Node, {
    nullable: true,
    description:
      'The record as it is now (not as it was at this change); null when it is archived or deleted, see `tombstone`.',
  })
  node: Node | null;

  @Field(() => Tombstone, {
    nullable: true,
    description: 'Set when the record is now archived or deleted.',
  })
  tombstone: Tombstone | null;

  @Field(() => [String], {
    description:
      'The `Surrogate-Key` values of the public answers this change may have changed: a CDN in front of the gateway purges them (its record, its type, every unit whose subtree held the record before or after, and `all`).',
  })
  surrogateKeys: string[];
}

@ObjectType({ description: 'An edge to one change.' })
export class ChangeEdge {
  @Field({ description: 'Cursor just after this change.' })
  cursor: string;

  @Field(() => Change, { description: 'The change.' })
  node: Change;
}

@ObjectType({
  description:
    'A page of the change feed. Store `pageInfo.endCursor` and pass it as `after` next time: it is set even on an empty page, so a client can poll.',
})
export class ChangeConnection {
  @Field(() => [ChangeEdge], { description: 'The changes with their cursors, in commit order.' })
  edges: ChangeEdge[];

  @Field(() => [Change], { description: 'The changes, in commit order.' })
  nodes: Change[];

  @Field(() => PageInfo, {
    description:
      '`endCursor` is where the next call starts; `hasNextPage` is true when more changes are already committed.',
  })
  pageInfo: PageInfo;
}

@ArgsType()
export class ChangesArgs {
  @Field(() => String, {
    nullable: true,
    description:
      'Start after this cursor (an `endCursor`, or the `asOf` of a snapshot). Absent: from the start of the retained log.',
  })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'How many changes (1 to 1000, default 100).' })
  first?: number | null;

  @Field(() => [EntityType], { nullable: true, description: 'Only changes of these record types.' })
  types?: EntityType[] | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Only changes of records in the subtree of this unit, including records that moved in or out of it.',
  })
  subtree?: string | null;
}
