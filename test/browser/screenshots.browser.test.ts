import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { takeScreenshots } from '../../src/browser/screenshots';
import { SHOTS } from '../../src/browser/shots';
import { browserSuitesRun } from '../helpers/browser';
import { usingPostgres } from '../helpers/gateway';

const describeBrowser = browserSuitesRun() ? describe : describe.skip;

// Note: seeding a database, starting a gateway and a browser takes a while on a loaded machine.
jest.setTimeout(90_000);

/** Width and height from a PNG's header (IHDR), or null when the bytes are not a PNG. */
function pngSize(file: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!file.subarray(0, 8).equals(signature) || file.toString('latin1', 12, 16) !== 'IHDR')
    return null;
  return { width: file.readUInt32BE(16), height: file.readUInt32BE(20) };
}

describeBrowser('npm run screenshots', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annuaire-shots-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes a shot of the seed chart in a real browser and writes it as a PNG', async () => {
    const shot = SHOTS.find((s) => s.name === 'widget-card')!;
    const files = await takeScreenshots({
      outDir: dir,
      only: [shot.name],
      root: path.join(__dirname, '..', '..'),
      database: usingPostgres ? 'postgres' : 'sqlite',
      postgresUrl: process.env.DATABASE_URL,
      inline: true,
    });
    const file = path.join(dir, 'widget-card.png');
    expect(files).toEqual([file]);
    const png = fs.readFileSync(file);
    // Note: at device scale 1, the picture is exactly the shot's viewport.
    expect(pngSize(png)).toEqual(shot.viewport);
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('refuses a shot it does not know', async () => {
    await expect(
      takeScreenshots({ outDir: dir, only: ['no-such-shot'], root: '.', database: 'sqlite' }),
    ).rejects.toThrow('No shot named no-such-shot');
  });
});
