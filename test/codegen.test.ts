import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const ROOT = path.join(__dirname, '..');
const COMMITTED = 'src/generated/operations.ts';

/**
 * Runs codegen from codegen.yml without writing anything and returns each output's content.
 * Note: in a child process, because @graphql-codegen/cli loads ES modules that Jest's module
 * system cannot require.
 */
function freshGeneration(): Record<string, string> {
  const script = `
    const { generate, loadCodegenConfig } = require('@graphql-codegen/cli');
    (async () => {
      const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
      const outputs = await generate({ ...config, cwd: process.cwd(), silent: true }, false);
      process.stdout.write(JSON.stringify(Object.fromEntries(outputs.map((o) => [o.filename, o.content]))));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  return Object.fromEntries(
    Object.entries(JSON.parse(out) as Record<string, string>).map(([file, content]) => [
      path.relative(ROOT, path.resolve(ROOT, file)),
      content,
    ]),
  );
}

describe('the committed typed operations', () => {
  it(`match a fresh generation from codegen.yml (run \`npm run codegen\` after changing the schema or schema/operations)`, () => {
    const fresh = freshGeneration();
    expect(Object.keys(fresh)).toContain(COMMITTED);
    expect(fs.readFileSync(path.join(ROOT, COMMITTED), 'utf8')).toBe(fresh[COMMITTED]);
  });
});
