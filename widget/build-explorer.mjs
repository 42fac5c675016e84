// Builds GraphiQL for `/graphiql` into dist/explorer/: the page's script and styles (their fonts
// inlined), the chunks it loads lazily under content-hashed names, Monaco's three workers, and
// examples.json, the example operations of schema/operations that the explorers open.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleTabs } from './src/explorer/examples.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'dist', 'explorer');
const examples = exampleTabs(path.join(here, '..', 'schema', 'operations'));

/** `explorer:examples`, the example tabs, bundled into the page's script. */
const examplesModule = {
  name: 'explorer-examples',
  setup(b) {
    b.onResolve({ filter: /^explorer:examples$/ }, () => ({ path: 'examples', namespace: 'ex' }));
    b.onLoad({ filter: /.*/, namespace: 'ex' }, () => ({
      contents: JSON.stringify(examples),
      loader: 'json',
    }));
  },
};

/**
 * Monaco's modules import their own CSS, which graphiql/style.css already holds (its icon font
 * inlined); esbuild would emit it again beside chunks that nothing loads.
 */
const noMonacoCss = {
  name: 'no-monaco-css',
  setup(b) {
    b.onResolve({ filter: /\.css$/ }, (args) =>
      /[\\/]monaco-editor[\\/]/.test(args.importer)
        ? { path: args.path, namespace: 'no-monaco-css' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'no-monaco-css' }, () => ({
      contents: '',
      loader: 'empty',
    }));
  },
};

const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

rmSync(out, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { graphiql: path.join(here, 'src/explorer/graphiql.tsx') },
  outdir: out,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  jsx: 'automatic',
  tsconfig: path.join(here, 'tsconfig.json'),
  plugins: [examplesModule, noMonacoCss],
});
// Note: classic workers, one file each, as the page's MonacoEnvironment creates them.
await build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  outdir: out,
  format: 'iife',
});
writeFileSync(path.join(out, 'examples.json'), `${JSON.stringify(examples, null, 2)}\n`);
