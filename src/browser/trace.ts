/** One event of a Chromium trace (Trace Event Format), as far as it is read here. */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, where Chromium records it. */
  tdur?: number;
  args?: { name?: string };
}

/** The longest task of the renderers' main threads, and what took its time. */
export interface LongestTask {
  /** Wall-clock duration. */
  ms: number;
  /** The main thread's CPU time in it: on a loaded machine, the wall clock includes waiting. */
  cpuMs: number;
  /** The longest task by CPU time, and every task's CPU time summed (the page's main thread). */
  longestCpuMs: number;
  totalCpuMs: number;
  /** Time inside it by trace event name, inclusive (a FunctionCall counts the calls it made). */
  inside: Array<{ name: string; ms: number }>;
}

/**
 * The longest `RunTask` on a renderer's main thread (`CrRendererMain`) in a trace taken with the
 * `devtools.timeline` categories, and the trace events it contained, summed by name: where the
 * time of the longest task went (script, style, layout, paint…).
 */
export function longestTask(trace: Buffer): LongestTask | null {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`));
  const tasks = onMain.filter((e) => e.name === 'RunTask');
  let longest: TraceEvent | null = null;
  for (const e of tasks) if ((e.dur ?? 0) > (longest?.dur ?? 0)) longest = e;
  const cpu = tasks.map((e) => (e.tdur ?? 0) / 1000);
  if (!longest) return null;
  const task = longest;
  const end = task.ts + (task.dur ?? 0);
  const byName = new Map<string, number>();
  for (const e of onMain) {
    if (e === task || e.pid !== task.pid || e.tid !== task.tid) continue;
    if (e.ts < task.ts || e.ts + (e.dur ?? 0) > end) continue;
    byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0));
  }
  return {
    ms: (task.dur ?? 0) / 1000,
    cpuMs: (task.tdur ?? 0) / 1000,
    longestCpuMs: Math.max(0, ...cpu),
    totalCpuMs: cpu.reduce((a, b) => a + b, 0),
    inside: [...byName]
      .map(([name, us]) => ({ name, ms: us / 1000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 6),
  };
}
