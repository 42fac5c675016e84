import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { UserError } from '../node/mutation';
import { EntityType } from '../sync/entity-type';
import { DeliveryStatus } from './webhook-delivery.entity';

registerEnumType(DeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a webhook batch is in its delivery.',
  valuesConfig: {
    PENDING: { description: 'Not delivered yet: waiting for its first attempt or a retry.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: {
      description:
        'Its last attempt failed and its subscription was disabled; re-enabling the subscription retries it, with the same webhook-id.',
    },
  },
});

@ObjectType({
  description:
    'A receiver of the directory’s changes: batches of `Change` records, signed by the Standard Webhooks scheme, POSTed to its URL.',
})
export class WebhookSubscription {
  @Field(() => ID, {
    description: 'Id of the subscription (the `subscriptionId` of its deliveries).',
  })
  id: string;

  @Field({ description: 'The receiver’s http or https URL.' })
  url: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'Global id of the unit whose subtree is followed, as the feed’s `subtree` argument; null: the whole directory.',
  })
  subtree: string | null;

  @Field(() => [EntityType], {
    nullable: true,
    description: 'Record types followed, as the feed’s `types` argument; null: all of them.',
  })
  types: string[] | null;

  @Field({ description: 'What it is for, for the administrators.' })
  description: string;

  @Field({
    description: 'False once disabled, by an administrator or after a failed last attempt.',
  })
  enabled: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Why it was disabled (the last error of the batch that failed), or null.',
  })
  disabledReason: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it was disabled.' })
  disabledAt: Date | null;

  @Field({
    description:
      'Feed cursor of the last change already put in a batch or passed over as not matching: the changes after it are still to come.',
  })
  cursor: string;

  @Field(() => DateTimeISOResolver, { description: 'When it was created.' })
  createdAt: Date;

  @Field(() => DateTimeISOResolver, { description: 'When it was last changed.' })
  updatedAt: Date;
}

@ObjectType({ description: 'One batch of changes for one subscription, and its attempts.' })
export class WebhookDelivery {
  @Field(() => ID, {
    description:
      'The `webhook-id` header of every attempt of this batch: receivers drop repeats by it.',
  })
  id: string;

  @Field(() => ID, { description: 'Id of its subscription.' })
  subscriptionId: string;

  @Field(() => DeliveryStatus, { description: 'Where it is.' })
  status: DeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far (the one in progress included).' })
  attempts: number;

  @Field(() => Int, { description: 'How many changes it carries.' })
  entryCount: number;

  @Field(() => Int, { description: 'Sequence of its first change.' })
  firstSequence: number;

  @Field(() => Int, { description: 'Sequence of its last change.' })
  lastSequence: number;

  @Field({ description: 'The feed cursor after its last change (the body’s `data.cursor`).' })
  cursor: string;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed, or null.' })
  lastError: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'HTTP status of the receiver’s last answer; null when it did not answer.',
  })
  lastStatusCode: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Milliseconds the last attempt took, from the request to the end of the answer.',
  })
  latencyMs: number | null;

  @Field(() => DateTimeISOResolver, { description: 'When the batch was made.' })
  createdAt: Date;

  @Field(() => DateTimeISOResolver, {
    description: 'When its next attempt is due (meaningful while PENDING).',
  })
  nextAttemptAt: Date;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When it was delivered.' })
  deliveredAt: Date | null;
}

@InputType({ description: 'A new webhook subscription.' })
export class CreateWebhookSubscriptionInput {
  @Field({
    description:
      'The receiver: an http or https URL (at most 2048 characters, no credentials) whose host resolves to public addresses only.',
  })
  url: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Follow only the subtree of this unit (global id), as the feed’s `subtree`.',
  })
  subtree?: string | null;

  @Field(() => [EntityType], {
    nullable: true,
    description: 'Follow only these record types, as the feed’s `types`. Absent or empty: all.',
  })
  types?: string[] | null;

  @Field(() => String, { nullable: true, description: 'What it is for (at most 500 characters).' })
  description?: string | null;
}

@InputType({ description: 'Changes to a webhook subscription; absent fields stay as they are.' })
export class UpdateWebhookSubscriptionInput {
  @Field(() => ID, { description: 'Id of the subscription.' })
  id: string;

  @Field(() => String, {
    nullable: true,
    description: 'A new receiver URL, checked as at creation.',
  })
  url?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'A new unit to follow (global id); null: the whole directory.',
  })
  subtree?: string | null;

  @Field(() => [EntityType], {
    nullable: true,
    description: 'New record types to follow; null or empty: all.',
  })
  types?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A new description.' })
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'false disables it; true enables it again, clears its reason and retries its failed batch with the same webhook-id.',
  })
  enabled?: boolean | null;
}

@InputType({ description: 'Which webhook subscription to delete.' })
export class DeleteWebhookSubscriptionInput {
  @Field(() => ID, { description: 'Id of the subscription; its deliveries go with it.' })
  id: string;
}

@ObjectType({ description: 'Result of `createWebhookSubscription`.' })
export class CreateWebhookSubscriptionPayload {
  @Field(() => WebhookSubscription, {
    nullable: true,
    description: 'The new subscription; null when it was refused.',
  })
  subscription: WebhookSubscription | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The signing secret (`whsec_<base64>`), for the receiver’s Standard Webhooks verification. Shown this once: no query returns it again.',
  })
  secret: string | null;

  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' })
  userErrors: UserError[];
}

@ObjectType({
  description: 'Result of `updateWebhookSubscription` and `deleteWebhookSubscription`.',
})
export class WebhookSubscriptionPayload {
  @Field(() => WebhookSubscription, {
    nullable: true,
    description:
      'The subscription after the change (as it was, for a deletion); null when it was refused.',
  })
  subscription: WebhookSubscription | null;

  @Field(() => [UserError], { description: 'Why it was refused; empty on success.' })
  userErrors: UserError[];
}

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => ID, { nullable: true, description: 'Only the deliveries of this subscription.' })
  subscriptionId?: string | null;

  @Field(() => DeliveryStatus, { nullable: true, description: 'Only deliveries in this status.' })
  status?: DeliveryStatus | null;

  @Field(() => Int, {
    nullable: true,
    description: 'How many, newest first (1 to 100, default 20).',
  })
  first?: number | null;
}
