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

const { batchNorm, conv2d, depthwiseConv2d, dropout, globalAvgPool, linear, relu6 } = torchLayers;

/**
 * MobileNetV2 (Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks") in
 * torchvision's layout: a stride-2 3x3 stem, then inverted residual blocks (1x1 expansion, 3x3
 * depthwise, linear 1x1 projection; a residual sum where the shape stays), a 1x1 convolution to
 * 1280 channels, global average pooling, dropout and the classifier. Layer names are torchvision's
 * module paths (`features.2.conv.1.0` -> `features_2_conv_1_0`; `classifier.1` -> `head`), so its
 * weights load by name.
 */

/** The blocks' settings, as the paper's table 2: expansion t, output channels c, repeats n, first stride s. */
const INVERTED_RESIDUAL_SETTING: readonly (readonly [t: number, c: number, n: number, s: number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** torchvision's Conv2dNormActivation: conv (no bias) + BatchNorm + ReLU6, named `<name>_0`, `_1`, `_2`. */
function convBnRelu6(x: SymbolicTensor, name: string, filters: number, kernel: number, stride: number, momentum: number | undefined, rng: Rng): SymbolicTensor {
  const y = conv2d(x, { name: `${name}_0`, filters, kernel, stride, padding: (kernel - 1) / 2, init: 'kaiming-fan-out' }, rng);
  return relu6(batchNorm(y, { name: `${name}_1`, momentum }), `${name}_2`);
}

function depthwiseBnRelu6(x: SymbolicTensor, name: string, stride: number, momentum: number | undefined, rng: Rng): SymbolicTensor {
  const y = depthwiseConv2d(x, { name: `${name}_0`, kernel: 3, stride, padding: 1 }, rng);
  return relu6(batchNorm(y, { name: `${name}_1`, momentum }), `${name}_2`);
}

function invertedResidual(x: SymbolicTensor, name: string, out: number, stride: number, expansion: number, momentum: number | undefined, rng: Rng): SymbolicTensor {
  const inChannels = x.shape[3] as number;
  const hidden = Math.round(inChannels * expansion);
  let y = x;
  let index = 0;
  if (expansion !== 1) y = convBnRelu6(y, `${name}_conv_${index++}`, hidden, 1, 1, momentum, rng);
  y = depthwiseBnRelu6(y, `${name}_conv_${index++}`, stride, momentum, rng);
  y = conv2d(y, { name: `${name}_conv_${index++}`, filters: out, kernel: 1, init: 'kaiming-fan-out' }, rng);
  y = batchNorm(y, { name: `${name}_conv_${index}`, momentum });
  if (stride === 1 && inChannels === out) y = layers.add({ name: `${name}_add` }).apply([x, y]) as SymbolicTensor;
  return y;
}

// ---------------------------------------------------------------------------------------------
// Variant

export interface MobileNetV2Variant {
  readonly description: string;
  readonly pretrained: PretrainedConfig;
}

export const MOBILENET_V2_VARIANTS = {
  mobilenet_v2: {
    description: 'MobileNetV2, torchvision layout: inverted residuals with depthwise 3x3 convolutions, 3.5M parameters (widthMultiplier scales the channels)',
    pretrained: torchvisionPretrained('mobilenet_v2-b0353104.pth', 'MobileNet_V2_Weights.IMAGENET1K_V1'),
  },
} as const satisfies Record<string, MobileNetV2Variant>;

export type MobileNetV2Name = keyof typeof MOBILENET_V2_VARIANTS;

// ---------------------------------------------------------------------------------------------
// Builder

const WEIGHT_MAPPING: TorchMapping = { renames: { 'classifier.1': 'head' }, classifierLayers: ['head'] };

function createMobileNetV2(name: MobileNetV2Name, params: ResolvedMobileNetParams, ctx: BuildContext): MobileNetModel {
  registerTorchLayers();
  const rng = ctx.rng;
  const width = params.widthMultiplier;
  const momentum = params.batchNormMomentum;
  const inputs = input({ shape: params.inputShape, name: 'input' });
  let x = convBnRelu6(inputs, 'features_0', makeDivisible(32 * width), 3, 2, momentum, rng);
  let index = 1;
  for (const [t, c, n, s] of INVERTED_RESIDUAL_SETTING) {
    for (let i = 0; i < n; i++) {
      x = invertedResidual(x, `features_${index++}`, makeDivisible(c * width), i === 0 ? s : 1, t, momentum, rng);
    }
  }
  const lastChannels = makeDivisible(1280 * Math.max(1, width));
  x = convBnRelu6(x, `features_${index}`, lastChannels, 1, 1, momentum, rng);
  const features = globalAvgPool(x, 'features');
  const dropped = dropout(features, 'dropout', params.dropout, rng.seedInt());
  const logits = linear(dropped, 'head', params.numClasses, rng, 'normal-0.01');
  const model = functionalModel({ inputs, outputs: logits, name });
  return withWeights({ model, featureDim: lastChannels, pretrained: MOBILENET_V2_VARIANTS[name].pretrained }, params.weights, WEIGHT_MAPPING);
}

// ---------------------------------------------------------------------------------------------
// Registrations

/** Registers every row of `MOBILENET_V2_VARIANTS`. */
export function registerMobileNetV2(registry: Registry, prefix = ''): void {
  registerVariants(registry, MOBILENET_V2_VARIANTS, { params: mobilenetParamsSchema, create: (name, params, ctx) => createMobileNetV2(name, params as ResolvedMobileNetParams, ctx) }, prefix);
}

type MobileNetV2Models = VariantModels<typeof MOBILENET_V2_VARIANTS, MobileNetParams>;

declare module '@frugal/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FrugalModels extends MobileNetV2Models {}
}
