import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Context } from '../../graphql/context';
import { DomainError, ValidationCode } from '../node/domain-error';
import { inputUuid, runMutation } from '../node/mutation';
import { requireStorableText } from '../node/validate';
import { toGlobalId } from '../node/global-id';
import type { UserError } from '../node/mutation';
import { OrgUnit } from '../org-unit/org-unit.entity';
import { encodeFeedCursor, headSequence } from '../sync/change-feed';
import { DeliveryStatus, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { checkTarget, TargetRefused } from './webhook-target';
import type {
  CreateWebhookSubscriptionInput,
  UpdateWebhookSubscriptionInput,
  WebhookDelivery,
  WebhookSubscription,
} from './webhook.types';

/** Longest description accepted. */
export const DESCRIPTION_MAX = 500;
/** Most subscriptions a directory holds. */
export const SUBSCRIPTIONS_MAX = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A new signing secret: 32 random bytes in the Standard Webhooks form. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The API view of a subscription (never its secret). */
export function toSubscription(row: WebhookSubscriptionEntity): WebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    subtree: row.subtree ? toGlobalId('OrgUnit', row.subtree) : null,
    types: row.types,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt,
    cursor: encodeFeedCursor(row.cursor),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The API view of a delivery. */
export function toDelivery(row: WebhookDeliveryEntity): WebhookDelivery {
  return {
    id: row.id,
    subscriptionId: row.subscriptionId,
    status: row.status,
    attempts: row.attempts,
    entryCount: row.entryCount,
    firstSequence: row.firstSequence,
    lastSequence: row.lastSequence,
    cursor: encodeFeedCursor(row.lastSequence),
    lastError: row.lastError,
    lastStatusCode: row.lastStatusCode,
    latencyMs: row.latencyMs,
    createdAt: row.createdAt,
    nextAttemptAt: row.nextAttemptAt,
    deliveredAt: row.deliveredAt,
  };
}

function userErrorOf(e: DomainError): UserError {
  return { field: ['input', ...e.field], message: e.message, code: e.code };
}

/** Checks a URL, resolving its host, before any transaction: DNS may take seconds. */
async function checkUrl(ctx: Context, url: string): Promise<void> {
  try {
    await checkTarget(url, ctx.config.webhooks.allowPrivateNetworks);
  } catch (e) {
    if (!(e instanceof TargetRefused)) throw e;
    throw new DomainError(ValidationCode[e.code], ['url'], e.message);
  }
}

function checkDescription(description: string | null | undefined): void {
  if (description != null && description.length > DESCRIPTION_MAX) {
    throw new DomainError(
      ValidationCode.TOO_LONG,
      ['description'],
      `description is longer than ${DESCRIPTION_MAX} characters.`,
    );
  }
}

/** The uuid of an existing unit named by `subtree`, or NOT_FOUND. */
async function requireUnit(em: EntityManager, subtree: string): Promise<string> {
  const uuid = inputUuid(subtree, 'OrgUnit', 'subtree');
  if (!(await em.existsBy(OrgUnit, { uuid }))) {
    throw new DomainError(ValidationCode.NOT_FOUND, ['subtree'], 'subtree names no unit.');
  }
  return uuid;
}

function typesOf(types: string[] | null | undefined): string[] | null {
  return types?.length ? [...new Set(types)] : null;
}

function requireId(id: string): string {
  if (!UUID.test(id)) {
    throw new DomainError(ValidationCode.NOT_FOUND, ['id'], 'id names no webhook subscription.');
  }
  return id.toLowerCase();
}

async function requireSubscription(em: EntityManager, id: string) {
  const row = await em.findOneBy(WebhookSubscriptionEntity, { id: requireId(id) });
  if (!row) {
    throw new DomainError(ValidationCode.NOT_FOUND, ['id'], 'id names no webhook subscription.');
  }
  return row;
}

/**
 * Runs the checks that need no transaction (URL and its resolution, lengths), then the write in
 * `runMutation`; a refusal at either step is the same userError and writes nothing.
 */
async function mutate<T>(
  ctx: Context,
  precheck: () => Promise<void>,
  write: (em: EntityManager, actor: string) => Promise<T>,
): Promise<{ record: T | null; userErrors: UserError[] }> {
  try {
    await precheck();
  } catch (e) {
    if (e instanceof DomainError) return { record: null, userErrors: [userErrorOf(e)] };
    throw e;
  }
  return runMutation(ctx, ({ em, actor }) => write(em, actor));
}

/** `createWebhookSubscription`: the subscription follows the changes committed after it. */
export async function createSubscription(
  ctx: Context,
  input: CreateWebhookSubscriptionInput,
): Promise<{
  subscription: WebhookSubscription | null;
  secret: string | null;
  userErrors: UserError[];
}> {
  const secret = newSecret();
  const result = await mutate(
    ctx,
    async () => {
      requireStorableText({ url: input.url, description: input.description });
      checkDescription(input.description);
      await checkUrl(ctx, input.url);
    },
    async (em, actor) => {
      if ((await em.count(WebhookSubscriptionEntity)) >= SUBSCRIPTIONS_MAX) {
        throw new DomainError(
          ValidationCode.INVALID_VALUE,
          [],
          `A directory holds at most ${SUBSCRIPTIONS_MAX} webhook subscriptions.`,
        );
      }
      const subtree = input.subtree != null ? await requireUnit(em, input.subtree) : null;
      const id = randomUUID();
      // Note: the write lock is held, so no change commits between this head and the insert.
      await em.insert(WebhookSubscriptionEntity, {
        id,
        url: input.url,
        subtree,
        types: typesOf(input.types),
        description: input.description ?? '',
        secret,
        enabled: true,
        disabledReason: null,
        disabledAt: null,
        cursor: await headSequence(em.connection),
        createdBy: actor,
      });
      return em.findOneByOrFail(WebhookSubscriptionEntity, { id });
    },
  );
  return {
    subscription: result.record ? toSubscription(result.record) : null,
    secret: result.record ? secret : null,
    userErrors: result.userErrors,
  };
}

/** `updateWebhookSubscription`. */
export async function updateSubscription(
  ctx: Context,
  input: UpdateWebhookSubscriptionInput,
): Promise<{ subscription: WebhookSubscription | null; userErrors: UserError[] }> {
  const result = await mutate(
    ctx,
    async () => {
      requireId(input.id);
      requireStorableText({ url: input.url, description: input.description });
      checkDescription(input.description);
      if (input.url != null) await checkUrl(ctx, input.url);
    },
    async (em) => {
      const row = await requireSubscription(em, input.id);
      const patch: Partial<WebhookSubscriptionEntity> = {};
      if (input.url != null) patch.url = input.url;
      if (input.description != null) patch.description = input.description;
      if (input.subtree !== undefined) {
        patch.subtree = input.subtree === null ? null : await requireUnit(em, input.subtree);
      }
      if (input.types !== undefined) patch.types = typesOf(input.types);
      if (input.enabled === false && row.enabled) {
        Object.assign(patch, {
          enabled: false,
          disabledAt: new Date(),
          disabledReason: 'Disabled by an administrator.',
        });
      } else if (input.enabled === true && !row.enabled) {
        Object.assign(patch, { enabled: true, disabledAt: null, disabledReason: null });
        // Note: the batch that failed goes again, whole, under its own webhook-id.
        await em.update(
          WebhookDeliveryEntity,
          { subscriptionId: row.id, status: DeliveryStatus.FAILED },
          {
            status: DeliveryStatus.PENDING,
            attempts: 0,
            nextAttemptAt: new Date(),
            leaseOwner: null,
            leaseUntil: null,
          },
        );
      }
      if (Object.keys(patch).length > 0) await em.update(WebhookSubscriptionEntity, row.id, patch);
      return em.findOneByOrFail(WebhookSubscriptionEntity, { id: row.id });
    },
  );
  return {
    subscription: result.record ? toSubscription(result.record) : null,
    userErrors: result.userErrors,
  };
}

/** `deleteWebhookSubscription`: its deliveries go with it (foreign key, ON DELETE CASCADE). */
export async function deleteSubscription(
  ctx: Context,
  id: string,
): Promise<{ subscription: WebhookSubscription | null; userErrors: UserError[] }> {
  const result = await mutate(
    ctx,
    async () => void requireId(id),
    async (em) => {
      const row = await requireSubscription(em, id);
      await em.delete(WebhookDeliveryEntity, { subscriptionId: row.id });
      await em.delete(WebhookSubscriptionEntity, { id: row.id });
      return row;
    },
  );
  return {
    subscription: result.record ? toSubscription(result.record) : null,
    userErrors: result.userErrors,
  };
}
