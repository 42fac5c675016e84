/**
 * npm's `prepare` step: builds `dist/` when TypeScript is installed (`npm install`, `npm ci`).
 * A production install (`npm ci --omit=dev`) has no compiler, so it builds nothing and runs
 * the `dist/` built beforehand in a build stage (README, "Deployment").
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import process from 'node:process';

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stdout.write('prepare: no TypeScript (a production install), so dist/ is not built\n');
  process.exit(0);
}
const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// Note: the widget's bundle and GraphiQL are built with the server, so that `npm start` serves them.
for (const script of ['widget/build-widget.mjs', 'widget/build-explorer.mjs']) {
  const step = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (step.status !== 0) process.exit(step.status ?? 1);
}
