import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Named numbers about the change log, e.g. `compactedThrough`: the last sequence compacted away. */
@Entity('change_log_meta')
export class ChangeLogMeta {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  name: string;

  @Column({ type: 'integer' })
  value: number;
}
