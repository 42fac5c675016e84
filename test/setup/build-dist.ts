import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
/** Rewritten by every `tsc -p tsconfig.build.json`, like every output; spawned by the tests. */
const BUILT = path.join(ROOT, 'dist', 'main.js');
/** What the build reads: the sources and its settings. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under `target`, directories included, in ms; 0 if absent. */
function newestMtime(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/**
 * Whether `dist/` is missing or older than a source or a build setting. A directory's time
 * counts, so that an added or removed source file counts as a change.
 */
export function distIsStale(): boolean {
  let built: number;
  try {
    built = fs.statSync(BUILT).mtimeMs;
  } catch {
    return true;
  }
  return INPUTS.some((input) => newestMtime(path.join(ROOT, input)) > built);
}

/**
 * The browser bundles that the gateway serves and the tests load: each is rebuilt (in a few
 * seconds) when its output is missing or older than what it is built from.
 */
const BUNDLES = [
  {
    script: 'widget/build-widget.mjs',
    output: 'dist/widget/manifest.json',
    inputs: ['widget/src/organigramme', 'widget/build-widget.mjs', 'package.json'],
  },
  {
    script: 'widget/build-explorer.mjs',
    output: 'dist/explorer/examples.json',
    inputs: [
      'widget/src/explorer',
      'widget/build-explorer.mjs',
      'schema/operations',
      'package.json',
    ],
  },
];

function buildStaleBundles(): void {
  for (const { script, output, inputs } of BUNDLES) {
    const built = newestMtime(path.join(ROOT, output));
    if (built > 0 && inputs.every((input) => newestMtime(path.join(ROOT, input)) <= built))
      continue;
    execFileSync(process.execPath, [script], { cwd: ROOT, stdio: 'inherit' });
    process.stdout.write(`
${script} run for the tests
`);
  }
}

/**
 * Jest's global set-up: builds `dist/` once before the run when it is stale, so that the tests
 * that spawn the built server and CLIs (`test/helpers/server-process.ts`, the CLI tests) never
 * run missing or old code. A fresh `dist/` costs a directory walk (≈0.1 s), a build ≈10 s.
 */
export default async function buildDist(): Promise<void> {
  buildStaleBundles();
  if (!distIsStale()) return;
  const started = Date.now();
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  process.stdout.write(`\ndist/ built for the tests in ${Date.now() - started} ms\n`);
}
