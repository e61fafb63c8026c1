import {
  FrugalInputError,
  registerVariants,
  type BuildContext,
  type BuiltModel,
  type ModelBaseParams,
  type PretrainedConfig,
  type Registry,
  type Rng,
  type VariantModels,
} from '@frugal/core';
import { input, layers, model as functionalModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { dropPath, withWeights, torchLayers, torchvisionPretrained, type WeightLoadReport } from '@frugal/torch-compat';
import { registerCustomLayers } from './layers/register-layers.js';

const { batchNorm, conv2d, dropout, globalAvgPool, linear, maxPool, relu } = torchLayers;

/**
 * Wide ResNets (Zagoruyko & Komodakis 2016).
 *
 * - The CIFAR layout `wrn-28-k`: pre-activation blocks (BN, leaky ReLU 0.1, 3x3 conv, BN, leaky ReLU,
 *   3x3 conv) in three stages of 16k/32k/64k channels, 1x1 projections where the shape changes,
 *   BatchNorm momentum 0.001 — as FixMatch and USB build it (WRN-28-2: 1,467,610 parameters with 10
 *   classes; WRN-28-8: their CIFAR-100 backbone). Layer names follow that PyTorch code
 *   (`block1.layer.0.conv1` -> `block1_layer_0_conv1`).
 * - torchvision's `wide_resnet50_2` / `wide_resnet101_2`: ResNet-50/101 whose bottleneck 3x3 is
 *   twice as wide; the same module paths as torchvision, so its weights load by name.
 */

// ---------------------------------------------------------------------------------------------
// CIFAR layout (pre-activation)

const LEAKY_SLOPE = 0.1;
/** FixMatch's and USB's BatchNorm momentum (PyTorch's terms), for their million steps. */
const CIFAR_BN_MOMENTUM = 0.001;

function leakyRelu(x: SymbolicTensor, name: string): SymbolicTensor {
  return layers.leakyReLU({ name, alpha: LEAKY_SLOPE }).apply(x) as SymbolicTensor;
}

function channels(x: SymbolicTensor): number {
  return x.shape[3] as number;
}

interface PreActOptions {
  out: number;
  stride: number;
  dropRate: number;
  dropPathRate: number;
  /** The first block of the network: its shortcut also reads the pre-activated input. */
  activateBeforeResidual: boolean;
  /** BatchNorm momentum, PyTorch's convention. */
  bnMomentum: number;
}

function preActBlock(x: SymbolicTensor, name: string, o: PreActOptions, rng: Rng): SymbolicTensor {
  const equal = channels(x) === o.out && o.stride === 1;
  const pre = leakyRelu(batchNorm(x, { name: `${name}_bn1`, momentum: o.bnMomentum }), `${name}_relu1`);
  let y = conv2d(pre, { name: `${name}_conv1`, filters: o.out, kernel: 3, stride: o.stride, padding: 1, init: 'kaiming-fan-out' }, rng);
  y = leakyRelu(batchNorm(y, { name: `${name}_bn2`, momentum: o.bnMomentum }), `${name}_relu2`);
  y = dropout(y, `${name}_dropout`, o.dropRate, rng.seedInt());
  y = conv2d(y, { name: `${name}_conv2`, filters: o.out, kernel: 3, padding: 1, init: 'kaiming-fan-out' }, rng);
  y = dropPath(y, `${name}_drop_path`, o.dropPathRate, rng.seedInt());
  const identity = equal
    ? x
    : conv2d(o.activateBeforeResidual ? pre : x, { name: `${name}_convShortcut`, filters: o.out, kernel: 1, stride: o.stride, init: 'kaiming-fan-out' }, rng);
  return layers.add({ name: `${name}_add` }).apply([identity, y]) as SymbolicTensor;
}

// ---------------------------------------------------------------------------------------------
// torchvision layout (bottleneck, wide 3x3)

const EXPANSION = 4;

interface BottleneckOptions {
  planes: number;
  width: number;
  stride: number;
  dropPathRate: number;
  /** BatchNorm momentum, PyTorch's convention; unset: torchvision's (`batchNorm`'s default). */
  momentum: number | undefined;
}

function wideBottleneck(x: SymbolicTensor, name: string, o: BottleneckOptions, rng: Rng): SymbolicTensor {
  const { planes, width, stride, dropPathRate, momentum } = o;
  const out = planes * EXPANSION;
  let y = conv2d(x, { name: `${name}_conv1`, filters: width, kernel: 1, init: 'kaiming-fan-out' }, rng);
  y = relu(batchNorm(y, { name: `${name}_bn1`, momentum }), `${name}_relu1`);
  y = conv2d(y, { name: `${name}_conv2`, filters: width, kernel: 3, stride, padding: 1, init: 'kaiming-fan-out' }, rng);
  y = relu(batchNorm(y, { name: `${name}_bn2`, momentum }), `${name}_relu2`);
  y = conv2d(y, { name: `${name}_conv3`, filters: out, kernel: 1, init: 'kaiming-fan-out' }, rng);
  y = batchNorm(y, { name: `${name}_bn3`, momentum });
  y = dropPath(y, `${name}_drop_path`, dropPathRate, rng.seedInt());
  let identity = x;
  if (stride !== 1 || channels(x) !== out) {
    identity = conv2d(x, { name: `${name}_downsample_0`, filters: out, kernel: 1, stride, init: 'kaiming-fan-out' }, rng);
    identity = batchNorm(identity, { name: `${name}_downsample_1`, momentum });
  }
  const sum = layers.add({ name: `${name}_add` }).apply([y, identity]) as SymbolicTensor;
  return relu(sum, `${name}_relu`);
}

// ---------------------------------------------------------------------------------------------
// Variants

export interface WideResNetVariant {
  readonly layout: 'cifar' | 'imagenet';
  /** CIFAR: depth (6n + 4); ImageNet: blocks per stage. */
  readonly depth?: number;
  readonly layers?: readonly number[];
  /** CIFAR: the widening factor k; ImageNet: the bottleneck's 3x3 width per 64 planes (2 = twice ResNet's). */
  readonly widen: number;
  readonly description: string;
  readonly pretrained: PretrainedConfig;
}

const CIFAR_CONFIG: PretrainedConfig = { inputSize: [32, 32, 3], mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616], interpolation: 'bilinear', classifier: 'head' };

