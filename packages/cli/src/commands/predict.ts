import * as tf from '@tensorflow/tfjs-core';
import { InferenceModel, normalize } from '@frugal/core';
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { decodeImage, listImages, modelDecodeParams, type DecodeParams, type ImageDecodeError } from '@frugal/data';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { loadRunModel } from '../run-model.js';
import { pct } from '../table.js';
import { UsageError } from '../usage-error.js';

/** The image's pixels as the model's input, in [0, 1], fitted to its size as its training images were; the reason when it cannot be decoded. */
async function decode(file: string, params: DecodeParams): Promise<Float32Array | { reason: string }> {
  try {
    return Float32Array.from(await decodeImage(file, params), (v) => v / 255);
  } catch (error) {
    return { reason: (error as ImageDecodeError).reason };
  }
}

/** An image to predict: a file named as an argument, or one found in a folder named as one. */
interface ImageArg {
  readonly file: string;
  readonly inFolder: boolean;
}

/** The image files the arguments name: a file as given, a folder as every image under it (sorted). */
async function imageFiles(args: readonly string[]): Promise<ImageArg[]> {
  const files: ImageArg[] = [];
  for (const arg of args) {
    if (!existsSync(arg)) throw new UsageError(`Image ${arg} does not exist`);
    const info = statSync(arg);
    // A pipe would wait for a writer, a device never end.
    if (!info.isDirectory() && !info.isFile()) throw new UsageError(`Image ${arg} is not a regular file (a device, a pipe or a socket); give an image file`);
    if (!info.isDirectory()) {
      files.push({ file: arg, inFolder: false });
      continue;
    }
    const listing = await listImages(arg, 'Image folder');
    if (listing.files.length === 0) throw new UsageError(`Folder ${arg} holds no images (jpg, png, webp, gif, tiff, avif); give image files or a folder of them`);
    files.push(...listing.files.map((file) => ({ file: join(arg, relative(resolve(arg), file)), inFolder: true })));
  }
  return files;
}

/** `frugal predict RUN_DIR IMAGE...` — the top-k classes of each image. */
export async function predict(runDir: string, images: string[], flags: { top?: string; backend?: string }, out: Output): Promise<number> {
  if (images.length === 0) throw new UsageError('frugal predict needs at least one image: frugal predict RUN_DIR IMAGE...');
  const files = await imageFiles(images);
  const frugal = await frugalWith();
  await activateBackend(frugal, flags.backend ?? 'auto');
  const { model, card } = await loadRunModel(runDir);
  const k = Math.min(Number(flags.top ?? 3), card.classNames.length);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`--top must be a whole number ≥ 1, got ${flags.top}`);
  const shape = card.inputShape as [number, number, number];
  const params = modelDecodeParams(card);
  const results: { image: string; top: { className: string; probability: number }[] }[] = [];
  const inference = new InferenceModel(model);
  const skipped: { file: string; reason: string }[] = [];
  try {
    for (const { file, inFolder } of files) {
      const pixels = await decode(file, params);
      if (!(pixels instanceof Float32Array)) {
        // A file named on the command line is the user's to fix; one of a folder's is skipped, as eval and label skip it.
        if (!inFolder) throw new UsageError(`Image ${file} could not be decoded (${pixels.reason}); check that it is an image file`);
        skipped.push({ file, reason: pixels.reason });
        continue;
      }
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
  // Every image was one of a folder's, and none could be read: nothing to print is not a result.
  if (results.length === 0) {
    throw new UsageError(`None of the ${files.length} images in ${images.join(', ')} could be decoded ("${skipped[0]?.file}": ${skipped[0]?.reason}); give readable images (jpg, png, webp, ...)`);
  }
  for (const bad of skipped) out.note(`Skipped image "${bad.file}": it could not be decoded (${bad.reason})`);
  out.result(results, () =>
    results.map((r) => `${r.image}\n${r.top.map((t, i) => `  ${i + 1}. ${t.className.padEnd(16)} ${pct(t.probability)}`).join('\n')}`).join('\n'),
  );
  return 0;
}
