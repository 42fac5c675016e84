import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The budget for the widget's JavaScript, gzipped. */
const BUDGET = 40 * 1024;

describe('the org-chart widget bundle', () => {
  const dir = path.join(__dirname, '..', 'dist', 'widget');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

  it('weighs at most 40 kB gzipped, page script included', () => {
    const files = [manifest['annuaire-organigramme'], manifest['organigramme-page']];
    const size = files.reduce(
      (sum, file) => sum + gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 }).length,
      0,
    );
    expect(size).toBeLessThanOrEqual(BUDGET);
  });

  it('loads nothing from another origin: no import and no URL of a CDN or font host', () => {
    const code = fs.readFileSync(path.join(dir, manifest['annuaire-organigramme']), 'utf8');
    expect(code).not.toMatch(/\bimport\s*\(?\s*["']https?:/);
    expect(code).not.toMatch(/fonts\.googleapis|unpkg|jsdelivr|cdnjs|@font-face/);
  });
});