export const WIDE_RESNET_VARIANTS = {
  'wrn-28-2': { layout: 'cifar', depth: 28, widen: 2, description: 'Wide ResNet-28-2, CIFAR layout (FixMatch, USB): 1.47M parameters with 10 classes', pretrained: CIFAR_CONFIG },
  'wrn-28-8': { layout: 'cifar', depth: 28, widen: 8, description: 'Wide ResNet-28-8, CIFAR layout (FixMatch on CIFAR-100): 23.4M parameters with 100 classes', pretrained: CIFAR_CONFIG },
  wide_resnet50_2: { layout: 'imagenet', layers: [3, 4, 6, 3], widen: 2, description: 'Wide ResNet-50-2, ImageNet layout (torchvision): ResNet-50 with twice as wide 3x3 convolutions, 68.9M parameters', pretrained: torchvisionPretrained('wide_resnet50_2-95faca4d.pth', 'Wide_ResNet50_2_Weights.IMAGENET1K_V1') },
  wide_resnet101_2: { layout: 'imagenet', layers: [3, 4, 23, 3], widen: 2, description: 'Wide ResNet-101-2, ImageNet layout (torchvision), 126.9M parameters', pretrained: torchvisionPretrained('wide_resnet101_2-32ee1156.pth', 'Wide_ResNet101_2_Weights.IMAGENET1K_V1') },
} as const satisfies Record<string, WideResNetVariant>;

export type WideResNetName = keyof typeof WIDE_RESNET_VARIANTS;

export const wideResNetParamsSchema = z.strictObject({
  /** A safetensors file with torchvision weights (ImageNet layout; `fc` is skipped when the class count differs). */
  weights: z.string().min(1).optional(),
  /** Dropout inside each CIFAR block, between its convolutions (the paper's 0.3; FixMatch uses 0). */
  dropRate: z.number().min(0).lt(1).default(0),
  /** Dropout rate on the features, before the classifier. */
  dropout: z.number().min(0).lt(1).default(0),
  /** Stochastic depth: drop rate of the last residual branch; block l of L drops with rate * l / L. */
  stochasticDepthRate: z.number().min(0).lt(1).default(0),
  /**
   * BatchNorm momentum in PyTorch's terms (the weight of each batch in the running statistics); by
   * default the references': 0.001 in the CIFAR layout (FixMatch, for its million steps), 0.1 in
   * torchvision's. After a few thousand steps at 0.001 the statistics used in inference are still
   * mostly their initial values, so a short run wants ~0.01–0.1.
   */
  batchNormMomentum: z.number().gt(0).max(1).optional(),
});

export type WideResNetParams = z.input<typeof wideResNetParamsSchema>;
type ResolvedParams = z.output<typeof wideResNetParamsSchema> & ModelBaseParams;

export interface WideResNetModel extends BuiltModel {
  readonly weightsReport?: WeightLoadReport;
}

