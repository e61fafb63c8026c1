// The bench's model: a ResNet-8 (CIFAR layout, one basic block per stage, 16/32/64 channels — the
// PyTorch reference's network) at any width, with dropout and stochastic depth for Noisy Student's
// model noise. TensorFlow-style 'same' padding and 1×1 projection shortcuts keep every op a fast
// wasm kernel (PyTorch-style explicit padding costs a slow Slice in the backward pass).
import { input, layers, model as functionalModel } from '@tensorflow/tfjs-layers';
import { SeededDropout, seededInitializers } from '@frugal/core';
import { dropPath } from '@frugal/models-resnet';
import { z } from 'zod';

// Every layer is named, so that a student built with noise layers can start from its teacher's weights.
function convBn(x, name, filters, kernel, stride, init) {
  const y = layers
    .conv2d({ name: `${name}_conv`, filters, kernelSize: kernel, strides: stride, padding: 'same', useBias: false, kernelInitializer: init.heNormalFanOut() })
    .apply(x);
  return layers.batchNormalization({ name: `${name}_bn`, momentum: 0.9, epsilon: 1e-5 }).apply(y);
}

function basicBlock(x, name, planes, stride, dropPathRate, rng, init) {
  let y = layers.reLU({ name: `${name}_relu1` }).apply(convBn(x, `${name}_1`, planes, 3, stride, init));
  y = convBn(y, `${name}_2`, planes, 3, 1, init);
  const identity = stride === 1 && x.shape[3] === planes ? x : convBn(x, `${name}_shortcut`, planes, 1, stride, init);
  const branch = dropPath(y, `${name}_drop_path`, dropPathRate, rng.seedInt());
  return layers.reLU({ name: `${name}_relu` }).apply(layers.add({ name: `${name}_add` }).apply([branch, identity]));
}

/** ResNet-8: stem, three stages of one basic block (stride 2 between stages), global pooling, linear head. */
export function resnet8({ numClasses, inputShape, width, dropout, stochasticDepthRate }, rng) {
  const init = seededInitializers(rng);
  const w = (c) => Math.max(1, Math.round(c * width));
  const inputs = input({ shape: inputShape, name: 'input' });
  let x = layers.reLU({ name: 'stem_relu' }).apply(convBn(inputs, 'stem', w(16), 3, 1, init));
  [16, 32, 64].forEach((c, stage) => {
    x = basicBlock(x, `layer${stage + 1}`, w(c), stage === 0 ? 1 : 2, (stochasticDepthRate * (stage + 1)) / 3, rng, init);
  });
  let features = layers.globalAveragePooling2d({ name: 'features' }).apply(x);
  if (dropout > 0) features = new SeededDropout({ name: 'dropout', rate: dropout, seed: rng.seedInt() }).apply(features);
  const logits = layers.dense({ units: numClasses, name: 'head', kernelInitializer: init.glorotUniform() }).apply(features);
  return { model: functionalModel({ inputs, outputs: logits }), featureDim: w(64) };
}

/** The bench's models plugin: ResNet-8 at half width (the default), 3/4 and full width (larger students). */
export function benchModels() {
  const params = z.strictObject({
    dropout: z.number().min(0).lt(1).default(0),
    stochasticDepthRate: z.number().min(0).lt(1).default(0),
  });
  return {
    name: '@frugal/bench-semi-supervised-models',
    register(r) {
      for (const [name, width] of [['resnet8-w0.5', 0.5], ['resnet8-w0.75', 0.75], ['resnet8', 1]]) {
        r.model({
          name,
          description: `ResNet-8, CIFAR layout, ${16 * width}/${32 * width}/${64 * width} channels, one basic block per stage`,
          params,
          factory: (p, ctx) => resnet8({ ...p, width }, ctx.rng),
        });
      }
    },
  };
}
