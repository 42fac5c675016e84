import type { AppModule } from '../node/app-module';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookResolver } from './webhook.resolver';

/**
 * Webhooks: ADMIN's subscriptions, the outbox of batches, and the delivery worker that every
 * instance runs (started by the composition root, src/app/gateway.ts).
 */
export const WEBHOOK_MODULE: AppModule = {
  name: 'webhook',
  entities: [WebhookSubscriptionEntity, WebhookDeliveryEntity],
  resolvers: [WebhookResolver],
};
