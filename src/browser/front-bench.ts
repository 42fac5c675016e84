import os from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { prepareGateways, type GatewayOptions } from './gateways';
import { embeddingHtml, startHostPage } from './host-page';
import { PAGE_PROBE } from './page-probe';
import { longestTask, type LongestTask } from './trace';

/** The prefecture measured: 100 units, 9 children (the most any unit has in the national set). */
export const PREFECTURE = 'prefecture-du-gard-30';
/** Another prefecture of the same shape, which warms the gateway up without caching the chart. */
const WARM_UP = 'prefecture-de-la-haute-loire-43';

export interface FrontBenchOptions extends GatewayOptions {
  runs: number;
}

/** Milliseconds of one run of each measurement. */
export interface FrontRun {
  /** Navigation to the first frame with every box of the chart at depth 2: cold, then warm. */
  firstChart: { cold: number; warm: number; coldCache: string; warmCache: string };
  /** Where the cold navigation's time went: the widget's script and the GraphQL answer. */
  breakdown: { script: number; chartRequestStart: number; chartAnswer: number };
  /** A click on the collapsed prefecture to the frame with its children. */
  expand: { cold: number; warm: number; again: number };
  /** Navigation to the fully expanded prefecture, and its longest tasks. */
  full: { chart: number; longTasks: number[]; longest: LongestTask | null };
}

export interface FrontBenchReport {
  date: string;
  machine: string;
  load: string;
  counts: { depth2: number; full: number; children: number };
  runs: FrontRun[];
}

/**
 * Measures the widget in Chromium on the synthetic national directory, with the Performance API
 * in the page (see page-probe.ts). Each run starts a gateway of its own (a new process: nothing
 * in its response cache), warms it up on another prefecture, then opens fresh browser contexts
 * (empty HTTP caches), so that "cold" and "warm" differ by the server's cache alone.
 */
