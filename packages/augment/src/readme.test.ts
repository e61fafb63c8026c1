// The README's example, run as written (keep the two in step).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createFrugal, Rng } from '@frugal/core';
import { describe, expect, it } from 'vitest';
import { augment, buildPipeline, previewGrid } from './index.js';

describe('README example', () => {
  it('runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frugal-readme-'));
    const before = tf.memory().numTensors;

    await tf.setBackend('cpu');
    const frugal = createFrugal({ plugins: [augment()], seed: 42 });

    const pipeline = buildPipeline(frugal, [
      { op: 'pad-crop', padding: 4 },
      { op: 'flip', p: 0.5 },
      'rand-m9-n2-mstd0.5',
      { op: 'cutout', size: 0.5, p: 0.5 },
    ]);

    const images = tf.randomUniform([8, 32, 32, 3]) as tf.Tensor4D;
    const augmented = pipeline.apply(images, new Rng('epoch-0/step-0'));

    const mix = buildPipeline(frugal, [{ op: 'one-of', ops: ['mixup', 'cutmix'] }]);
    const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4), 'float32')) as tf.Tensor2D;
    const batch = mix.applyBatch?.({ x: augmented, y: labels }, new Rng(1));

    await previewGrid({ images, augmentation: pipeline, versions: 6, rng: new Rng(7), file: join(dir, 'preview.png') });

    const sums = tf.sum(batch?.y ?? tf.zeros([1]), 1);
    for (const s of sums.dataSync()) expect(s).toBeCloseTo(1, 5);
    sums.dispose();
    tf.dispose([images, augmented, labels, batch?.x, batch?.y].filter((t) => t !== undefined));
    expect(tf.memory().numTensors).toBe(before);
    await rm(dir, { recursive: true, force: true });
  });
});
