// Builds the org-chart widget and the chart page's script into dist/widget/: one self-contained
// ES module each, minified, under a stable name and a content-hashed one, with a manifest that
// the gateway reads to link the hashed names.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'dist', 'widget');
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
writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
