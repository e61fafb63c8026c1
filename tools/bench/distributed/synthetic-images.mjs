// Photo-like PNG images for the labelling benchmarks: gradients, a disc and noise, 1,000 a folder.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/** Image `index` (the same pixels every time), `size`×`size` RGB, as a sharp pipeline. */
export function syntheticImage(index, size) {
  const pixels = Buffer.alloc(size * size * 3);
  let seed = (index + 1) * 2654435761;
  const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
  const [cx, cy, r] = [random() * size, random() * size, size * (0.15 + random() * 0.25)];
  const hue = [random() * 255, random() * 255, random() * 255];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      const at = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) pixels[at + c] = Math.max(0, Math.min(255, (inside ? hue[c] : (x + y * c) % 256) + (random() - 0.5) * 40));
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png();
}

/** Writes images 0..count-1 into `dir/NNNN/` (1,000 a folder, as large collections are kept), once. */
export async function writeSyntheticImages(dir, count, size) {
  if (existsSync(path.join(dir, 'done'))) return;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const i = next++;
        const folder = path.join(dir, String(Math.floor(i / 1000)).padStart(4, '0'));
        mkdirSync(folder, { recursive: true });
        await syntheticImage(i, size).toFile(path.join(folder, `${String(i).padStart(7, '0')}.png`));
      }
    }),
  );
  writeFileSync(path.join(dir, 'done'), '');
}
