import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An identifier a record has in another system, e.g. the national directory's `id`,
 * `itm_identifiant`, SIRET or SIREN. Imports key records by them.
 */
@Entity('external_identifier')
@Index(['entityId'])
export class ExternalIdentifier {
  /** Which system or register: `annuaire`, `itm`, `siret`, `siren`. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  scheme: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  value: string;

  /** GraphQL type name of the record. */
  @Column({ type: 'varchar', length: 40 })
  entityType: string;

  @Column({ type: 'uuid' })
  entityId: string;
}
