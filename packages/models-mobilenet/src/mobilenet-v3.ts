import {
  registerVariants,
  type BuildContext,
  type PretrainedConfig,
  type Registry,
  type Rng,
  type VariantModels,
} from '@frugal/core';
import { registerTorchLayers, torchLayers, torchvisionPretrained, withWeights, type TorchMapping } from '@frugal/torch-compat';
import { input, layers, model as functionalModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { makeDivisible } from './make-divisible.js';
import { mobilenetParamsSchema, type MobileNetModel, type MobileNetParams, type ResolvedMobileNetParams } from './params.js';

const { batchNorm, conv2d, depthwiseConv2d, dropout, globalAvgPool, hardsigmoid, hardswish, linear, relu } = torchLayers;

/**
 * MobileNetV3 (Howard et al. 2019, "Searching for MobileNetV3") in torchvision's layout: inverted
 * residual blocks with 3x3 or 5x5 depthwise convolutions, squeeze-and-excitation in some (a
 * hard-sigmoid gate), ReLU in the early blocks and hard-swish in the late ones; then a 1x1
 * convolution, global average pooling and a classifier of two linear layers. Batch norm takes
 * torchvision's epsilon 0.001 and (unless `batchNormMomentum` says otherwise) momentum 0.01.
 * Layer names are torchvision's module paths (`features.4.block.2.fc1` -> `features_4_block_2_fc1`;
 * `classifier.3` -> `head`), so its weights load by name; the hard-swish after `classifier.0` is
 * the `features` layer the head reads.
 */

type Activation = 'relu' | 'hardswish';

/** One block: input, depthwise kernel, expanded and output channels, squeeze-and-excitation, activation, stride (torchvision's `bneck_conf`). */
type BlockConfig = readonly [input: number, kernel: number, expanded: number, out: number, se: boolean, activation: Activation, stride: number];

/** torchvision's batch norm in MobileNetV3 (momentum in PyTorch's terms). */
const BN_EPSILON = 0.001;
const BN_MOMENTUM = 0.01;

function activate(x: SymbolicTensor, name: string, activation: Activation): SymbolicTensor {
  return activation === 'relu' ? relu(x, name) : hardswish(x, name);
}

/** What every block reads: the seeded initializers, the width and batch norm's momentum. */
interface Build {
  rng: Rng;
  width: number;
  momentum: number;
}

/** torchvision's Conv2dNormActivation: conv (no bias) + BatchNorm (+ activation), named `<name>_0`, `_1`, `_2`. */
function convBn(x: SymbolicTensor, name: string, filters: number, kernel: number, stride: number, b: Build, activation?: Activation): SymbolicTensor {
  const y = conv2d(x, { name: `${name}_0`, filters, kernel, stride, padding: (kernel - 1) / 2, init: 'kaiming-fan-out' }, b.rng);
  const normed = batchNorm(y, { name: `${name}_1`, epsilon: BN_EPSILON, momentum: b.momentum });
  return activation ? activate(normed, `${name}_2`, activation) : normed;
}

/** torchvision's SqueezeExcitation: the channels scaled by hardsigmoid(fc2(relu(fc1(mean over the pixels)))). */
function squeezeExcitation(x: SymbolicTensor, name: string, squeeze: number, rng: Rng): SymbolicTensor {
  const channels = x.shape[3] as number;
  const pooled = layers.reshape({ name: `${name}_reshape`, targetShape: [1, 1, channels] }).apply(globalAvgPool(x, `${name}_avgpool`)) as SymbolicTensor;
  let scale = conv2d(pooled, { name: `${name}_fc1`, filters: squeeze, kernel: 1, bias: true, init: 'kaiming-fan-out' }, rng);
  scale = relu(scale, `${name}_activation`);
  scale = conv2d(scale, { name: `${name}_fc2`, filters: channels, kernel: 1, bias: true, init: 'kaiming-fan-out' }, rng);
  scale = hardsigmoid(scale, `${name}_scale_activation`);
  return layers.multiply({ name }).apply([x, scale]) as SymbolicTensor;
}

function invertedResidual(x: SymbolicTensor, name: string, c: BlockConfig, b: Build): SymbolicTensor {
  const [, kernel, expandedBase, outBase, se, activation, stride] = c;
  const inChannels = x.shape[3] as number;
  const expanded = makeDivisible(expandedBase * b.width);
  const out = makeDivisible(outBase * b.width);
  let y = x;
  let index = 0;
  if (expanded !== inChannels) y = convBn(y, `${name}_block_${index++}`, expanded, 1, 1, b, activation);
  const dw = `${name}_block_${index++}`;
  y = depthwiseConv2d(y, { name: `${dw}_0`, kernel, stride, padding: (kernel - 1) / 2 }, b.rng);
  y = activate(batchNorm(y, { name: `${dw}_1`, epsilon: BN_EPSILON, momentum: b.momentum }), `${dw}_2`, activation);
  if (se) y = squeezeExcitation(y, `${name}_block_${index++}`, makeDivisible(Math.floor(expanded / 4)), b.rng);
  y = convBn(y, `${name}_block_${index}`, out, 1, 1, b);
  if (stride === 1 && inChannels === out) y = layers.add({ name: `${name}_add` }).apply([x, y]) as SymbolicTensor;
  return y;
}

// ---------------------------------------------------------------------------------------------
// Variants

export interface MobileNetV3Variant {
  readonly description: string;
  readonly blocks: readonly BlockConfig[];
  /** Width of the classifier's hidden layer (at width 1). */
  readonly lastChannel: number;
  readonly pretrained: PretrainedConfig;
}

export const MOBILENET_V3_VARIANTS = {
  mobilenet_v3_large: {
    description: 'MobileNetV3-Large, torchvision layout: inverted residuals with squeeze-and-excitation and hard-swish, 5.5M parameters',
    blocks: [
      [16, 3, 16, 16, false, 'relu', 1],
      [16, 3, 64, 24, false, 'relu', 2],
      [24, 3, 72, 24, false, 'relu', 1],
      [24, 5, 72, 40, true, 'relu', 2],
      [40, 5, 120, 40, true, 'relu', 1],
      [40, 5, 120, 40, true, 'relu', 1],
      [40, 3, 240, 80, false, 'hardswish', 2],
      [80, 3, 200, 80, false, 'hardswish', 1],
      [80, 3, 184, 80, false, 'hardswish', 1],
      [80, 3, 184, 80, false, 'hardswish', 1],
      [80, 3, 480, 112, true, 'hardswish', 1],
      [112, 3, 672, 112, true, 'hardswish', 1],
      [112, 5, 672, 160, true, 'hardswish', 2],
      [160, 5, 960, 160, true, 'hardswish', 1],
      [160, 5, 960, 160, true, 'hardswish', 1],
    ],
    lastChannel: 1280,
    pretrained: torchvisionPretrained('mobilenet_v3_large-8738ca79.pth', 'MobileNet_V3_Large_Weights.IMAGENET1K_V1'),
  },
  mobilenet_v3_small: {
    description: 'MobileNetV3-Small, torchvision layout: inverted residuals with squeeze-and-excitation and hard-swish, 2.5M parameters',
    blocks: [
      [16, 3, 16, 16, true, 'relu', 2],
      [16, 3, 72, 24, false, 'relu', 2],
      [24, 3, 88, 24, false, 'relu', 1],
      [24, 5, 96, 40, true, 'hardswish', 2],
      [40, 5, 240, 40, true, 'hardswish', 1],
      [40, 5, 240, 40, true, 'hardswish', 1],
      [40, 5, 120, 48, true, 'hardswish', 1],
      [48, 5, 144, 48, true, 'hardswish', 1],
      [48, 5, 288, 96, true, 'hardswish', 2],
      [96, 5, 576, 96, true, 'hardswish', 1],
      [96, 5, 576, 96, true, 'hardswish', 1],
    ],
    lastChannel: 1024,
    pretrained: torchvisionPretrained('mobilenet_v3_small-047dcff4.pth', 'MobileNet_V3_Small_Weights.IMAGENET1K_V1'),
  },
} as const satisfies Record<string, MobileNetV3Variant>;

export type MobileNetV3Name = keyof typeof MOBILENET_V3_VARIANTS;

// ---------------------------------------------------------------------------------------------
// Builder

const WEIGHT_MAPPING: TorchMapping = { renames: { 'classifier.3': 'head' }, classifierLayers: ['head'] };

function createMobileNetV3(name: MobileNetV3Name, params: ResolvedMobileNetParams, ctx: BuildContext): MobileNetModel {
  registerTorchLayers();
  const rng = ctx.rng;
  const variant: MobileNetV3Variant = MOBILENET_V3_VARIANTS[name];
  const b: Build = { rng, width: params.widthMultiplier, momentum: params.batchNormMomentum ?? BN_MOMENTUM };
  const inputs = input({ shape: params.inputShape, name: 'input' });
  let x = convBn(inputs, 'features_0', makeDivisible(variant.blocks[0]![0] * b.width), 3, 2, b, 'hardswish');
  variant.blocks.forEach((block, i) => {
    x = invertedResidual(x, `features_${i + 1}`, block, b);
  });
  x = convBn(x, `features_${variant.blocks.length + 1}`, 6 * (x.shape[3] as number), 1, 1, b, 'hardswish');
  const pooled = globalAvgPool(x, 'avgpool');
  const lastChannel = makeDivisible(variant.lastChannel * b.width);
  const features = hardswish(linear(pooled, 'classifier_0', lastChannel, rng, 'normal-0.01'), 'features');
  const dropped = dropout(features, 'dropout', params.dropout, rng.seedInt());
  const logits = linear(dropped, 'head', params.numClasses, rng, 'normal-0.01');
  const model = functionalModel({ inputs, outputs: logits, name });
  return withWeights({ model, featureDim: lastChannel, pretrained: variant.pretrained }, params.weights, WEIGHT_MAPPING);
}

// ---------------------------------------------------------------------------------------------
// Registrations

/** Registers every row of `MOBILENET_V3_VARIANTS`. */
export function registerMobileNetV3(registry: Registry, prefix = ''): void {
  registerVariants(registry, MOBILENET_V3_VARIANTS, { params: mobilenetParamsSchema, create: (name, params, ctx) => createMobileNetV3(name, params as ResolvedMobileNetParams, ctx) }, prefix);
}

type MobileNetV3Models = VariantModels<typeof MOBILENET_V3_VARIANTS, MobileNetParams>;

declare module '@frugal/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FrugalModels extends MobileNetV3Models {}
}
