// Builds the org-chart widget and the chart page's script into dist/widget/: one self-contained
// ES module each, minified, under a stable name and a content-hashed one, with a manifest that
// the gateway reads to link the hashed names. The hashed copies of earlier builds are removed:
// only the current one is served. `node widget/build-widget.mjs <dir>` builds into another folder.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { argv } from 'node:process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = argv[2] ? path.resolve(argv[2]) : path.join(here, '..', 'dist', 'widget');
const entries = {
  'annuaire-organigramme': 'src/organigramme/annuaire-organigramme.ts',
  'organigramme-page': 'src/organigramme/page.ts',
};

mkdirSync(out, { recursive: true });
const manifest = {};
for (const [name, entry] of Object.entries(entries)) {
  const result = await build({
    entryPoints: [path.join(here, entry)],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    tsconfig: path.join(here, 'tsconfig.json'),
    write: false,
  });
  const code = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  writeFileSync(path.join(out, `${name}.js`), code);
  writeFileSync(path.join(out, `${name}.${hash}.js`), code);
  manifest[name] = `${name}.${hash}.js`;
}
const current = new Set(Object.values(manifest));
for (const file of readdirSync(out)) {
  const built = Object.keys(entries).some((name) =>
    new RegExp(`^${name}\\.[0-9a-f]{12}\\.js$`).test(file),
  );
  if (built && !current.has(file)) rmSync(path.join(out, file));
}
writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
