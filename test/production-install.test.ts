import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');

describe('a production install (npm ci --omit=dev)', () => {
  let dir: string;
  beforeAll(() => {
    // Note: the package's manifest and scripts without node_modules, as after `--omit=dev`
    // before the dependencies' own scripts: no TypeScript to resolve.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-prod-'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    fs.cpSync(path.join(ROOT, 'scripts'), path.join(dir, 'scripts'), { recursive: true });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the prepare step without TypeScript, building nothing', () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = spawnSync(npm, ['run', 'prepare', '--silent'], { cwd: dir, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/no TypeScript/);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});