function buildCifar(v: WideResNetVariant, params: ResolvedParams, rng: Rng): SymbolicTensor[] {
  const n = ((v.depth as number) - 4) / 6;
  const widths = [16 * v.widen, 32 * v.widen, 64 * v.widen];
  const bnMomentum = params.batchNormMomentum ?? CIFAR_BN_MOMENTUM;
  const inputs = input({ shape: params.inputShape, name: 'input' });
  let x = conv2d(inputs, { name: 'conv1', filters: 16, kernel: 3, padding: 1, init: 'kaiming-fan-out' }, rng);
  let index = 0;
  widths.forEach((out, stage) => {
    for (let j = 0; j < n; j++) {
      index++;
      x = preActBlock(
        x,
        `block${stage + 1}_layer_${j}`,
        {
          out,
          stride: j === 0 && stage > 0 ? 2 : 1,
          dropRate: params.dropRate,
          dropPathRate: (params.stochasticDepthRate * index) / (3 * n),
          activateBeforeResidual: stage === 0 && j === 0,
          bnMomentum,
        },
        rng,
      );
    }
  });
  x = leakyRelu(batchNorm(x, { name: 'bn1', momentum: bnMomentum }), 'relu');
  return [inputs, x];
}

function buildImagenet(v: WideResNetVariant, params: ResolvedParams, rng: Rng): SymbolicTensor[] {
  const inputs = input({ shape: params.inputShape, name: 'input' });
  let x = conv2d(inputs, { name: 'conv1', filters: 64, kernel: 7, stride: 2, padding: 3, init: 'kaiming-fan-out' }, rng);
  const momentum = params.batchNormMomentum;
  x = relu(batchNorm(x, { name: 'bn1', momentum }), 'relu');
  x = maxPool(x, { name: 'maxpool', pool: 3, stride: 2, padding: 1 });
  const stageLayers = v.layers as readonly number[];
  const total = stageLayers.reduce((a, b) => a + b, 0);
  let index = 0;
  stageLayers.forEach((count, stage) => {
    const planes = 64 * 2 ** stage;
    for (let j = 0; j < count; j++) {
      index++;
      const block = { planes, width: planes * v.widen, stride: j === 0 && stage > 0 ? 2 : 1, dropPathRate: (params.stochasticDepthRate * index) / total, momentum };
      x = wideBottleneck(x, `layer${stage + 1}_${j}`, block, rng);
    }
  });
  return [inputs, x];
}

function createWideResNet(name: WideResNetName, params: ResolvedParams, ctx: BuildContext): WideResNetModel {
  const variant: WideResNetVariant = WIDE_RESNET_VARIANTS[name];
  if (variant.layout === 'cifar' && params.weights) {
    throw new FrugalInputError(`model "${name}": weights: the CIFAR Wide ResNets have no torchvision weights to import; remove weights or use wide_resnet50_2`);
  }
  if (variant.layout === 'imagenet' && params.dropRate > 0) {
    throw new FrugalInputError(`model "${name}": dropRate applies to the CIFAR layout's blocks; use dropout (before the classifier) or stochasticDepthRate`);
  }
  registerCustomLayers();
  let inputs: SymbolicTensor;
  let x: SymbolicTensor;
  try {
    [inputs, x] = (variant.layout === 'cifar' ? buildCifar(variant, params, ctx.rng) : buildImagenet(variant, params, ctx.rng)) as [SymbolicTensor, SymbolicTensor];
  } catch (error) {
    if (error instanceof RangeError) throw new FrugalInputError(`model "${name}": inputShape [${params.inputShape.join(', ')}]: ${error.message}`);
    throw error;
  }
  const features = globalAvgPool(x, 'features');
  const dropped = dropout(features, 'dropout', params.dropout, ctx.rng.seedInt());
  const logits = linear(dropped, 'head', params.numClasses, ctx.rng);
  const built: BuiltModel = { model: functionalModel({ inputs, outputs: logits, name }), featureDim: channels(x), pretrained: variant.pretrained };
  return withWeights(built, params.weights);
}

/** Registers every row of `WIDE_RESNET_VARIANTS`. */
export function registerWideResNets(registry: Registry, prefix = ''): void {
  registerVariants(registry, WIDE_RESNET_VARIANTS, { params: wideResNetParamsSchema, create: (name, params, ctx) => createWideResNet(name, params as ResolvedParams, ctx) }, prefix);
}

type WideResNetModels = VariantModels<typeof WIDE_RESNET_VARIANTS, WideResNetParams>;

declare module '@frugal/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FrugalModels extends WideResNetModels {}
}
