import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { loadAverage, machineLine } from './report';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import { Webhook } from 'standardwebhooks';
import WebSocket from 'ws';
import { adminQuery, databaseUrl, dropDatabase } from '../db/postgres-admin';
import { formatMarkdown, replaceSection } from './outputs';

/**
 * Now, in milliseconds since the Unix epoch with sub-millisecond precision, on the clock every
 * process of this machine shares: `performance.timeOrigin + performance.now()`. The gateway's
 * `occurredAt` comes from its own `Date` (the same system clock, in whole milliseconds).
 */
export const now = () => performance.timeOrigin + performance.now();

/** How much the benchmark does; `quick` is for the smoke test. */
export interface PushSizes {
  /** Subscribers on B for each latency run. */
  subscribers: number[];
  /** Writes per latency run. */
  writes: number;
  /** Writes per second of the paced runs. */
  rate: number;
  /** Writes in flight at once in a burst. */
  burstConcurrency: number;
  /** Changes of the webhook burst. */
  webhookChanges: number;
  /** Mutations in flight at once in the webhook burst. */
  webhookConcurrency: number;
}

export const FULL: PushSizes = {
  subscribers: [1, 50],
  writes: 200,
  rate: 20,
  burstConcurrency: 10,
  webhookChanges: 1000,
  webhookConcurrency: 10,
};

export const QUICK: PushSizes = {
  subscribers: [1, 3],
  writes: 10,
  rate: 40,
  burstConcurrency: 5,
  // Note: more than one batch of the default WEBHOOK_BATCH_SIZE (100).
  webhookChanges: 120,
  webhookConcurrency: 10,
};

/** Percentiles of a list of milliseconds (nearest rank), rounded to 0.1 ms. */
export interface Stats {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function stats(values: number[]): Stats {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const round = (v: number | undefined) => (v === undefined ? NaN : Math.round(v * 10) / 10);
  const at = (p: number) => round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]);
  return {
    count: sorted.length,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: round(sorted[sorted.length - 1]),
  };
}

/** One latency run: N subscribers on B, K writes on A. */
export interface LatencyRow {
  setup: string;
  /** How heads travel between instances: redis, postgres (LISTEN/NOTIFY) or memory. */
  heads: string;
  subscribers: number;
  mode: 'paced' | 'burst';
  writes: number;
  /** Writes per second asked for (paced), or writes in flight at once (burst). */
  rate: number | null;
  concurrency: number | null;
  /** Events expected (writes × subscribers), received once, missing, and received more than once. */
  expected: number;
  received: number;
  missing: number;
  duplicates: number;
  /** Receipt on the subscriber minus the arrival of the mutation's answer (commit's upper bound). */
  afterAnswer: Stats;
  /** Receipt minus the sending of the mutation (commit's lower bound). */
  afterSend: Stats;
  /** The mutation's round trip as the writer saw it. */
  write: Stats;
  /** The harness's own event-loop delay during the run (p99, max; ms). */
  harnessLoop: { p99: number; max: number };
}

/** One webhook burst. */
export interface WebhookRow {
  setup: string;
  gateways: number;
  changes: number;
  concurrency: number;
  /** From sending the first mutation to receiving the last change, ms. */
  firstToLastMs: number;
  /** Time the writer took to commit the whole burst (first send to last answer), ms. */
  writeMs: number;
  /** Changes delivered per second over `firstToLastMs`. */
  changesPerSecond: number;
  /** Requests received, distinct webhook-ids, and the changes in them. */
  requests: number;
  batches: number;
  batchSizes: number[];
  /** Requests sent by each delivering gateway (by process; null: not found out). */
  requestsByGateway: number[] | null;
  /** Batches received again (same webhook-id), and changes received more than once. */
  duplicateBatches: number;
  duplicateChanges: number;
  missing: number;
  unverified: number;
  /** Per change: receipt minus the change's `occurredAt` (the gateway's clock). */
  lagOccurred: Stats;
  /** Per change: receipt minus the arrival of its mutation's answer (the writer's clock). */
  lagAnswer: Stats;
  /** Deliveries as `webhookDeliveries` lists them: delivered at the first attempt, or not. */
  deliveredFirstAttempt: number;
  otherDeliveries: number;
}

