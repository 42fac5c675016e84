import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { DateUtils } from 'typeorm/util/DateUtils';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Services } from '../../graphql/context';
import { writeTransaction } from '../../db/write-transaction';
import { webhookDeliveries, webhookFailures, webhookLag } from '../../metrics';
import { DeliveryStatus, WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { buildBatch } from './webhook-batch';
import { sendSigned, type AttemptResult } from './webhook-send';

/** Deliveries one instance has in flight at most. */
const CONCURRENCY = 8;

/** A running delivery worker. */
export interface WebhookWorker {
  /** Stops looking for work, aborts the attempts in flight and hands their batches back. */
  stop(): Promise<void>;
}

/**
 * The delivery loop that every instance runs. Every `pollMs` it (1) makes the batches that are
 * due, one subscription at a time, under a lock on the subscription's row, and (2) claims due
 * batches, leases them, and sends them. On PostgreSQL both steps lock rows with
 * `FOR UPDATE SKIP LOCKED`, so instances never wait for each other and never take the same row;
 * a lease that expires (its instance died mid-delivery) makes the batch claimable again, and the
 * next attempt carries the same `webhook-id`. On SQLite (one process) both run in a write
 * transaction, under the file's write lock.
 */
export function startWebhookWorker(
  db: DataSource,
  config: Config,
  services: Services,
  log: Logger,
): WebhookWorker {
  const settings = config.webhooks;
  const postgres = config.database.dialect === 'postgres';
  const me = randomUUID();
  const leaseMs = settings.connectTimeoutMs + settings.timeoutMs + 2_000;
  const abort = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();
  /** Per subscription, the first change waiting for a batch and when this process first saw it. */
  const seen = new Map<string, { sequence: number; at: number }>();

  const time = (d: Date): Date | string =>
    postgres ? d : (DateUtils.mixedDateToUtcDatetimeString(d) as string);
  const sql = (text: string) => (postgres ? text : text.replace(/\$\d+/g, '?'));

  /** A short transaction of the worker: plain on PostgreSQL (row locks), the write lock on SQLite. */
  function transaction<T>(run: (em: EntityManager) => Promise<T>): Promise<T> {
    return postgres
      ? db.transaction(run)
      : writeTransaction(db, run, { timeoutMs: config.database.lockTimeoutMs });
  }

  /**
   * What there is to do, in one statement (all an idle instance sends per poll): the enabled
   * subscriptions behind the head (or the compaction point, once the log is empty) with no batch
   * pending (batches to make), and whether any has one pending (batches to send).
   */
  async function survey(): Promise<{ behind: string[]; pending: boolean }> {
    const rows: Array<{ id: string; behind: number | boolean; pending: number | boolean }> =
      await db.query(
        `SELECT s.id,
                s.cursor < COALESCE((SELECT MAX(c.sequence) FROM change_log c),
                                    (SELECT m.value FROM change_log_meta m
                                      WHERE m.name = 'compactedThrough'), 0) AS behind,
                EXISTS (SELECT 1 FROM webhook_delivery d
                         WHERE d."subscriptionId" = s.id AND d.status = 'PENDING') AS pending
           FROM webhook_subscription s
          WHERE s.enabled = TRUE`,
      );
    for (const id of seen.keys()) if (!rows.some((r) => r.id === id)) seen.delete(id);
    return {
      behind: rows.filter((r) => Boolean(r.behind) && !r.pending).map((r) => r.id),
      pending: rows.some((r) => Boolean(r.pending)),
    };
  }

  /** Makes the due batch of one subscription, if any, under the lock of its row. */
  async function makeBatch(id: string): Promise<void> {
    await transaction(async (em) => {
      const locked: Array<{ id: string }> = await em.query(
        sql(
          `SELECT id FROM webhook_subscription WHERE id = $1 AND enabled = TRUE${
            postgres ? ' FOR UPDATE SKIP LOCKED' : ''
          }`,
        ),
        [id],
      );
      if (locked.length === 0) return;
      // Note: read after the lock, so a batch another instance has just committed is seen.
      const pending = await em.count(WebhookDeliveryEntity, {
        where: { subscriptionId: id, status: DeliveryStatus.PENDING },
      });
      if (pending > 0) return;
      const subscription = await em.findOneByOrFail(WebhookSubscriptionEntity, { id });
      const batch = await buildBatch(db, config, services, subscription, (sequence) => {
        const known = seen.get(id);
        if (known?.sequence === sequence) return known.at;
        seen.set(id, { sequence, at: Date.now() });
        return Date.now();
      });
      if (batch.kind !== 'wait') seen.delete(id);
      if (batch.kind === 'expired') {
        await em.update(WebhookSubscriptionEntity, id, {
          enabled: false,
          disabledAt: new Date(),
          disabledReason: batch.reason,
        });
        log.warn({ subscription: id }, 'webhook subscription disabled: cursor expired');
        return;
      }
      if (batch.kind === 'skip') {
        if (batch.cursor > subscription.cursor) {
          await em.update(WebhookSubscriptionEntity, id, { cursor: batch.cursor });
        }
        return;
      }
      if (batch.kind === 'wait') return;
      const now = new Date();
      await em.insert(WebhookDeliveryEntity, {
        id: batch.id,
        subscriptionId: id,
        firstSequence: batch.firstSequence,
        lastSequence: batch.lastSequence,
        entryCount: batch.entryCount,
        oldestChangeAt: batch.oldestChangeAt,
        payload: batch.payload,
        status: DeliveryStatus.PENDING,
        attempts: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        leaseOwner: null,
      });
      await em.update(WebhookSubscriptionEntity, id, { cursor: batch.cursor });
    });
  }

  /** Claims up to `n` due batches: leased to this instance, their attempt counted. */
  async function claim(n: number): Promise<WebhookDeliveryEntity[]> {
    return transaction(async (em) => {
      const now = new Date();
      const rows: Array<{ id: string }> = await em.query(
        sql(
          `SELECT d.id FROM webhook_delivery d
             JOIN webhook_subscription s ON s.id = d."subscriptionId"
            WHERE d.status = 'PENDING' AND s.enabled = TRUE AND d."nextAttemptAt" <= $1
              AND (d."leaseUntil" IS NULL OR d."leaseUntil" < $2)
            ORDER BY d."nextAttemptAt" LIMIT $3${postgres ? ' FOR UPDATE OF d SKIP LOCKED' : ''}`,
        ),
        [time(now), time(now), n],
      );
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      await em
        .createQueryBuilder()
        .update(WebhookDeliveryEntity)
        .set({
          attempts: () => 'attempts + 1',
          leaseOwner: me,
          leaseUntil: new Date(now.getTime() + leaseMs),
        })
        .whereInIds(ids)
        .execute();
      return em.findBy(WebhookDeliveryEntity, { id: In(ids) });
    });
  }

  /** Sends one claimed batch and records what came of it, if this instance still holds it. */
  async function deliver(delivery: WebhookDeliveryEntity): Promise<void> {
    const subscription = await db
      .getRepository(WebhookSubscriptionEntity)
      .findOneBy({ id: delivery.subscriptionId });
    if (!subscription) return;
    const result = await sendSigned(
      subscription.url,
      subscription.secret,
      delivery.id,
      delivery.payload,
      {
        connectTimeoutMs: settings.connectTimeoutMs,
        timeoutMs: settings.timeoutMs,
        allowPrivateNetworks: settings.allowPrivateNetworks,
        signal: abort.signal,
      },
    );
    await record(delivery, result);
  }

  async function record(delivery: WebhookDeliveryEntity, result: AttemptResult): Promise<void> {
    const now = new Date();
    const outcome = await transaction(async (em) => {
      const mine = { id: delivery.id, leaseOwner: me, status: DeliveryStatus.PENDING };
      const base = {
        lastStatusCode: result.statusCode,
        latencyMs: result.latencyMs,
        leaseOwner: null,
        leaseUntil: null,
      };
      if (result.ok) {
        const r = await em.update(WebhookDeliveryEntity, mine, {
          ...base,
          status: DeliveryStatus.DELIVERED,
          deliveredAt: now,
          lastError: null,
        });
        return r.affected ? 'delivered' : null;
      }
      if (result.failure === 'aborted') {
        // Note: the gateway stopped; the attempt does not count, and any instance may retry now.
        await em.update(WebhookDeliveryEntity, mine, {
          ...base,
          attempts: delivery.attempts - 1,
          nextAttemptAt: now,
          lastError: result.error,
        });
        return null;
      }
      if (delivery.attempts >= settings.maxAttempts) {
        const r = await em.update(WebhookDeliveryEntity, mine, {
          ...base,
          status: DeliveryStatus.FAILED,
          lastError: result.error,
        });
        if (!r.affected) return null;
        await em.update(WebhookSubscriptionEntity, delivery.subscriptionId, {
          enabled: false,
          disabledAt: now,
          disabledReason: `Delivery ${delivery.id} failed ${delivery.attempts} times; last error: ${result.error}`,
        });
        return 'abandoned';
      }
      const r = await em.update(WebhookDeliveryEntity, mine, {
        ...base,
        nextAttemptAt: new Date(now.getTime() + backoffMs(delivery.attempts, settings)),
        lastError: result.error,
      });
      return r.affected ? 'retried' : null;
    });
    if (result.failure) webhookFailures.inc({ reason: result.failure });
    if (!outcome) return;
    webhookDeliveries.inc({ outcome });
    if (outcome === 'delivered') {
      const done = Date.now();
      const changes = (
        JSON.parse(delivery.payload) as { data: { changes: { occurredAt: string }[] } }
      ).data.changes;
      for (const c of changes) webhookLag.observe((done - Date.parse(c.occurredAt)) / 1000);
    } else if (outcome === 'abandoned') {
      log.warn({ subscription: delivery.subscriptionId }, 'webhook subscription disabled');
    }
  }

  async function tick(): Promise<void> {
    const work = await survey();
    for (const id of work.behind) {
      if (stopped) return;
      await makeBatch(id);
    }
    const room = CONCURRENCY - inFlight.size;
    if (stopped || room <= 0 || (!work.pending && work.behind.length === 0)) return;
    for (const delivery of await claim(room)) {
      const running = deliver(delivery)
        .catch((e: unknown) => log.error({ err: e }, 'webhook delivery failed'))
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      ticking = tick()
        .catch((e: unknown) => {
          if (!stopped) log.error({ err: e }, 'webhook worker failed');
        })
        .finally(schedule);
    }, settings.pollMs);
    timer.unref();
  }
  schedule();
  log.info({ instance: me }, 'webhook worker started');

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      abort.abort();
      await ticking;
      await Promise.all(inFlight);
    },
  };
}

/**
 * Milliseconds before the attempt after `attempts` failed ones: the base doubled each time, capped,
 * with "equal jitter" (between half of it and all of it), so receivers coming back from an outage
 * are not hit by every instance at once.
 */
export function backoffMs(
  attempts: number,
  settings: { backoffMs: number; backoffMaxMs: number },
): number {
  const ceiling = Math.min(settings.backoffMaxMs, settings.backoffMs * 2 ** (attempts - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
