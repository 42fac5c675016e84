import { median } from '../bench/stats';
import type { FrontBenchReport, FrontRun } from './front-bench';

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '–');
const all = (runs: FrontRun[], pick: (r: FrontRun) => number) => runs.map(pick);
const row = (what: string, values: number[], target: string, limit: number) => {
  const m = median(values);
  const met = limit === Infinity ? '' : m < limit ? 'met' : '**not met**';
  return `| ${what} | ${ms(m)} | ${values.map((v) => Math.round(v)).join(', ')} | ${target} | ${met} |`;
};

/** The Markdown section of docs/benchmarks.md written by `npm run bench:browser`. */
export function frontSection(r: FrontBenchReport): string {
  const runs = r.runs;
  const longest = all(runs, (x) => x.full.longest?.ms ?? NaN);
  const observed = runs.flatMap((x) => x.full.longTasks);
  const inside = runs
    .map((x) => x.full.longest)
    .filter((t) => t !== null)
    .sort((a, b) => b.ms - a.ms)[0];
  return `### Measured figures

Run of ${r.date.slice(0, 10)}: ${runs.length} runs, medians; machine: ${r.machine}; load average
at the end (1, 5, 15 min): ${r.load}. Chart of \`${'prefecture-du-gard-30'}\`: ${r.counts.depth2} boxes at
depth 2, ${r.counts.full} fully expanded, ${r.counts.children} children under the prefecture.

| Measure | Median | Runs (ms) | Target | |
| --- | ---: | --- | --- | --- |
${row(
  'First chart, depth 2, server cache cold',
  all(runs, (x) => x.firstChart.cold),
  '< 300 ms',
  300,
)}
${row(
  'First chart, depth 2, server cache warm',
  all(runs, (x) => x.firstChart.warm),
  '< 300 ms',
  300,
)}
${row(
  `Expansion of ${r.counts.children} children, answer not cached`,
  all(runs, (x) => x.expand.cold),
  '< 100 ms',
  100,
)}
${row(
  `Expansion of ${r.counts.children} children, answer cached`,
  all(runs, (x) => x.expand.warm),
  '< 100 ms',
  100,
)}
${row(
  `Expansion again, children already loaded (no request)`,
  all(runs, (x) => x.expand.again),
  '< 100 ms',
  100,
)}
${row(
  `Fully expanded prefecture (${r.counts.full} boxes), navigation to chart`,
  all(runs, (x) => x.full.chart),
  '–',
  Infinity,
)}
${row(
  'Longest task while it renders, PerformanceObserver (0: none of 50 ms or more)',
  all(runs, (x) => Math.max(0, ...x.full.longTasks)),
  '≤ 50 ms',
  50.001,
)}
${row('Longest task while it renders, Chromium trace: wall clock', longest, '≤ 50 ms', 50.001)}
${row(
  '… the same task, main-thread CPU time',
  all(runs, (x) => x.full.longest?.cpuMs ?? NaN),
  '≤ 50 ms',
  50.001,
)}
${row(
  '… longest task by CPU time',
  all(runs, (x) => x.full.longest?.longestCpuMs ?? NaN),
  '≤ 50 ms',
  50.001,
)}
${row(
  'Main-thread CPU time of the whole traced visit',
  all(runs, (x) => x.full.longest?.totalCpuMs ?? NaN),
  '–',
  Infinity,
)}

Every long task that \`PerformanceObserver('longtask')\` reported over the fully expanded chart's
visits: ${observed.length ? observed.map((d) => Math.round(d)).join(', ') + ' ms' : 'none'}.
Cache-Status of the chart's answer, cold → warm: ${runs.map((x) => `${x.firstChart.coldCache} → ${x.firstChart.warmCache}`).join('; ')}.
Cold navigation (medians, from the navigation): the widget's script received at
${ms(median(all(runs, (x) => x.breakdown.script)))}, the chart's request sent at
${ms(median(all(runs, (x) => x.breakdown.chartRequestStart)))} and answered at
${ms(median(all(runs, (x) => x.breakdown.chartAnswer)))}.
${inside ? `The longest task of all runs (${ms(inside.ms)}) held: ${inside.inside.map((e) => `${e.name} ${ms(e.ms)}`).join(', ')} (inclusive times).` : ''}`;
}
