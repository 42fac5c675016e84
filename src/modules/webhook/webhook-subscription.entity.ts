import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { TIMESTAMP } from '../../db/column-types';

/**
 * A receiver of webhook deliveries, managed by ADMIN. Its cursor over the change log is the
 * outbox's position: every change after it that matches `subtree` and `types` is still to be
 * put in a batch (see docs/architecture.md, "Webhooks").
 */
@Entity('webhook_subscription')
export class WebhookSubscriptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** The receiver's http(s) URL. */
  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** Uuid of the unit whose subtree is followed; null: the whole directory. */
  @Column({ type: 'uuid', nullable: true })
  subtree: string | null;

  /** Entity types followed (EntityType values); null: all of them. */
  @Column({ type: 'simple-json', nullable: true })
  types: string[] | null;

  @Column({ type: 'varchar', length: 500, default: '' })
  description: string;

  /**
   * The signing secret (`whsec_<base64>`). It must stay usable to sign, so it cannot be hashed
   * like an API key: it is never returned after creation, never logged (scrubbed), and is as
   * safe as the database and its backups are.
   */
  @Column({ type: 'varchar', length: 200 })
  secret: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Why the gateway disabled the subscription (its last failed delivery), or null. */
  @Column({ type: 'text', nullable: true })
  disabledReason: string | null;

  @Column({ type: TIMESTAMP, nullable: true })
  disabledAt: Date | null;

  /** Sequence of the last change-log entry already put in a batch (or skipped, unmatched). */
  @Column({ type: 'integer' })
  cursor: number;

  /** Who created it (the change log's actor form). */
  @Column({ type: 'varchar', length: 200 })
  createdBy: string;

  @CreateDateColumn({ type: TIMESTAMP })
  createdAt: Date;

  @UpdateDateColumn({ type: TIMESTAMP })
  updatedAt: Date;
}
