import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.join(__dirname, '..', 'widget', 'build-widget.mjs');

describe('the widget build', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'widget-build-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps only the current content-hashed copy of each file, and nothing else it did not build', () => {
    // What earlier builds left, and a file that is not the build's.
    for (const stale of [
      'annuaire-organigramme.0123456789ab.js',
      'organigramme-page.abcdefabcdef.js',
      'notes.txt',
    ])
      fs.writeFileSync(path.join(dir, stale), 'old');
    execFileSync(process.execPath, [SCRIPT, dir]);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest).sort()).toEqual(['annuaire-organigramme', 'organigramme-page']);
    expect(fs.readdirSync(dir).sort()).toEqual(
      [
        'annuaire-organigramme.js',
        'organigramme-page.js',
        'manifest.json',
        'notes.txt',
        manifest['annuaire-organigramme'],
        manifest['organigramme-page'],
      ].sort(),
    );
    for (const name of Object.keys(manifest))
      expect(fs.readFileSync(path.join(dir, manifest[name]))).toEqual(
        fs.readFileSync(path.join(dir, `${name}.js`)),
      );
  });
});
