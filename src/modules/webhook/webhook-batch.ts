import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config';
import { createContext, type Services } from '../../graphql/context';
import { Role } from '../../graphql/role';
import { toGlobalId } from '../node/global-id';
import {
  changesPage,
  encodeFeedCursor,
  headSequence,
  SyncCursorExpiredError,
} from '../sync/change-feed';
import type { Change } from '../sync/change-feed.types';
import { EntityType } from '../sync/entity-type';
import type { WebhookSubscriptionEntity } from './webhook-subscription.entity';

/** The `type` of every delivery's body. */
export const EVENT_TYPE = 'directory.changes';

/** What the worker should do for one subscription now. */
export type BatchPlan =
  /** Nothing matched up to `cursor`: move the subscription's cursor there. */
  | { kind: 'skip'; cursor: number }
  /** Matching changes wait for more, or for `WEBHOOK_BATCH_MS`. */
  | { kind: 'wait' }
  /** The changes after the cursor were compacted away. */
  | { kind: 'expired'; reason: string }
  | {
      kind: 'batch';
      id: string;
      payload: string;
      firstSequence: number;
      lastSequence: number;
      entryCount: number;
      oldestChangeAt: Date;
      /** The subscription's new cursor. */
      cursor: number;
    };

/** Who the gateway reads the feed as for a webhook: a SYNC caller (no private fields). */
const WEBHOOK_READER = {
  kind: 'key' as const,
  id: null,
  name: 'webhooks',
  role: Role.SYNC,
  actor: 'webhooks',
  rateKey: 'webhooks',
};

/** The GraphQL name of an EntityType value (`OrgUnit` → `ORG_UNIT`). */
function entityTypeName(value: string): string {
  return Object.keys(EntityType).find((k) => EntityType[k] === value) ?? value;
}

/**
 * A change as the feed serializes it (`changes { nodes { … } }`), the record reduced to
 * `{ __typename, id }` since a webhook has no selection set.
 */
function changeJson(change: Change): Record<string, unknown> {
  return {
    sequence: change.sequence,
    operation: change.operation,
    entityType: entityTypeName(change.entityType),
    entityId: change.entityId,
    version: change.version,
    occurredAt: change.occurredAt.toISOString(),
    changedFields: change.changedFields,
    node: change.node ? { __typename: change.entityType, id: change.entityId } : null,
    tombstone: change.tombstone,
    surrogateKeys: change.surrogateKeys,
  };
}

/**
 * Reads the change feed after the subscription's cursor with its filters (the feed's own
 * `changesPage`, so `subtree` and `types` match exactly what `changes` gives with the same
 * arguments) and decides: a batch when `batchSize` changes are there or the oldest has waited
 * `batchMs`, else wait, or move the cursor past changes that do not match.
 */
export async function buildBatch(
  db: DataSource,
  config: Config,
  services: Services,
  subscription: WebhookSubscriptionEntity,
  /** When this process first saw the change of this sequence (ms since the epoch). */
  firstSeen: (sequence: number) => number,
): Promise<BatchPlan> {
  const { batchSize, batchMs } = config.webhooks;
  // Note: the head is read first: every change up to it is committed (sequences follow commit
  // order), so a page that ends before it has seen every matching change up to it.
  const head = await headSequence(db);
  const ctx = createContext(db, config, services, { statements: 0 }, WEBHOOK_READER);
  let page;
  try {
    page = await changesPage(ctx, {
      after: encodeFeedCursor(subscription.cursor),
      first: batchSize,
      subtree: subscription.subtree ? toGlobalId('OrgUnit', subscription.subtree) : null,
      types: subscription.types,
    });
  } catch (e) {
    if (!(e instanceof SyncCursorExpiredError)) throw e;
    return {
      kind: 'expired',
      reason:
        'SYNC_CURSOR_EXPIRED: the change log no longer holds the changes after this subscription’s cursor (compacted by CHANGE_LOG_RETENTION_DAYS before they were delivered, or replaced by a mirror’s new snapshot).',
    };
  }
  const changes = await Promise.all(page.nodes);
  const complete = !page.pageInfo.hasNextPage;
  if (changes.length === 0) return { kind: 'skip', cursor: head };
  const oldest = changes[0].occurredAt;
  // Note: SQLite keeps commit times to the second; what this process saw is the finer bound.
  const waiting = Math.max(oldest.getTime(), firstSeen(changes[0].sequence));
  const due = changes.length >= batchSize || !complete || Date.now() - waiting >= batchMs;
  if (!due) return { kind: 'wait' };
  const last = changes[changes.length - 1].sequence;
  const id = randomUUID();
  const body = {
    type: EVENT_TYPE,
    timestamp: new Date().toISOString(),
    data: {
      subscriptionId: subscription.id,
      changes: changes.map(changeJson),
      cursor: encodeFeedCursor(last),
    },
  };
  return {
    kind: 'batch',
    id,
    payload: JSON.stringify(body),
    firstSequence: changes[0].sequence,
    lastSequence: last,
    entryCount: changes.length,
    oldestChangeAt: oldest,
    cursor: complete ? Math.max(last, head) : last,
  };
}
