import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Context } from '../../graphql/context';
import { BadUserInputError } from '../../graphql/errors';
import { Role } from '../../graphql/role';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import {
  createSubscription,
  deleteSubscription,
  toDelivery,
  toSubscription,
  updateSubscription,
} from './webhook.service';
import {
  CreateWebhookSubscriptionInput,
  CreateWebhookSubscriptionPayload,
  DeleteWebhookSubscriptionInput,
  UpdateWebhookSubscriptionInput,
  WebhookDeliveriesArgs,
  WebhookDelivery,
  WebhookSubscription,
  WebhookSubscriptionPayload,
} from './webhook.types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Webhook subscriptions and their deliveries, for ADMIN. */
@Resolver()
export class WebhookResolver {
  @Authorized(Role.ADMIN)
  @Query(() => [WebhookSubscription], {
    description: 'Every webhook subscription, oldest first, without their secrets. ADMIN only.',
  })
  async webhookSubscriptions(@Ctx() ctx: Context): Promise<WebhookSubscription[]> {
    const rows = await ctx.db
      .getRepository(WebhookSubscriptionEntity)
      .find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toSubscription);
  }

  @Authorized(Role.ADMIN)
  @Query(() => [WebhookDelivery], {
    description:
      'Webhook deliveries (batches), newest first: status, attempts, last error and latency. ADMIN only.',
  })
  async webhookDeliveries(
    @Args() args: WebhookDeliveriesArgs,
    @Ctx() ctx: Context,
  ): Promise<WebhookDelivery[]> {
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > 100) {
      throw new BadUserInputError(`first must be between 1 and 100; got ${first}.`, 'first');
    }
    if (args.subscriptionId != null && !UUID.test(args.subscriptionId)) {
      throw new BadUserInputError('subscriptionId is not a subscription id.', 'subscriptionId');
    }
    const rows = await ctx.db.getRepository(WebhookDeliveryEntity).find({
      where: {
        ...(args.subscriptionId != null
          ? { subscriptionId: args.subscriptionId.toLowerCase() }
          : {}),
        ...(args.status != null ? { status: args.status } : {}),
      },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: first,
    });
    return rows.map(toDelivery);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => CreateWebhookSubscriptionPayload, {
    description:
      'Subscribes a receiver to the changes committed from now on, in signed batches (Standard Webhooks). Returns the signing secret, this once. ADMIN only.',
  })
  createWebhookSubscription(
    @Arg('input', { description: 'The receiver and what it follows.' })
    input: CreateWebhookSubscriptionInput,
    @Ctx() ctx: Context,
  ): Promise<CreateWebhookSubscriptionPayload> {
    return createSubscription(ctx, input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookSubscriptionPayload, {
    description:
      'Changes a webhook subscription’s URL, filters or description, or disables or re-enables it. ADMIN only.',
  })
  updateWebhookSubscription(
    @Arg('input', { description: 'The changes.' }) input: UpdateWebhookSubscriptionInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookSubscriptionPayload> {
    return updateSubscription(ctx, input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => WebhookSubscriptionPayload, {
    description: 'Deletes a webhook subscription and its deliveries. ADMIN only.',
  })
  deleteWebhookSubscription(
    @Arg('input', { description: 'Which one.' }) input: DeleteWebhookSubscriptionInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookSubscriptionPayload> {
    return deleteSubscription(ctx, input.id);
  }
}
