import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { centreOffset, decodeImage, shorterSideSize } from './decode-image.js';
import { decodeParams } from './decode-options.js';

/** Written by tools/fixtures/torchvision_fit_fixture.py: images and what torchvision's Resize + CenterCrop make of them. */
interface Fixture {
  resize: number;
  crop: number;
  cases: { width: number; height: number; pixels: string; expected: string }[];
}
const fixtureFile = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torchvision-fit.fixture.json');
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as Fixture;
const script = path.resolve(path.dirname(fixtureFile), '..', '..', '..', '..', 'tools', 'fixtures', 'torchvision_fit_fixture.py');
const torchvision = spawnSync('/usr/bin/python3', ['-c', 'import torchvision'], { encoding: 'utf8' });
const torchvisionMissing = torchvision.status === 0 ? '' : ' (skipped: /usr/bin/python3 cannot import torchvision; apt-get install python3-torchvision)';

let dir: string;
let remove: () => Promise<void>;
beforeAll(async () => ({ dir, remove } = await tempDir('torchvision-fit')));
afterAll(() => remove());

describe("shorter-side-crop against torchvision's evaluation transform", () => {
  it('scales as Resize does, the longer side truncated, and crops as CenterCrop does, half rounded to even', () => {
    expect(shorterSideSize(50, 37, 32, 28, 28)).toEqual([43, 32]); // 43.24
    expect(shorterSideSize(45, 38, 32, 28, 28)).toEqual([37, 32]); // 37.89: truncated, not 38
    expect(shorterSideSize(37, 60, 32, 28, 28)).toEqual([32, 51]);
    expect(shorterSideSize(400, 300, 256, 224, 224)).toEqual([341, 256]);
    expect(shorterSideSize(30, 300, 32, 28, 64)).toEqual([32, 320]);
    expect(shorterSideSize(300, 30, 32, 64, 28)).toEqual([320, 32]);
    expect([centreOffset(43, 28), centreOffset(37, 28), centreOffset(51, 28), centreOffset(32, 28), centreOffset(49, 28)]).toEqual([8, 4, 12, 2, 10]);
  });

  for (const c of fixture.cases) {
    it(`gives torchvision's pixels for a ${c.width} × ${c.height} image, to one level in 255`, async () => {
      const file = path.join(dir, `${c.width}x${c.height}.png`);
      await sharp(Buffer.from(c.pixels, 'base64'), { raw: { width: c.width, height: c.height, channels: 3 } }).png().toFile(file);
      const ours = await decodeImage(file, decodeParams({ size: fixture.crop, shorterSide: fixture.resize, kernel: 'linear' }));
      const theirs = Buffer.from(c.expected, 'base64');
      expect(ours.length).toBe(theirs.length);
      let sum = 0;
      let max = 0;
      for (let i = 0; i < theirs.length; i++) {
        const d = Math.abs((ours[i] as number) - (theirs[i] as number));
        sum += d;
        max = Math.max(max, d);
      }
      // The scale and the crop are torchvision's to the pixel; what differs is sharp's and PIL's bilinear arithmetic.
      expect(max).toBeLessThanOrEqual(1);
      expect(sum / theirs.length).toBeLessThan(0.35);
    });
  }
});

describe('the fixture', () => {
  it.skipIf(torchvisionMissing !== '')(`is what its script writes with this machine's torchvision${torchvisionMissing}`, () => {
    const out = path.join(dir, 'fixture.json');
    const run = spawnSync('/usr/bin/python3', [script, out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(fixtureFile, 'utf8'));
  });
});
