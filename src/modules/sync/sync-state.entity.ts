import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { TIMESTAMP } from '../../db/column-types';

/**
 * Where a mirror stands: the remote gateway it copies and the feed cursor of the last change it
 * applied. A mirror database holds one row; the cursor is written in the same transaction as
 * the change it follows, so an interrupted sync resumes exactly where it stopped.
 */
@Entity('sync_state')
export class SyncState {
  /** GraphQL URL of the remote gateway. */
  @PrimaryColumn({ type: 'varchar', length: 500 })
  remote: string;

  /** Opaque feed cursor: the next page starts after it. */
  @Column({ type: 'varchar', length: 100 })
  cursor: string;

  /** When the current copy was started from a snapshot. */
  @Column({ type: TIMESTAMP })
  snapshotAt: Date;

  @UpdateDateColumn({ type: TIMESTAMP })
  updatedAt: Date;
}
