// The bench's network: ResNet-8 (CIFAR layout with one basic block per stage, 16/32/64 channels
// × width, parameter-free shortcuts) built from @frugal/models-resnet's PyTorch-semantics layers.
// Stage names follow torchvision (`layer1`..`layer3`), so fine-tuning finds its stages.
import { input, layers, model as functionalModel } from '@tensorflow/tfjs-layers';
import { registerCustomLayers, shortcutPad, torchLayers } from '@frugal/models-resnet';
import { z } from 'zod';

const { conv2d, batchNorm, relu, globalAvgPool, linear } = torchLayers;

function basicBlock(x, name, planes, stride, rng) {
  let y = conv2d(x, { name: `${name}_conv1`, filters: planes, kernel: 3, stride, padding: 1, init: 'kaiming-fan-out' }, rng);
  y = relu(batchNorm(y, { name: `${name}_bn1` }), `${name}_relu1`);
  y = conv2d(y, { name: `${name}_conv2`, filters: planes, kernel: 3, padding: 1, init: 'kaiming-fan-out' }, rng);
  y = batchNorm(y, { name: `${name}_bn2` });
  const identity = stride === 1 && x.shape[3] === planes ? x : shortcutPad(x, `${name}_shortcut`, stride, planes);
  return relu(layers.add({ name: `${name}_add` }).apply([y, identity]), `${name}_relu`);
}

/** ResNet-8 at `width` (1: 78k parameters; 0.25: 5k). */
export function resnet8({ numClasses, inputShape, width }, rng) {
  const w = (c) => Math.max(1, Math.round(c * width));
  const inputs = input({ shape: inputShape, name: 'input' });
  let x = conv2d(inputs, { name: 'conv1', filters: w(16), kernel: 3, padding: 1, init: 'kaiming-fan-out' }, rng);
  x = relu(batchNorm(x, { name: 'bn1' }), 'relu');
  [16, 32, 64].forEach((c, stage) => {
    x = basicBlock(x, `layer${stage + 1}`, w(c), stage === 0 ? 1 : 2, rng);
  });
  const features = globalAvgPool(x, 'features');
  return { model: functionalModel({ inputs, outputs: linear(features, 'head', numClasses, rng), name: 'resnet8' }), featureDim: w(64) };
}

export function benchModels() {
  return {
    name: '@frugal/bench-transfer-distill-models',
    register(r) {
      registerCustomLayers();
      r.model({
        name: 'resnet8',
        description: 'ResNet-8, CIFAR layout (16/32/64 channels × width), one basic block per stage',
        params: z.strictObject({ width: z.number().positive().max(8).default(1) }),
        factory: (p, ctx) => resnet8(p, ctx.rng),
      });
    },
  };
}
