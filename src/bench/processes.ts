import { fork, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { loadConfig } from '../config';
import { createLogger, serverLogDestination } from '../logger';
import { startGateway } from '../app/gateway';
import { boundHeapGrowth } from '../heap';
import { openPostgresRaw, openSqliteRaw, RawDb } from './raw-db';
import { BaselineSetup, startBaselineServer } from './baseline-server';

/** A server the load is driven against, wherever it runs. */
export interface Target {
  url: string;
  /** Peak resident set size in bytes since the last reset, sampled every 20 ms. */
  peakRss(reset?: boolean): Promise<number>;
  /** The event-loop delay of the target's process since the last reset. */
  loopDelay(reset?: boolean): Promise<LoopDelay>;
  stop(): Promise<void>;
}

/** Event-loop delay percentiles, in milliseconds (`perf_hooks.monitorEventLoopDelay`). */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** Samples this process's event-loop delay every 10 ms. */
export class LoopMeter {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.histogram.enable();
  }

  read(reset = false): LoopDelay {
    const h = this.histogram;
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const delay = { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
    if (reset) h.reset();
    return delay;
  }

  stop(): void {
    this.histogram.disable();
  }
}

/** Where B1 reads: a SQLite file or a PostgreSQL URL. */
export interface RawLocation {
  dialect: 'sqlite' | 'postgres';
  location: string;
}

/** Opens the database where B1 reads, with the dialect's raw driver. */
export function openRaw(where: RawLocation): RawDb {
  return where.dialect === 'sqlite'
    ? openSqliteRaw(where.location)
    : openPostgresRaw(where.location);
}

/** Samples this process's RSS and keeps the peak since the last reset. */
export class RssMeter {
  private peak = 0;
  private readonly timer = setInterval(() => this.sample(), 20);

  constructor() {
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  read(reset = false): number {
    this.sample();
    const peak = this.peak;
    if (reset) this.peak = process.memoryUsage.rss();
    return peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** What a child is told to start. */
export type ChildStart =
  | { kind: 'gateway'; env: Record<string, string>; logFile?: string; execArgv?: string[] }
  | { kind: 'baseline'; raw: RawLocation; setup: BaselineSetup };

/**
 * Starts a gateway with `env` as its configuration, on 127.0.0.1 and a free port, logging to
 * standard output as `npm start` does (src/main.ts).
 */
export async function startGatewayHere(env: Record<string, string>) {
  const config = loadConfig({ ...process.env, ...env });
  // Note: as src/main.ts does; a test running the gateway inline changes its own process's heap.
  boundHeapGrowth(config.heapGrowingPercent);
  const log = createLogger(
    config.logLevel,
    serverLogDestination(config.logBufferBytes, () => undefined),
  );
  const gateway = await startGateway(config, log);
  return { url: gateway.url, stop: () => gateway.stop() };
}

/** Starts the B0/B1 server reading `raw`. */
export async function startBaselineHere(raw: RawLocation, setup: BaselineSetup) {
  const db = openRaw(raw);
  const server = await startBaselineServer(db, setup);
  return {
    url: server.url,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}

/**
 * Starts a gateway or the baselines, in this process (`inline`, for tests) or in a child
 * process of its own (for measurement: the load generator then has a core to itself).
 */
export async function startTarget(start: ChildStart, inline: boolean): Promise<Target> {
  if (inline) {
    const meter = new RssMeter();
    const loop = new LoopMeter();
    const server =
      start.kind === 'gateway'
        ? await startGatewayHere(start.env)
        : await startBaselineHere(start.raw, start.setup);
    return {
      url: server.url,
      peakRss: async (reset) => meter.read(reset),
      loopDelay: async (reset) => loop.read(reset),
      async stop() {
        meter.stop();
        loop.stop();
        await server.stop();
      },
    };
  }
  // Note: a gateway's request log goes to a file, as production sends it to a collector; not
  // to the harness's terminal.
  const out =
    start.kind === 'gateway' && start.logFile ? fs.openSync(start.logFile, 'a') : 'inherit';
  const child = fork(path.join(__dirname, 'child.js'), [], {
    stdio: ['ignore', out, 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...(start.kind === 'gateway' ? (start.execArgv ?? []) : [])],
    env: { ...process.env, ...(start.kind === 'gateway' ? start.env : {}) },
  });
  if (typeof out === 'number') fs.closeSync(out);
  const url = await request<string>(child, { type: 'start', start }, 'ready');
  return {
    url,
    peakRss: (reset) => request<number>(child, { type: 'rss', reset: !!reset }, 'rss'),
    loopDelay: (reset) => request<LoopDelay>(child, { type: 'loop', reset: !!reset }, 'loop'),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

/** Sends a message to a child and waits for its answer of type `reply`. */
function request<T>(child: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: { type: string; value: T; error?: string }) => {
      if (m.type === 'error') finish(() => reject(new Error(m.error)));
      else if (m.type === reply) finish(() => resolve(m.value));
    };
    const onExit = (code: number) =>
      finish(() => reject(new Error(`benchmark child exited with code ${code}`)));
    const finish = (then: () => void) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      then();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(message);
  });
}