export async function runFrontBench(o: FrontBenchOptions): Promise<FrontBenchReport> {
  const log = o.log ?? (() => undefined);
  const host = await startHostPage();
  const gateways = await prepareGateways('national', host.origin, o);
  const browser = await launchChromium();
  const runs: FrontRun[] = [];
  let counts: FrontBenchReport['counts'] | null = null;
  try {
    for (let i = 0; i < o.runs; i++) {
      const gateway = await gateways.start();
      try {
        const url = gateway.url;
        const origin = new URL(url).origin;
        counts ??= await countBoxes(url);
        let n = 0;
        const page = (attributes: string) =>
          host.serve(`/run-${i}-${n++}`, embeddingHtml(origin, attributes));
        await warmUp(browser, (a) => page(a.replace(PREFECTURE, WARM_UP)), counts);
        const run = await measureRun(browser, page, counts);
        runs.push(run);
        log(`run ${i + 1}/${o.runs}: ${JSON.stringify(run)}`);
      } finally {
        await gateway.stop();
      }
    }
  } finally {
    await browser.close();
    await host.close();
    await gateways.dispose();
  }
  return {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Chromium ${browser.version()}`,
    load: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', '),
    counts: counts!,
    runs,
  };
}

async function gql(url: string, query: string): Promise<{ data: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data: Record<string, unknown> };
}

/** The boxes the widget will draw, from a query unlike the widget's (so nothing is cached). */
async function countBoxes(url: string): Promise<FrontBenchReport['counts']> {
  const nodes = async (depth: number) => {
    const { data } = await gql(
      url,
      `{ orgChart(root: "${PREFECTURE}", maxDepth: ${depth}) { nodes { id parentId } } }`,
    );
    return (data.orgChart as { nodes: Array<{ parentId: string | null }> }).nodes;
  };
  const full = await nodes(10);
  return {
    depth2: (await nodes(2)).length,
    full: full.length,
    children: (await nodes(1)).length - 1,
  };
}

/**
 * Warms the new gateway up: the widget's own queries (chart, expansion, full chart) on another
 * prefecture of the same shape, so that what follows meets warm code but no cached answer.
 */
async function warmUp(
  browser: Browser,
  page: (attributes: string) => string,
  counts: FrontBenchReport['counts'],
): Promise<void> {
  for (let i = 0; i < 2; i++) await measureRun(browser, page, counts, false);
}

async function measureRun(
  browser: Browser,
  page: (attributes: string) => string,
  counts: FrontBenchReport['counts'],
  trace = true,
): Promise<FrontRun> {
  const at2 = `root="${PREFECTURE}" depth="2"`;
  const cold = await visit(browser, page(at2), (p) => chart(p, counts.depth2));
  const warm = await visit(browser, page(at2), (p) => chart(p, counts.depth2));
  const expand = await visit(browser, page(`root="${PREFECTURE}" depth="0"`), async (p) => {
    await chart(p, 1);
    const first = await p.evaluate<{ painted: number }>(`__probe.expand(${counts.children})`);
    await p.evaluate('__probe.collapse()');
    const again = await p.evaluate<{ painted: number }>(`__probe.expand(${counts.children})`);
    return { first: first.painted, again: again.painted };
  });
  const expandWarm = await visit(browser, page(`root="${PREFECTURE}" depth="0"`), async (p) => {
    await chart(p, 1);
    return (await p.evaluate<{ painted: number }>(`__probe.expand(${counts.children})`)).painted;
  });
  const fullChart = async (p: Page) => {
    const drawn = await chart(p, counts.full);
    // Note: a few frames more, for what the widget does after drawing (fitting the view).
    await p.evaluate('new Promise((r) => setTimeout(r, 500))');
    return { chart: drawn.painted, longTasks: await p.evaluate<number[]>('__probe.longTasks') };
  };
  const full = await visit(browser, page(`root="${PREFECTURE}" depth="10"`), fullChart);
  // Note: tracing slows the page down; the traced visit gives the longest task and its parts.
  const traced = trace
    ? await visit(browser, page(`root="${PREFECTURE}" depth="10"`), fullChart, true)
    : null;
  const script = cold.value.entries.find((e) => e.name.includes('/widget/'));
  const answer = cold.value.entries.filter((e) => new URL(e.name).pathname === '/graphql').pop();
  return {
    firstChart: {
      cold: cold.value.painted,
      warm: warm.value.painted,
      coldCache: cold.cacheStatus.join(' '),
      warmCache: warm.cacheStatus.join(' '),
    },
    breakdown: {
      script: script?.end ?? NaN,
      chartRequestStart: answer?.start ?? NaN,
      chartAnswer: answer?.end ?? NaN,
    },
    expand: { cold: expand.value.first, warm: expandWarm.value, again: expand.value.again },
    full: { ...full.value, longest: traced?.longest ?? null },
  };
}

interface ChartTimes {
  painted: number;
  entries: Array<{ name: string; start: number; end: number }>;
}

const chart = (page: Page, n: number) => page.evaluate<ChartTimes>(`__probe.chart(${n})`);

/**
 * Opens a page in a fresh browser context (empty caches) with the probe, runs `measure`, and
 * keeps the `Cache-Status` of its GraphQL answers; with `trace`, the longest task of a
 * Chromium trace taken over the whole visit.
 */
async function visit<T>(
  browser: Browser,
  url: string,
  measure: (page: Page) => Promise<T>,
  trace = false,
): Promise<{ value: T; cacheStatus: string[]; longest: LongestTask | null }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.addInitScript({ content: PAGE_PROBE });
    const cacheStatus: string[] = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname === '/graphql' && res.request().method() !== 'OPTIONS')
        cacheStatus.push(res.headers()['cache-status']?.replace(/^annuaire-graphql; /, '') ?? '-');
    });
    if (trace)
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
      });
    await page.goto(url);
    const value = await measure(page);
    const longest = trace ? longestTask(await browser.stopTracing()) : null;
    return { value, cacheStatus, longest };
  } finally {
    await context.close();
  }
}
