import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Schemes whose identifiers name one record each; the others (SIRET, SIREN) may be shared. */
export const UNIQUE_SCHEMES = ['annuaire', 'itm'] as const;

/**
 * An identifier a record has in another system, e.g. the national directory's `id`,
 * `itm_identifiant`, SIRET or SIREN. Imports key records by them. The national directory's ids
 * name one service each; a SIRET or SIREN is the establishment's or the legal entity's, which
 * several services share.
 */
@Entity('external_identifier')
@Index(['entityId'])
@Index('UQ_external_identifier_unique_schemes', ['scheme', 'value'], {
  unique: true,
  where: `"scheme" IN (${UNIQUE_SCHEMES.map((s) => `'${s}'`).join(', ')})`,
})
export class ExternalIdentifier {
  /** Which system or register: `annuaire`, `itm`, `siret`, `siren`. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  scheme: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  value: string;

  /** GraphQL type name of the record. */
  @Column({ type: 'varchar', length: 40 })
  entityType: string;

  @PrimaryColumn({ type: 'uuid' })
  entityId: string;
}
