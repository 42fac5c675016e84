import { Field, ID, Int, InterfaceType } from 'type-graphql';
import { Tagged } from '../../graphql/answer-tags';
import { CreateDateColumn, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { DateTimeISOResolver } from 'graphql-scalars';
import { toGlobalId, NodeType } from './global-id';
import { TIMESTAMP } from '../../db/column-types';

/**
 * Base of every directory record: a uuid key, timestamps and a version that every change
 * increments. In GraphQL it is the Relay `Node` interface, whose `id` is the opaque global id.
 */
@InterfaceType('Node', {
  description:
    'A directory record that can be refetched by its opaque global `id` through `node(id:)`. Ids are stable across restarts and databases.',
  resolveType: (value: object) => value.constructor.name,
})
export abstract class Node {
  /** The record's uuid, the database key. */
  @PrimaryColumn({ type: 'uuid', name: 'id' })
  uuid: string;

  // Note: computed from the record's own columns: it reads nothing.
  @Tagged()
  @Field(() => ID, { description: 'Opaque global id, stable across restarts and databases.' })
  get id(): string {
    return toGlobalId(this.constructor.name as NodeType, this.uuid);
  }

  @Field(() => DateTimeISOResolver, { description: 'When the record was created.' })
  @CreateDateColumn({ type: TIMESTAMP })
  createdAt: Date;

  @Field(() => DateTimeISOResolver, { description: 'When the record last changed.' })
  @UpdateDateColumn({ type: TIMESTAMP })
  updatedAt: Date;

  @Field(() => Int, { description: 'Starts at 1; every change increments it.' })
  @VersionColumn()
  version: number;
}
