import * as tf from '@tensorflow/tfjs-core';
import { InferenceModel, normalize } from '@frugal/core';
import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { loadRunModel } from '../run-model.js';
import { pct } from '../table.js';
import { UsageError } from '../usage-error.js';

async function decode(file: string, [h, w, c]: [number, number, number]): Promise<Float32Array> {
  if (!existsSync(file)) throw new UsageError(`Image ${file} does not exist`);
  try {
    let image = sharp(file).rotate().resize(w, h, { fit: 'cover' }).removeAlpha();
    image = c === 1 ? image.grayscale() : image.toColourspace('srgb');
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== c) throw new Error(`decoded ${info.channels} channels, expected ${c}`);
    return Float32Array.from(data, (v) => v / 255);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`Image ${file} could not be decoded (${(error as Error).message}); check that it is an image file`);
  }
}

/** `frugal predict RUN_DIR IMAGE...` — the top-k classes of each image. */
export async function predict(runDir: string, images: string[], flags: { top?: string; backend?: string }, out: Output): Promise<number> {
  if (images.length === 0) throw new UsageError('frugal predict needs at least one image: frugal predict RUN_DIR IMAGE...');
  const frugal = await frugalWith();
  await activateBackend(frugal, flags.backend ?? 'auto');
  const { model, card } = await loadRunModel(runDir);
  const k = Math.min(Number(flags.top ?? 3), card.classNames.length);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`--top must be a whole number ≥ 1, got ${flags.top}`);
  const shape = card.inputShape as [number, number, number];
  const results: { image: string; top: { className: string; probability: number }[] }[] = [];
  const inference = new InferenceModel(model);
  try {
    for (const file of images) {
      const pixels = await decode(file, shape);
      const probs = tf.tidy(() => {
        const x = normalize(tf.tensor4d(pixels, [1, ...shape]), card.normalization);
        return tf.softmax(inference.predict(x) as tf.Tensor2D).dataSync();
      });
      const ranked = Array.from(probs, (p, i) => ({ className: card.classNames[i] as string, probability: p }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, k);
      results.push({ image: file, top: ranked });
    }
  } finally {
    inference.dispose();
  }
  out.result(results, () =>
    results.map((r) => `${r.image}\n${r.top.map((t, i) => `  ${i + 1}. ${t.className.padEnd(16)} ${pct(t.probability)}`).join('\n')}`).join('\n'),
  );
  return 0;
}
