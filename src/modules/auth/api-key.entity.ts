import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP } from '../../db/column-types';
import { Role } from '../../graphql/role';

/**
 * An API key. Only a SHA-256 hash of its secret is stored; the key itself is shown once, at
 * creation. Keys are random 256-bit secrets, so a fast hash is enough: there is nothing to
 * brute-force that a slow hash would protect.
 */
@Entity('api_key')
export class ApiKey {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Public, unique part of the key, to find it without scanning: `ak_<prefix>_<secret>`. */
  @Column({ type: 'varchar', length: 16, unique: true })
  prefix: string;

  /** Hex SHA-256 of the whole key. */
  @Column({ type: 'varchar', length: 64 })
  hash: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @CreateDateColumn({ type: TIMESTAMP })
  createdAt: Date;

  @Column({ type: TIMESTAMP, nullable: true })
  expiresAt: Date | null;

  @Column({ type: TIMESTAMP, nullable: true })
  revokedAt: Date | null;
}