export interface PushReport {
  date: string;
  machine: string;
  load: string;
  quick: boolean;
  clock: string;
  sizes: PushSizes;
  settings: Record<string, string>;
  latency: LatencyRow[];
  webhooks: WebhookRow[];
}

/** The configuration every gateway of the benchmark runs with, besides its database. */
function gatewayEnv(root: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    // Note: the default level (the request log on), and the "ready" line the harness waits for.
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    SEEDS_DIR: path.join(root, 'seeds'),
    RATE_LIMIT_POINTS: '1000000000',
    // Note: the subscribers are all anonymous callers from one address.
    SUBSCRIPTIONS_PER_CALLER: '1000',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    // Note: a stopped gateway cuts the harness's idle keep-alive connections off at once.
    SHUTDOWN_GRACE_MS: '0',
  };
}

/** A built gateway (dist/main.js) in a process of its own. */
interface GatewayProcess {
  url: string;
  heads: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts dist/main.js on `database` with `env`; resolves once it logged that it is ready. */
async function startGatewayProcess(
  root: string,
  database: string,
  env: Record<string, string>,
): Promise<GatewayProcess> {
  const inherited = { ...process.env };
  // Note: a variant without Redis must not inherit one from the harness's environment.
  delete inherited.REDIS_URL;
  const child = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
    cwd: root,
    env: { ...inherited, DATABASE_URL: database, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let head = '';
  let ready = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<{ url: string; subscriptionHeads: string }>(
    (resolve, reject) => {
      const onData = (chunk: Buffer) => {
        // Note: only the start-up output is kept; the request log that follows is dropped.
        if (ready) return;
        head += chunk.toString();
        const line = head.split('\n').find((l) => l.includes('annuaire-graphql ready'));
        if (line) {
          ready = true;
          head = '';
          resolve(JSON.parse(line));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => {
        if (!ready) head += chunk.toString();
      });
      child.once('exit', (code) =>
        reject(new Error(`gateway exited with ${code}:\n${head.slice(-4000)}`)),
      );
    },
  );
  return {
    url: started.url,
    heads: started.subscriptionHeads,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Creates an API key on `database` with the keys CLI, as an operator does. */
function createKey(root: string, database: string, role: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [
        path.join(root, 'dist', 'cli', 'keys.js'),
        'create',
        '--name',
        `bench push ${role}`,
        '--role',
        role,
      ],
      { cwd: root, env: { ...process.env, DATABASE_URL: database, LOG_LEVEL: 'warn' } },
      (err, stdout) => (err ? reject(err) : resolve(stdout.trim().split('\n').pop()!)),
    ),
  );
}

/** Posts a GraphQL operation; throws on any error. */
async function gql<T>(url: string, query: string, variables: object, key?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data)
    throw new Error(`${res.status}: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}

const CREATE_UNIT = `mutation BenchPushCreate($input: CreateUnitInput!) {
  createUnit(input: $input) { unit { id } userErrors { code message } }
}`;

/** A write of the benchmark: when it was sent and answered, and the unit it created. */
interface Write {
  id: string;
  sent: number;
  answered: number;
}

/** Creates units under one parent through `url`: the writer of every run. */
class Writer {
  private made = 0;
  private readonly tag = randomUUID().slice(0, 8);

  constructor(
    private readonly key: string,
    private readonly parentId: string,
  ) {}

  async create(url: string): Promise<Write> {
    const n = ++this.made;
    const sent = now();
    const data = await gql<{
      createUnit: { unit: { id: string } | null; userErrors: unknown[] };
    }>(
      url,
      CREATE_UNIT,
      {
        input: {
          slug: `bureau-push-${this.tag}-${n}`,
          name: `Bureau push ${this.tag} ${n}`,
          kind: 'BUREAU',
          parentId: this.parentId,
        },
      },
      this.key,
    );
    const answered = now();
    if (!data.createUnit.unit)
      throw new Error(`createUnit: ${JSON.stringify(data.createUnit.userErrors)}`);
    return { id: data.createUnit.unit.id, sent, answered };
  }

  /** `count` writes with at most `concurrency` in flight, as fast as they go. */
  async burst(urls: string[], count: number, concurrency: number): Promise<Write[]> {
    const writes: Write[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) {
          const i = next++;
          writes.push(await this.create(urls[i % urls.length]));
        }
      }),
    );
    return writes;
  }

  /** `count` writes started `1000 / rate` ms apart, each without waiting for the previous. */
  async paced(url: string, count: number, rate: number): Promise<Write[]> {
    const start = now();
    const pending: Array<Promise<Write>> = [];
    for (let i = 0; i < count; i++) {
      const wait = start + (i * 1000) / rate - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(this.create(url));
    }
    return Promise.all(pending);
  }
}

const SUBSCRIPTION = `subscription BenchPush { directoryChanges(types: [ORG_UNIT]) { sequence entityId operation } }`;

/** A graphql-ws subscriber of `directoryChanges`: when each created unit reached it. */
class Subscriber {
  readonly receipts = new Map<string, number[]>();
  private readonly client: Client;
  private failure: unknown = null;
  private dispose: () => void = () => undefined;

  constructor(url: string) {
    this.client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: (e) => (this.failure = e),
    });
  }

  start(): void {
    this.dispose = this.client.subscribe<{
      directoryChanges: { entityId: string; operation: string };
    }>(
      { query: SUBSCRIPTION },
      {
        next: (m) => {
          const at = now();
          const change = m.data?.directoryChanges;
          if (!change || change.operation !== 'CREATED') return;
          const list = this.receipts.get(change.entityId);
          if (list) list.push(at);
          else this.receipts.set(change.entityId, [at]);
        },
        error: (e) => (this.failure = e),
        complete: () => undefined,
      },
    );
  }

  check(): void {
    if (this.failure)
      throw new Error(`subscriber failed: ${JSON.stringify(this.failure).slice(0, 500)}`);
  }

  async close(): Promise<void> {
    this.dispose();
    await this.client.dispose();
  }
}

/** Waits until `done()` holds, polling every 10 ms; false after `ms`. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** One latency run: subscribers on `b`, writes on `a`. */
async function latencyRun(o: {
  setup: string;
  heads: string;
  a: string;
  b: string;
  writer: Writer;
  subscribers: number;
  mode: 'paced' | 'burst';
  sizes: PushSizes;
}): Promise<LatencyRow> {
  const subs = Array.from({ length: o.subscribers }, () => new Subscriber(o.b));
  try {
    for (const s of subs) s.start();
    // Note: a subscription without `after` sees only what is committed once it is live; warm-up
    // writes until every subscriber got one, so that none of the measured writes comes too soon.
    let live = false;
    for (let i = 0; i < 50 && !live; i++) {
      const warm = await o.writer.create(o.a);
      live = await until(() => subs.every((s) => s.receipts.has(warm.id)), 500);
      for (const s of subs) s.check();
    }
    if (!live) throw new Error(`${o.setup}: the subscribers never went live`);
    await new Promise((r) => setTimeout(r, 200));
    for (const s of subs) s.receipts.clear();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const writes =
      o.mode === 'paced'
        ? await o.writer.paced(o.a, o.sizes.writes, o.sizes.rate)
        : await o.writer.burst([o.a], o.sizes.writes, o.sizes.burstConcurrency);
    await until(() => subs.every((s) => writes.every((w) => s.receipts.has(w.id))), 10_000);
    // Note: a little longer, so that a repeated event would be seen.
    await new Promise((r) => setTimeout(r, 300));
    loop.disable();
    for (const s of subs) s.check();
    const afterAnswer: number[] = [];
    const afterSend: number[] = [];
    let received = 0;
    let duplicates = 0;
    for (const s of subs)
      for (const w of writes) {
        const got = s.receipts.get(w.id);
        if (!got) continue;
        received += 1;
        duplicates += got.length - 1;
        afterAnswer.push(got[0] - w.answered);
        afterSend.push(got[0] - w.sent);
      }
    const expected = writes.length * subs.length;
    return {
      setup: o.setup,
      heads: o.heads,
      subscribers: o.subscribers,
      mode: o.mode,
      writes: writes.length,
      rate: o.mode === 'paced' ? o.sizes.rate : null,
      concurrency: o.mode === 'burst' ? o.sizes.burstConcurrency : null,
      expected,
      received,
      missing: expected - received,
      duplicates,
      afterAnswer: stats(afterAnswer),
      afterSend: stats(afterSend),
      write: stats(writes.map((w) => w.answered - w.sent)),
      harnessLoop: {
        p99: Math.round(loop.percentile(99) / 1e4) / 100,
        max: Math.round(loop.max / 1e4) / 100,
      },
    };
  } finally {
    await Promise.all(subs.map((s) => s.close()));
  }
}

/** A change as a webhook body carries it (the fields the benchmark reads). */
interface DeliveredChange {
  sequence: number;
  operation: string;
  entityId: string;
  occurredAt: string;
}

/**
 * Which of `pids` holds the TCP connection from local port `from` to local port `to`, by the
 * socket inodes of /proc/net/tcp and of each process's open files (Linux); null elsewhere.
 */
export function connectionOwner(from: number, to: number, pids: number[]): number | null {
  try {
    const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
    let inode: string | null = null;
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!fs.existsSync(file)) continue;
      for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols[1]?.endsWith(`:${hex(from)}`) && cols[2]?.endsWith(`:${hex(to)}`)) inode = cols[9];
      }
    }
    if (!inode) return null;
    for (const pid of pids) {
      const dir = `/proc/${pid}/fd`;
      for (const fd of fs.readdirSync(dir)) {
        try {
          if (fs.readlinkSync(`${dir}/${fd}`) === `socket:[${inode}]`) return pid;
        } catch {
          // Note: a descriptor closed meanwhile.
        }
      }
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * A local webhook receiver verifying each request with `standardwebhooks`; it notes which of
 * the gateway processes `pids` sent each request.
 */
async function startReceiver(pids: number[]) {
  const requests: Array<{
    id: string;
    at: number;
    changes: DeliveredChange[] | null;
    from: number | null;
  }> = [];
  let secret = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const at = now();
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let changes: DeliveredChange[] | null;
      try {
        const verified = new Webhook(secret).verify(body, headers) as {
          data: { changes: DeliveredChange[] };
        };
        changes = verified.data.changes;
      } catch {
        changes = null;
      }
      const from = connectionOwner(req.socket.remotePort ?? 0, req.socket.localPort ?? 0, pids);
      requests.push({ id: headers['webhook-id'], at, changes, from });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/push`,
    requests,
    setSecret: (s: string) => (secret = s),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A burst of `changes` creations on `writeTo`, delivered as webhooks by every running gateway. */
async function webhookRun(o: {
  setup: string;
  gateways: number;
  /** The delivering gateways' process ids. */
  pids: number[];
  writeTo: string;
  admin: string;
  writer: Writer;
  sizes: PushSizes;
}): Promise<WebhookRow> {
  const receiver = await startReceiver(o.pids);
  try {
    const made = await gql<{
      createWebhookSubscription: {
        subscription: { id: string } | null;
        secret: string | null;
        userErrors: unknown[];
      };
    }>(
      o.writeTo,
      `mutation BenchPushWebhook($input: CreateWebhookSubscriptionInput!) {
        createWebhookSubscription(input: $input) { subscription { id } secret userErrors { code message } } }`,
      { input: { url: receiver.url, description: 'bench:push' } },
      o.admin,
    );
    const sub = made.createWebhookSubscription;
    if (!sub.subscription || !sub.secret)
      throw new Error(`createWebhookSubscription: ${JSON.stringify(sub.userErrors)}`);
    receiver.setSecret(sub.secret);
    const writes = await o.writer.burst(
      [o.writeTo],
      o.sizes.webhookChanges,
      o.sizes.webhookConcurrency,
    );
    const ids = new Set(writes.map((w) => w.id));
    const seen = () => {
      const got = new Set<string>();
      for (const r of receiver.requests)
        for (const c of r.changes ?? []) if (ids.has(c.entityId)) got.add(c.entityId);
      return got.size;
    };
    await until(() => seen() === ids.size, 60_000 + o.sizes.webhookChanges * 100);
    // Note: a batch sent twice would come within a poll or two (WEBHOOK_POLL_MS); wait for it.
    await new Promise((r) => setTimeout(r, o.sizes.webhookChanges < 1000 ? 1_000 : 2_000));
    const byId = new Map(writes.map((w) => [w.id, w]));
    const firstReceipt = new Map<string, number>();
    const times = new Map<number, number>();
    const batchIds = new Set<string>();
    const batchSizes: number[] = [];
    let duplicateBatches = 0;
    let duplicateChanges = 0;
    let unverified = 0;
    const lagOccurred: number[] = [];
    const lagAnswer: number[] = [];
    for (const r of [...receiver.requests].sort((x, y) => x.at - y.at)) {
      if (!r.changes) {
        unverified += 1;
        continue;
      }
      if (batchIds.has(r.id)) duplicateBatches += 1;
      else {
        batchIds.add(r.id);
        batchSizes.push(r.changes.length);
      }
      for (const c of r.changes) {
        if (times.has(c.sequence)) {
          duplicateChanges += 1;
          continue;
        }
        times.set(c.sequence, r.at);
        const w = byId.get(c.entityId);
        if (!w || c.operation !== 'CREATED') continue;
        firstReceipt.set(c.entityId, r.at);
        lagOccurred.push(r.at - Date.parse(c.occurredAt));
        lagAnswer.push(r.at - w.answered);
      }
    }
    const deliveries = await gql<{
      webhookDeliveries: Array<{ id: string; status: string; attempts: number }>;
    }>(
      o.writeTo,
      `query BenchPushDeliveries($id: ID) { webhookDeliveries(subscriptionId: $id, first: 100) { id status attempts } }`,
      { id: sub.subscription.id },
      o.admin,
    );
    const firstSent = Math.min(...writes.map((w) => w.sent));
    const lastAnswer = Math.max(...writes.map((w) => w.answered));
    const lastReceipt = Math.max(...firstReceipt.values());
    const firstToLastMs = lastReceipt - firstSent;
    // Note: stop delivering to this receiver before it closes.
    await gql(
      o.writeTo,
      `mutation BenchPushWebhookDelete($id: ID!) { deleteWebhookSubscription(input: { id: $id }) { userErrors { code } } }`,
      { id: sub.subscription.id },
      o.admin,
    );
    return {
      setup: o.setup,
      gateways: o.gateways,
      changes: writes.length,
      concurrency: o.sizes.webhookConcurrency,
      firstToLastMs: Math.round(firstToLastMs),
      writeMs: Math.round(lastAnswer - firstSent),
      changesPerSecond: Math.round((firstReceipt.size / firstToLastMs) * 1000),
      requests: receiver.requests.length,
      requestsByGateway: receiver.requests.every((r) => r.from !== null)
        ? o.pids.map((pid) => receiver.requests.filter((r) => r.from === pid).length)
        : null,
      batches: batchIds.size,
      batchSizes,
      duplicateBatches,
      duplicateChanges,
      missing: ids.size - firstReceipt.size,
      unverified,
      lagOccurred: stats(lagOccurred),
      lagAnswer: stats(lagAnswer),
      deliveredFirstAttempt: deliveries.webhookDeliveries.filter(
        (d) => d.status === 'DELIVERED' && d.attempts === 1,
      ).length,
      otherDeliveries: deliveries.webhookDeliveries.filter(
        (d) => !(d.status === 'DELIVERED' && d.attempts === 1),
      ).length,
    };
  } finally {
    await receiver.close();
  }
}

/** The global id of the seeded unit the benchmark's units are created under. */
async function parentOf(url: string): Promise<string> {
  const data = await gql<{ unit: { id: string } | null }>(
    url,
    `query BenchPushParent { unit(slug: "services-du-cabinet-seine-et-marne") { id } }`,
    {},
  );
  if (!data.unit) throw new Error('the seeded unit services-du-cabinet-seine-et-marne is missing');
  return data.unit.id;
}

/**
 * Measures the push side across instances. For each set-up (one SQLite process; two processes
 * on one PostgreSQL database with heads over Redis; the same over LISTEN/NOTIFY): the latency
 * from commit to receipt of `directoryChanges` events on B for writes on A, paced and in a
 * burst, with 1 and N subscribers; then a burst of webhook changes delivered by every gateway
 * running (SQLite: one; PostgreSQL and Redis: two; LISTEN/NOTIFY: one, B stopped first).
 */
export async function runPushBench(o: {
  root: string;
  quick: boolean;
  skipPostgres: boolean;
  postgresUrl: string;
  redisUrl: string;
  /** Other sizes than `FULL` or `QUICK`. */
  sizes?: PushSizes;
  log?: (line: string) => void;
}): Promise<PushReport> {
  const log = o.log ?? (() => undefined);
  const sizes = o.sizes ?? (o.quick ? QUICK : FULL);
  const env = gatewayEnv(o.root);
  const latency: LatencyRow[] = [];
  const webhooks: WebhookRow[] = [];
  const setups: Array<{ name: string; kind: 'sqlite' | 'redis' | 'notify' }> = [
    { name: 'SQLite, one process', kind: 'sqlite' },
    ...(o.skipPostgres
      ? []
      : [
          { name: 'PostgreSQL, two processes, Redis', kind: 'redis' as const },
          { name: 'PostgreSQL, two processes, LISTEN/NOTIFY', kind: 'notify' as const },
        ]),
  ];
  for (const setup of setups) {
    let database: string;
    let drop: () => Promise<void>;
    if (setup.kind === 'sqlite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-push-'));
      database = `sqlite:${path.join(dir, 'push.sqlite')}`;
      drop = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const name = `annuaire_bench_push_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      await adminQuery(o.postgresUrl, `CREATE DATABASE ${name}`);
      database = databaseUrl(o.postgresUrl, name);
      drop = () => dropDatabase(o.postgresUrl, name);
    }
    const extra: Record<string, string> = setup.kind === 'redis' ? { REDIS_URL: o.redisUrl } : {};
    const running: GatewayProcess[] = [];
    try {
      // Note: one after the other, so that only the first migrates and seeds the database.
      const a = await startGatewayProcess(o.root, database, { ...env, ...extra });
      running.push(a);
      const b =
        setup.kind === 'sqlite'
          ? a
          : await startGatewayProcess(o.root, database, { ...env, ...extra });
      if (b !== a) running.push(b);
      const [editor, admin] = await Promise.all([
        createKey(o.root, database, 'EDITOR'),
        createKey(o.root, database, 'ADMIN'),
      ]);
      const writer = new Writer(editor, await parentOf(a.url));
      log(`${setup.name}: heads over ${b.heads}`);
      for (const subscribers of sizes.subscribers)
        for (const mode of ['paced', 'burst'] as const) {
          const row = await latencyRun({
            setup: setup.name,
            heads: b.heads,
            a: a.url,
            b: b.url,
            writer,
            subscribers,
            mode,
            sizes,
          });
          latency.push(row);
          log(
            `${setup.name}, ${subscribers} subscriber(s), ${mode}: p50 ${row.afterAnswer.p50} ms, p99 ${row.afterAnswer.p99} ms after the answer; ${row.missing} missing, ${row.duplicates} repeated`,
          );
        }
      if (setup.kind === 'notify') {
        await b.stop();
        running.splice(running.indexOf(b), 1);
      }
      const row = await webhookRun({
        setup:
          setup.kind === 'redis'
            ? 'PostgreSQL, two processes'
            : setup.kind === 'notify'
              ? 'PostgreSQL, one process'
              : setup.name,
        gateways: running.length,
        pids: running.map((g) => g.child.pid!),
        writeTo: a.url,
        admin,
        writer,
        sizes,
      });
      webhooks.push(row);
      log(
        `${row.setup}: ${row.changes} changes in ${row.firstToLastMs} ms (${row.changesPerSecond}/s), ${row.batches} batches, ${row.duplicateBatches} batches and ${row.duplicateChanges} changes repeated, ${row.missing} missing`,
      );
    } finally {
      for (const g of running.reverse()) await g.stop();
      await drop();
    }
  }
  return {
    date: new Date().toISOString(),
    machine: machineLine(),
    load: loadAverage(),
    quick: o.quick,
    clock:
      'performance.timeOrigin + performance.now() in the harness (ms since the epoch, sub-millisecond); occurredAt from the gateway (Date, ms on PostgreSQL, whole seconds on SQLite)',
    sizes,
    settings: {
      WEBHOOK_BATCH_SIZE: '100 (default)',
      WEBHOOK_BATCH_MS: '1000 (default)',
      WEBHOOK_POLL_MS: '500 (default)',
      SUBSCRIPTION_CATCH_UP_MS: '3000 (default)',
      NODE_ENV: env.NODE_ENV,
      LOG_LEVEL: env.LOG_LEVEL,
    },
    latency,
    webhooks,
  };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const row4 = (s: Stats) => `${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)}`;

/** The section of docs/benchmarks.md written by `npm run bench:push`. */
export function pushSection(r: PushReport): string {
  const lines = [
    '## Push: subscriptions and webhooks across instances',
    '',
    `Run of ${r.date} on ${r.machine}, load average at the end ${r.load}; \`npm run bench:push${r.quick ? ' -- --quick' : ''}\`.`,
    '',
    'Built gateways (`dist/main.js`, `NODE_ENV=production`, default log level) in processes of their own: one SQLite process (heads in memory, A = B), and two processes A and B on one fresh PostgreSQL database with heads over Redis pub/sub, then over LISTEN/NOTIFY. ' +
      `The harness (one process) holds N graphql-ws subscribers of \`directoryChanges(types: [ORG_UNIT])\` on B and an EDITOR key writing through A: ${r.sizes.writes} \`createUnit\` mutations paced at ${r.sizes.rate}/s (each sent at its time without waiting for the previous), then ${r.sizes.writes} in a burst with ${r.sizes.burstConcurrency} in flight. ` +
      'Latency = receipt on the subscriber minus the arrival of the mutation\'s answer (an upper bound of the commit: "after answer") and minus the sending of the mutation (a lower bound: "after send"). ' +
      `Every clock reading is \`performance.timeOrigin + performance.now()\` in the harness, in ms. Before each run, warm-up writes go until every subscriber has received one. Subscribers are anonymous (\`SUBSCRIPTIONS_PER_CALLER=1000\`).`,
    '',
    '| Set-up | Heads | Subscribers | Writes | Received / expected | Repeated | After answer p50 | p90 | p99 | max | After send p50 | p90 | p99 | max | Mutation p50 ms | Harness loop p99 ms |',
    '| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.latency.map(
      (x) =>
        `| ${x.setup} | ${x.heads} | ${x.subscribers} | ${x.writes} ${x.mode === 'paced' ? `at ${x.rate}/s` : `burst (${x.concurrency} in flight)`} | ${x.received} / ${x.expected} | ${x.duplicates} | ${row4(x.afterAnswer)} | ${row4(x.afterSend)} | ${ms(x.write.p50)} | ${ms(x.harnessLoop.p99)} |`,
    ),
    '',
    'Milliseconds. ' +
      `Webhooks: a local \`node:http\` receiver verifying every request with \`standardwebhooks\`, one subscription (all changes) made by an ADMIN key, \`WEBHOOK_ALLOW_PRIVATE_NETWORKS=true\`, default \`WEBHOOK_BATCH_SIZE\` (100), \`WEBHOOK_BATCH_MS\` (1000) and \`WEBHOOK_POLL_MS\` (500). ` +
      `A burst of ${r.sizes.webhookChanges} \`createUnit\` mutations (one change each) through A, ${r.sizes.webhookConcurrency} in flight, as fast as they go; with two processes, both deliver. ` +
      '"First to last" runs from sending the first mutation to receiving the last change; lag per change is its receipt minus its `occurredAt` (the gateway\'s clock; SQLite keeps it to the second, so that column is coarse there) and minus the arrival of its mutation\'s answer. Repeated batches (same `webhook-id`) and changes (same sequence) must be 0.',
    '',
    '| Set-up | Gateways delivering (requests sent by each) | Changes | Write ms | First to last ms | Changes/s | Batches (sizes) | Repeated batches / changes | Missing | Lag after occurredAt p50 | p90 | p99 | max | Lag after answer p50 | p90 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.webhooks.map(
      (x) =>
        `| ${x.setup} | ${x.gateways}${x.requestsByGateway ? ` (${x.requestsByGateway.join(', ')})` : ''} | ${x.changes} | ${x.writeMs} | ${x.firstToLastMs} | ${x.changesPerSecond} | ${x.batches} (${sizesText(x.batchSizes)}) | ${x.duplicateBatches} / ${x.duplicateChanges} | ${x.missing} | ${row4(x.lagOccurred)} | ${row4(x.lagAnswer)} |`,
    ),
  ];
  return lines.join('\n');
}

/** Batch sizes, runs of equal sizes shortened: `100 × 9, 37`. */
function sizesText(sizes: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sizes.length;) {
    let j = i;
    while (j < sizes.length && sizes[j] === sizes[i]) j++;
    parts.push(j - i > 1 ? `${sizes[i]} × ${j - i}` : `${sizes[i]}`);
    i = j;
  }
  return parts.join(', ');
}

/** Writes `push.json` into `resultsDir` and the section `push` of `docsDir/benchmarks.md`. */
export async function writePushOutputs(
  report: PushReport,
  dirs: { resultsDir: string; docsDir: string },
): Promise<{ json: string; markdown: string; section: string }> {
  fs.mkdirSync(dirs.resultsDir, { recursive: true });
  fs.mkdirSync(dirs.docsDir, { recursive: true });
  const json = path.join(dirs.resultsDir, 'push.json');
  fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  const markdown = path.join(dirs.docsDir, 'benchmarks.md');
  const section = pushSection(report);
  const doc = replaceSection(
    fs.existsSync(markdown) ? fs.readFileSync(markdown, 'utf8') : '# Benchmarks\n',
    'push',
    section,
  );
  fs.writeFileSync(markdown, await formatMarkdown(doc, markdown));
  return { json, markdown, section };
}
