// ResNet-8/20 (CIFAR layout) and ResNet-18 (ImageNet layout) in tfjs-layers with Frugal's batch
// norm (@frugal/models-resnet's, trained as one operation), the same networks as torch_bench.py
// builds in PyTorch: 3×3 convolutions without bias, BatchNorm (momentum 0.1 in PyTorch's sense,
// eps 1e-5), ReLU, projection shortcuts (1×1 convolution + BatchNorm) where the shape changes,
// global average pooling and a dense classifier producing logits.
import * as tfl from '@tensorflow/tfjs-layers';
import { torchLayers } from '@frugal/models-resnet';

function seeded(seed) {
  let n = seed;
  return () => tfl.initializers.heNormal({ seed: n++ });
}

function convBn(x, filters, kernelSize, strides, init, name) {
  const y = tfl.layers
    .conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: init(), name: `${name}_conv` })
    .apply(x);
  return torchLayers.batchNorm(y, { name: `${name}_bn`, momentum: 0.1, epsilon: 1e-5 });
}

function basicBlock(x, filters, strides, init, name) {
  const inFilters = x.shape[x.shape.length - 1];
  let y = tfl.layers.reLU().apply(convBn(x, filters, 3, strides, init, `${name}_a`));
  y = convBn(y, filters, 3, 1, init, `${name}_b`);
  const shortcut = strides !== 1 || inFilters !== filters ? convBn(x, filters, 1, strides, init, `${name}_proj`) : x;
  return tfl.layers.reLU().apply(tfl.layers.add().apply([y, shortcut]));
}

function head(x, numClasses, seed) {
  const pooled = tfl.layers.globalAveragePooling2d({}).apply(x);
  return tfl.layers.dense({ units: numClasses, kernelInitializer: tfl.initializers.glorotUniform({ seed }), name: 'head' }).apply(pooled);
}

/** A CIFAR-layout ResNet: a 3×3 stem, then 3 stages of `blocks` basic blocks (16, 32, 64 filters). */
function cifarResNet(blocks, name, { inputShape, numClasses = 10, seed = 1 }) {
  const init = seeded(seed);
  const input = tfl.input({ shape: inputShape });
  let x = tfl.layers.reLU().apply(convBn(input, 16, 3, 1, init, 'stem'));
  [16, 32, 64].forEach((filters, stage) => {
    for (let b = 0; b < blocks; b++) x = basicBlock(x, filters, stage > 0 && b === 0 ? 2 : 1, init, `s${stage}b${b}`);
  });
  return tfl.model({ inputs: input, outputs: head(x, numClasses, seed + 1000), name });
}

/** ResNet-20 for 32×32 images: 3 basic blocks a stage. */
export function resnet20({ inputShape = [32, 32, 3], numClasses = 10, seed = 1 } = {}) {
  return cifarResNet(3, 'resnet20', { inputShape, numClasses, seed });
}

/** ResNet-8 for 28×28 grey images (the demo's network at full width): 1 basic block a stage. */
export function resnet8({ inputShape = [28, 28, 1], numClasses = 10, seed = 1 } = {}) {
  return cifarResNet(1, 'resnet8', { inputShape, numClasses, seed });
}

/** ResNet-18: a 7×7 stride-2 stem and 3×3 stride-2 max pooling, then 4 stages of 2 basic blocks. */
export function resnet18({ inputShape = [64, 64, 3], numClasses = 10, seed = 1 } = {}) {
  const init = seeded(seed);
  const input = tfl.input({ shape: inputShape });
  let x = tfl.layers.reLU().apply(convBn(input, 64, 7, 2, init, 'stem'));
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x);
  [64, 128, 256, 512].forEach((filters, stage) => {
    for (let b = 0; b < 2; b++) x = basicBlock(x, filters, stage > 0 && b === 0 ? 2 : 1, init, `s${stage}b${b}`);
  });
  return tfl.model({ inputs: input, outputs: head(x, numClasses, seed + 1000), name: 'resnet18' });
}

export const MODELS = {
  'resnet8': { build: resnet8, inputShape: [28, 28, 1], batchSize: 64 },
  'resnet20': { build: resnet20, inputShape: [32, 32, 3], batchSize: 32 },
  'resnet18': { build: resnet18, inputShape: [64, 64, 3], batchSize: 16 },
};
