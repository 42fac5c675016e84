import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Source } from './source.entity';

/** Links a record of any type to a source it is drawn from. */
@Entity('citation')
export class Citation {
  @PrimaryColumn({ type: 'uuid' })
  entityId: string;

  @Index()
  @PrimaryColumn({ type: 'uuid' })
  sourceId: string;

  /** Foreign key only. */
  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sourceId' })
  sourceRef?: Source;

  /** The cited record's GraphQL type name. */
  @Column({ type: 'varchar', length: 40 })
  entityType: string;
}
