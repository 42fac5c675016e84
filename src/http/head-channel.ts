import cluster from 'node:cluster';
import { Client } from 'pg';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { connectRedis } from './rate-limit';

/**
 * Carries the new head of the change log from the instance that committed a write to every
 * instance, whose subscriptions then read the entries from the log itself: a message says only
 * "the log reached this sequence", so a lost or repeated one changes nothing but latency (each
 * instance also catches up periodically).
 */
export interface HeadChannel {
  /** How the heads travel: `redis`, `postgres` (LISTEN/NOTIFY) or `process` (in-process). */
  readonly kind: 'redis' | 'postgres' | 'process' | 'cluster';
  /** Tells every instance (this one included) that the log reached `head`. */
  publish(head: number): void;
  /** Calls `listener` with each head published by any instance. */
  listen(listener: (head: number) => void): void;
  /** Stops listening and closes the channel's connections. */
  close(): Promise<void>;
}

/**
 * The PostgreSQL notification channel the heads are published on (a database's own), and the
 * name of the Redis channel after the deployment's namespace.
 */
export const HEAD_CHANNEL = 'annuaire_change_log_head';

/** Parses a published head; null for anything else. */
function headOf(text: string): number | null {
  return /^\d{1,15}$/.test(text) ? Number(text) : null;
}

/**
 * The channel for this deployment: Redis pub/sub when `REDIS_URL` is set, else PostgreSQL's
 * LISTEN/NOTIFY on PostgreSQL, else in-process (SQLite: one instance per database file).
 */
export async function openHeadChannel(
  options: {
    redisUrl: string | null;
    /** Of the deployment's Redis keys and channels (`redisNamespace`). */
    redisNamespace: string;
    postgresUrl: string | null;
  },
  log: Logger,
): Promise<HeadChannel> {
  if (options.redisUrl)
    return RedisHeadChannel.open(options.redisUrl, `${options.redisNamespace}${HEAD_CHANNEL}`, log);
  if (options.postgresUrl) return PostgresHeadChannel.open(options.postgresUrl, log);
  return cluster.isWorker ? new ClusterHeadChannel() : new ProcessHeadChannel();
}

/**
 * Heads among the workers of one WEB_CONCURRENCY cluster on SQLite: sent to the primary, which
 * hands them to every other worker (`relayClusterHeads`). Note: without it, a worker heard of
 * another's writes only at its next catch-up.
 */
class ClusterHeadChannel implements HeadChannel {
  readonly kind = 'cluster' as const;
  private readonly listeners = new Set<(head: number) => void>();
  private readonly onMessage = (message: unknown) => {
    const head = headMessage(message);
    if (head !== null) this.deliver(head);
  };

  constructor() {
    process.on('message', this.onMessage);
  }

  publish(head: number): void {
    this.deliver(head);
    process.send?.({ channel: HEAD_CHANNEL, head });
  }

  listen(listener: (head: number) => void): void {
    this.listeners.add(listener);
  }

  private deliver(head: number): void {
    for (const listener of this.listeners) listener(head);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    process.off('message', this.onMessage);
  }
}

/** The head a cluster message carries; null for any other message. */
function headMessage(message: unknown): number | null {
  const m = message as { channel?: unknown; head?: unknown } | null;
  return m?.channel === HEAD_CHANNEL && typeof m.head === 'number' && Number.isSafeInteger(m.head)
    ? m.head
    : null;
}

/** In the cluster's primary: hands each worker's heads to the other workers. */
export function relayClusterHeads(): void {
  cluster.on('message', (from, message: unknown) => {
    const head = headMessage(message);
    if (head === null) return;
    for (const worker of Object.values(cluster.workers ?? {}))
      if (worker && worker !== from && worker.isConnected())
        worker.send({ channel: HEAD_CHANNEL, head });
  });
}

/** Heads within this process only. */
class ProcessHeadChannel implements HeadChannel {
  readonly kind = 'process' as const;
  private readonly listeners = new Set<(head: number) => void>();

  publish(head: number): void {
    for (const listener of this.listeners) listener(head);
  }

  listen(listener: (head: number) => void): void {
    this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/**
 * Heads over Redis pub/sub: one connection publishes, another subscribes. The instance that
 * commits also hears its own head at once, without the round trip.
 */
class RedisHeadChannel implements HeadChannel {
  readonly kind = 'redis' as const;
  private readonly listeners = new Set<(head: number) => void>();

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly log: Logger,
  ) {
    subscriber.on('message', (from: string, message: string) => {
      const head = from === channel ? headOf(message) : null;
      if (head !== null) this.deliver(head);
    });
  }

  static async open(url: string, channel: string, log: Logger): Promise<RedisHeadChannel> {
    const publisher = await connectRedis(url, log, 'subscription heads');
    // Note: a subscribed connection may not publish; it resubscribes by itself on reconnection.
    const subscriber = await connectRedis(url, log, 'subscription heads');
    await subscriber.subscribe(channel);
    return new RedisHeadChannel(publisher, subscriber, channel, log);
  }

  publish(head: number): void {
    this.deliver(head);
    this.publisher
      .publish(this.channel, String(head))
      .catch((err: unknown) =>
        this.log.warn({ err }, 'could not publish a change-log head (others catch up)'),
      );
  }

  listen(listener: (head: number) => void): void {
    this.listeners.add(listener);
  }

  private deliver(head: number): void {
    for (const listener of this.listeners) listener(head);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}

/**
 * Heads over PostgreSQL's LISTEN/NOTIFY, on a connection of its own outside the pool, which is
 * opened again a second after it drops (the periodic catch-up covers what was missed meanwhile).
 */
class PostgresHeadChannel implements HeadChannel {
  readonly kind = 'postgres' as const;
  private readonly listeners = new Set<(head: number) => void>();
  private client: Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  private constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  static async open(url: string, log: Logger): Promise<PostgresHeadChannel> {
    const channel = new PostgresHeadChannel(url, log);
    await channel.connect();
    return channel;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on('error', (err) => {
      this.log.warn({ err }, 'subscription heads (LISTEN) connection error');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    client.on('notification', (msg) => {
      const head = msg.channel === HEAD_CHANNEL ? headOf(msg.payload ?? '') : null;
      if (head !== null) for (const listener of this.listeners) listener(head);
    });
    await client.connect();
    await client.query(`LISTEN ${HEAD_CHANNEL}`);
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private reconnect(client: Client): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.scheduleConnect();
  }

  /** Opens the listening connection again in a second, and again until it works. */
  private scheduleConnect(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch((err: unknown) => {
        this.log.warn({ err }, 'subscription heads: LISTEN again failed; retrying');
        this.scheduleConnect();
      });
    }, 1_000);
  }

  publish(head: number): void {
    const client = this.client;
    // Note: without the listening connection, the other instances catch up by themselves.
    if (!client) {
      for (const listener of this.listeners) listener(head);
      return;
    }
    client
      .query('SELECT pg_notify($1, $2)', [HEAD_CHANNEL, String(head)])
      .catch((err: unknown) =>
        this.log.warn({ err }, 'could not notify a change-log head (others catch up)'),
      );
  }

  listen(listener: (head: number) => void): void {
    this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
