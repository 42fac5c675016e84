import v8 from 'node:v8';

/**
 * Bounds how far V8 grows the heap between full collections: after one, the next comes once the
 * heap reaches what was left alive times (1 + percent / 100), 2 by default. V8 otherwise picks
 * the factor itself, up to 4 when the program allocates fast against the collector's speed, as
 * a gateway under load does: on the national directory its old space then grew from 45 to
 * about 140 MB of mostly dead objects before a full collection, and the process to 285–310 MB,
 * for about 60 MB alive (docs/benchmarks.md, seventh round). 0 keeps V8's own factor.
 *
 * Note: set at start, before the heap has grown; V8 reads it at each full collection.
 */
export function boundHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
