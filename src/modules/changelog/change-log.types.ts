import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, JSONResolver } from 'graphql-scalars';
import { ConnectionType, PagingArgs } from '../../graphql/connection';
import { ChangeOperation } from '../node/change-operation';

@ObjectType({
  description: 'One field changed by a write, with its value before and after (null: absent).',
})
export class FieldChange {
  @Field({
    description:
      'Name of the field as stored, e.g. `name` or `parentId`; references hold global ids. `sources` lists the global ids of the sources the record cites, when a write added one.',
  })
  field: string;

  @Field(() => JSONResolver, { nullable: true, description: 'Value before the write.' })
  before: unknown;

  @Field(() => JSONResolver, { nullable: true, description: 'Value after the write.' })
  after: unknown;
}

@ObjectType({ description: 'One entry of the change log: a write to one record.' })
export class ChangeLogEntry {
  @Field(() => Int, { description: 'Position in the log: later writes have higher numbers.' })
  sequence: number;

  @Field({ description: 'Type of the record written, e.g. OrgUnit.' })
  entityType: string;

  @Field(() => ID, { description: 'Global id of the record written.' })
  entityId: string;

  @Field(() => ChangeOperation, { description: 'What the write did.' })
  operation: ChangeOperation;

  @Field(() => Int, { description: "The record's version after the write." })
  version: number;

  @Field(() => [FieldChange], {
    description:
      'The fields the write changed. Private fields are left out for callers who may not read them.',
  })
  changedFields: FieldChange[];

  @Field(() => DateTimeISOResolver, { description: 'When the write was committed.' })
  occurredAt: Date;

  /** Who wrote; exposed through a guarded field resolver. */
  actor: string;
}

export const ChangeLogConnection = ConnectionType(ChangeLogEntry, 'ChangeLog', 'change-log entry');

@InputType({ description: 'Filters of the audit log; all given filters must hold.' })
export class AuditLogFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Only writes by this actor, e.g. `key:<id>` or `oidc:<subject>`.',
  })
  actor?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only writes to records of this type, e.g. OrgUnit.',
  })
  entityType?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only writes to this record.' })
  entityId?: string | null;

  @Field(() => ChangeOperation, { nullable: true, description: 'Only writes of this kind.' })
  operation?: ChangeOperation | null;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'Only writes at or after this instant.',
  })
  since?: Date | null;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'Only writes before this instant.',
  })
  until?: Date | null;
}

@ArgsType()
export class AuditLogArgs extends PagingArgs {
  @Field(() => AuditLogFilter, {
    nullable: true,
    description: 'Filters; none returns the whole log, newest first.',
  })
  filter?: AuditLogFilter | null;
}
