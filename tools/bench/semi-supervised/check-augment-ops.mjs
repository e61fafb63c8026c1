// Applies each of RandAugment's ops (and flip, pad-crop's shift, Cutout) of @frugal/augment to the
// first 32 Fashion-MNIST training images with given per-image arguments, and writes inputs,
// arguments and outputs as JSON; check_augment_ops.py applies torch_reference.py's ops with the same
// arguments and reports the largest difference per op:
//   node tools/bench/semi-supervised/check-augment-ops.mjs --backend native --out runs/parity/augment-ops.json
//   /usr/bin/python3 tools/bench/semi-supervised/check_augment_ops.py runs/parity/augment-ops.json
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { imageBatch } from '@frugal/core';
import * as aug from '@frugal/augment';
import { loadFashionMnist } from '@frugal/data';
import { useBackend } from '@frugal/runtime-gpu';

const { values: args } = parseArgs({
  options: { backend: { type: 'string', default: 'auto' }, out: { type: 'string', default: 'runs/parity/augment-ops.json' } },
});
const device = await useBackend(args.backend);
const { train } = await loadFashionMnist({ download: false });
const n = 32;
const images = imageBatch(train, Int32Array.from({ length: n }, (_, i) => i));
const spread = (low, high) => Array.from({ length: n }, (_, i) => low + ((high - low) * i) / (n - 1));
const signedSpread = (max) => spread(-max, max);
const cases = {
  autocontrast: { args: {}, run: (x) => aug.autocontrastImages(x) },
  equalize: { args: {}, run: (x) => aug.equalizeImages(x) },
  invert: { args: {}, run: (x) => aug.invertImages(x) },
  rotate: { args: { degrees: signedSpread(30) }, run: (x, a) => aug.rotateImages(x, a.degrees, { fill: 0 }) },
  posterize: { args: { bits: spread(0, 4).map(Math.floor) }, run: (x, a) => aug.posterizeImages(x, a.bits) },
  solarize: { args: { thresholds: spread(0, 256).map((t) => (Math.floor(t) - 0.5) / 255) }, run: (x, a) => aug.solarizeImages(x, a.thresholds) },
  'solarize-add': { args: { amounts: spread(0, 110).map((v) => Math.floor(v) / 255) }, run: (x, a) => aug.solarizeAddImages(x, a.amounts, 0.5) },
  contrast: { args: { factors: spread(0.1, 1.9) }, run: (x, a) => aug.contrastImages(x, a.factors) },
  brightness: { args: { factors: spread(0.1, 1.9) }, run: (x, a) => aug.brightnessImages(x, a.factors) },
  sharpness: { args: { factors: spread(0.1, 1.9) }, run: (x, a) => aug.sharpnessImages(x, a.factors) },
  'shear-x': { args: { sx: signedSpread(0.3) }, run: (x, a) => aug.shearImages(x, a.sx, new Float32Array(n), { fill: 0 }) },
  'shear-y': { args: { sy: signedSpread(0.3) }, run: (x, a) => aug.shearImages(x, new Float32Array(n), a.sy, { fill: 0 }) },
  'translate-x': { args: { dx: signedSpread(0.45 * 28) }, run: (x, a) => aug.translateImages(x, a.dx, new Float32Array(n), { fill: 0 }) },
  'translate-y': { args: { dy: signedSpread(0.45 * 28) }, run: (x, a) => aug.translateImages(x, new Float32Array(n), a.dy, { fill: 0 }) },
  // pad-crop's whole-pixel shift (nearest), and the horizontal flip.
  shift: {
    args: { dx: spread(-2, 2).map(Math.round), dy: spread(2, -2).map(Math.round) },
    run: (x, a) => aug.translateImages(x, a.dx, a.dy, { interpolation: 'nearest', fill: 0 }),
  },
  flip: { args: {}, run: (x) => aug.flipImages(x, 'horizontal') },
  cutout: {
    args: { boxes: Array.from({ length: n }, (_, i) => ({ top: Math.max(0, i - 7), left: Math.max(0, 20 - i), bottom: Math.min(28, i + 7), right: Math.min(28, 34 - i) })) },
    run: (x, a) => aug.eraseBoxes(x, a.boxes.map((b) => [b]), 0.5),
  },
};
const outputs = {};
for (const [name, { args: a, run }] of Object.entries(cases)) {
  const y = run(images, a);
  outputs[name] = { args: a, values: Array.from(y.dataSync()) };
  y.dispose();
}
writeFileSync(args.out, JSON.stringify({ backend: device.backend, shape: images.shape, images: Array.from(images.dataSync()), outputs }));
images.dispose();
console.log(`${args.out}: ${Object.keys(outputs).length} ops on ${n} images, backend ${device.backend}`);
