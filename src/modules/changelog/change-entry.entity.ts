import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { TIMESTAMP } from '../../db/column-types';
import { ChangeOperation } from '../node/change-operation';
import type { FieldChanges } from '../node/write-effects';

/**
 * One entry of the append-only change log, written in the same transaction as the change it
 * records. History, audit and the sync feed read it.
 */
@Entity('change_log')
@Index(['entityId', 'sequence'])
export class ChangeEntry {
  /** Increasing position in the log. */
  @PrimaryGeneratedColumn({ type: 'integer' })
  sequence: number;

  /** GraphQL type name of the record. */
  @Index()
  @Column({ type: 'varchar', length: 40 })
  entityType: string;

  /** Uuid of the record. */
  @Column({ type: 'uuid' })
  entityId: string;

  @Index()
  @Column({ type: 'varchar', length: 16 })
  operation: ChangeOperation;

  /** The record's version after the write. */
  @Column({ type: 'integer' })
  version: number;

  /** The fields the write changed, each with its value before and after. */
  @Column({ type: 'simple-json' })
  changes: FieldChanges;

  /** Who wrote: `key:<id>`, `oidc:<subject>`, `seed:<file>`… */
  @Index()
  @Column({ type: 'varchar', length: 200 })
  actor: string;

  @Index()
  @CreateDateColumn({ type: TIMESTAMP })
  occurredAt: Date;

  /**
   * The units whose subtree held the record before or after the change, between spaces (`*`
   * for records of no subtree): what the subtree filter of the change feed matches.
   */
  @Column({ type: 'text', default: '' })
  scope: string;
}
