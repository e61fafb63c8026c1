import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode-image.js';
import { decodeParams, modelDecodeParams } from './decode-options.js';
import { tempDir, writeImage } from '../testing/fixtures.js';

describe('modelDecodeParams', () => {
  it('decodes files for a model as its card says they were fitted in training', () => {
    const card = { inputShape: [12, 10, 3], decode: { resize: 'exact', kernel: 'nearest' } } as const;
    expect(modelDecodeParams(card)).toEqual({ height: 12, width: 10, channels: 3, resize: 'exact', kernel: 'nearest' });
    const cropped = { inputShape: [8, 8, 1], decode: { resize: 'shorter-side-crop', shorterSide: 10, kernel: 'linear' } } as const;
    expect(modelDecodeParams(cropped)).toEqual(decodeParams({ size: 8, color: 'grayscale', shorterSide: 10, kernel: 'linear' }));
  });

  it('gives the default fit to a card that names none', () => {
    expect(modelDecodeParams({ inputShape: [28, 28, 1] })).toEqual({ height: 28, width: 28, channels: 1, resize: 'shorter-side-crop', kernel: 'lanczos3' });
  });

  it('refuses a model whose inputs no image file decodes to', () => {
    expect(() => modelDecodeParams({ inputShape: [8, 8, 4] })).toThrow(/takes images of 4 channels; image files decode to 1 \(grayscale\) or 3 \(RGB\)/);
  });

  it('fits a wide image as the card says: the whole of it stretched, or its centre', async () => {
    const { dir, remove } = await tempDir('decode-options');
    try {
      // 24 wide, 8 high: a black, a grey and a white band, 8 pixels each.
      const file = path.join(dir, 'wide.png');
      await writeImage(file, { width: 24, height: 8, color: (x) => (x < 8 ? [0, 0, 0] : x < 16 ? [128, 128, 128] : [255, 255, 255]) });
      const row = async (decode: NonNullable<Parameters<typeof modelDecodeParams>[0]['decode']>) =>
        Array.from((await decodeImage(file, modelDecodeParams({ inputShape: [8, 8, 1], decode }))).subarray(0, 8));
      const stretched = await row({ resize: 'exact', kernel: 'nearest' });
      expect(new Set(stretched)).toEqual(new Set([0, 128, 255]));
      expect(await row({ resize: 'shorter-side-crop', kernel: 'nearest' })).toEqual(new Array(8).fill(128));
    } finally {
      await remove();
    }
  });
});
