import { createFrugal, setStochasticStep, type BuiltModel } from '@frugal/core';
import { useBackend } from '@frugal/runtime-gpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countParams } from '@frugal/torch-compat';
import { resnet } from './plugin.js';
import { RESNET_VARIANTS, type ResNetName } from './resnet.js';
import { WIDE_RESNET_VARIANTS } from './wide-resnet.js';

// Registry-driven: every model the plugin registers is built, run and trained here.
const frugal = createFrugal({ plugins: [resnet()], seed: 7 });
// The Wide ResNets have their own table and tests (wide-resnet.test.ts).
const entries = frugal.models.list().filter((e) => e.name in RESNET_VARIANTS).map((e) => [e.name, e] as const);

/** torchvision's `sum(p.numel() for p in model.parameters())` with 1000 classes. */
const TORCHVISION_PARAMS: Partial<Record<ResNetName, number>> = {
  resnet18: 11_689_512,
  resnet34: 21_797_672,
  resnet50: 25_557_032,
  resnet101: 44_549_160,
  resnet152: 60_192_808,
};

beforeAll(async () => {
  await useBackend('wasm');
});

it('registers one model per row of the variant table', () => {
  expect(frugal.models.names()).toEqual([...Object.keys(RESNET_VARIANTS), ...Object.keys(WIDE_RESNET_VARIANTS)].sort());
  expect(entries.map(([name]) => name)).toEqual(Object.keys(RESNET_VARIANTS).sort());
  expect(createFrugal({ plugins: [resnet({ prefix: 'tv-' })] }).models.get('tv-resnet18').description).toBe(RESNET_VARIANTS.resnet18.description);
});

it("carries each row's weights preprocessing in its registry entry, for data.normalization: pretrained", () => {
  expect(frugal.models.get('resnet18').pretrained).toMatchObject({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
  for (const [name, entry] of entries) expect(entry.pretrained, name).toEqual(RESNET_VARIANTS[name as ResNetName].pretrained);
});

const isImagenet = (name: string) => RESNET_VARIANTS[name as ResNetName].layout === 'imagenet';

describe.each(entries)('%s', (name) => {
  describe('full width', () => {
    let built: BuiltModel;
    beforeAll(() => {
      built = frugal.models.create(name, { numClasses: 1000, inputShape: isImagenet(name) ? [16, 16, 3] : [8, 8, 3] });
    });
    afterAll(() => built.model.dispose());

    it('maps images to logits, with a features layer of featureDim and a head', () => {
      const [h, w, c] = built.model.inputs[0]!.shape.slice(1) as number[];
      const x = tf.randomUniform([2, h!, w!, c!], 0, 1, 'float32', 3);
      const logits = built.model.predict(x) as tf.Tensor;
      expect(logits.shape).toEqual([2, 1000]);
      expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
      expect(built.model.getLayer('features').outputShape).toEqual([null, built.featureDim]);
      expect(built.model.getLayer('head').getClassName()).toBe('Dense');
      expect(built.pretrained?.classifier).toBe('head');
      tf.dispose([x, logits]);
    });

    const torchvision = TORCHVISION_PARAMS[name as ResNetName];
    if (torchvision) {
      it(`has as many parameters as torchvision (${torchvision})`, () => {
        expect(countParams(built.model)).toBe(torchvision);
      });
    }
  });

  // ImageNet layouts at 1/8 width (same depth, blocks and strides) keep a training step fast.
  // Residual networks start each block as the identity (zeroInitLastBn), as deep ones train best.
  const widthMultiplier = isImagenet(name) ? 0.125 : 1;
  const plain = RESNET_VARIANTS[name as ResNetName].block === 'plain';
  it(`lowers the loss in a few training steps on a tiny batch (width ×${widthMultiplier})`, () => {
    const size = isImagenet(name) ? 32 : 8;
    const built = frugal.models.create(name, { numClasses: 3, inputShape: [size, size, 3], widthMultiplier, zeroInitLastBn: !plain });
    const x = tf.randomUniform([6, size, size, 3], 0, 1, 'float32', 11);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
    const optimizer = tf.train.momentum(0.1, 0.9);
    const losses: number[] = [];
    // Without shortcuts a deep network trains slowly (the degradation they exist to show): plain56's
    // loss wanders for its first steps, so plain networks get twice the steps.
    const steps = plain ? 12 : 6;
    for (let step = 0; step < steps; step++) {
      setStochasticStep(built.model, step);
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, built.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
      );
      losses.push(loss!.dataSync()[0]!);
      loss!.dispose();
    }
    console.log(`${name}: ${losses.map((l) => l.toFixed(3)).join(' -> ')}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.9);
    optimizer.dispose();
    tf.dispose([x, y]);
    built.model.dispose();
  });
});
