import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { TIMESTAMP } from '../../db/column-types';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';

/** Where a batch is in its delivery. */
export enum DeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

/**
 * One batch of changes for one subscription: the outbox row. Its body is fixed when the batch is
 * made, so every attempt sends the same bytes under the same `webhook-id` (the row's id).
 */
@Entity('webhook_delivery')
@Index(['status', 'nextAttemptAt'])
@Index(['subscriptionId', 'createdAt'])
export class WebhookDeliveryEntity {
  /** The `webhook-id` of every attempt. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid' })
  subscriptionId: string;

  /** Foreign key only, never loaded: deleting a subscription deletes its deliveries. */
  @ManyToOne(() => WebhookSubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscriptionId' })
  subscriptionRef?: WebhookSubscriptionEntity;

  /** Sequences of the first and last change of the batch. */
  @Column({ type: 'integer' })
  firstSequence: number;

  @Column({ type: 'integer' })
  lastSequence: number;

  @Column({ type: 'integer' })
  entryCount: number;

  /** When the oldest change of the batch was committed (for the lag). */
  @Column({ type: TIMESTAMP })
  oldestChangeAt: Date;

  /** The JSON body sent, the same on every attempt. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Not before this instant is the next attempt made. */
  @Column({ type: TIMESTAMP })
  nextAttemptAt: Date;

  /** The instance delivering it holds it until then; past it, another instance may take it over. */
  @Column({ type: TIMESTAMP, nullable: true })
  leaseUntil: Date | null;

  /** Which instance holds the lease (a uuid per process). */
  @Column({ type: 'varchar', length: 40, nullable: true })
  leaseOwner: string | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'integer', nullable: true })
  lastStatusCode: number | null;

  /** Milliseconds of the last attempt, from the request to the end of the answer. */
  @Column({ type: 'integer', nullable: true })
  latencyMs: number | null;

  @Column({ type: TIMESTAMP, nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ type: TIMESTAMP })
  createdAt: Date;
}
