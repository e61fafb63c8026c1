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
import { shortcutPad } from './layers/shortcut-pad.js';

const { batchNorm, conv2d, dropout, globalAvgPool, linear, maxPool, relu } = torchLayers;

/**
 * The ResNet family (He et al. 2016): ImageNet layouts in torchvision's form (stride on the 3x3
 * convolution of bottleneck blocks, projection shortcuts), the CIFAR layouts of §4.2 (three stages
 * of 16/32/64 channels, parameter-free shortcuts) and plain networks without shortcuts.
 * Layer names follow torchvision's module paths, so its weights load by name.
 */

// ---------------------------------------------------------------------------------------------
// Blocks

export type BlockKind = 'basic' | 'bottleneck' | 'plain';
export type ShortcutKind = 'projection' | 'pad';

interface BlockOptions {
  /** Width of the block's 3x3 convolution(s) (before the bottleneck's expansion). */
  planes: number;
  stride: number;
  shortcut: ShortcutKind;
  dropPathRate: number;
  zeroInitLastBn: boolean;
}

const BOTTLENECK_EXPANSION = 4;

function channels(x: SymbolicTensor): number {
  return x.shape[3] as number;
}

/** The shortcut of a residual block: identity, a 1x1 projection + BN, or subsample + zero channels. */
function shortcut(x: SymbolicTensor, name: string, outChannels: number, o: BlockOptions, rng: Rng): SymbolicTensor {
  if (o.stride === 1 && channels(x) === outChannels) return x;
  if (o.shortcut === 'pad') return shortcutPad(x, `${name}_shortcut`, o.stride, outChannels);
  const projected = conv2d(x, { name: `${name}_downsample_0`, filters: outChannels, kernel: 1, stride: o.stride, init: 'kaiming-fan-out' }, rng);
  return batchNorm(projected, { name: `${name}_downsample_1` });
}

function residualEnd(branch: SymbolicTensor, identity: SymbolicTensor, name: string, o: BlockOptions, rng: Rng): SymbolicTensor {
  const dropped = dropPath(branch, `${name}_drop_path`, o.dropPathRate, rng.seedInt());
  const sum = layers.add({ name: `${name}_add` }).apply([dropped, identity]) as SymbolicTensor;
  return relu(sum, `${name}_relu`);
}

/** Two 3x3 convolutions (ResNet-18/34 and the CIFAR ResNets); `plain` drops the shortcut. */
function basicBlock(x: SymbolicTensor, name: string, o: BlockOptions, rng: Rng, plain: boolean): SymbolicTensor {
  let y = conv2d(x, { name: `${name}_conv1`, filters: o.planes, kernel: 3, stride: o.stride, padding: 1, init: 'kaiming-fan-out' }, rng);
  y = relu(batchNorm(y, { name: `${name}_bn1` }), `${name}_relu1`);
  y = conv2d(y, { name: `${name}_conv2`, filters: o.planes, kernel: 3, padding: 1, init: 'kaiming-fan-out' }, rng);
  y = batchNorm(y, { name: `${name}_bn2`, zeroGamma: o.zeroInitLastBn });
  if (plain) return relu(y, `${name}_relu`);
  return residualEnd(y, shortcut(x, name, o.planes, o, rng), name, o, rng);
}

/** 1x1 reduce, 3x3 (with the stride, as torchvision), 1x1 expand by 4 (ResNet-50/101/152). */
function bottleneckBlock(x: SymbolicTensor, name: string, o: BlockOptions, rng: Rng): SymbolicTensor {
  const out = o.planes * BOTTLENECK_EXPANSION;
  let y = conv2d(x, { name: `${name}_conv1`, filters: o.planes, kernel: 1, init: 'kaiming-fan-out' }, rng);
  y = relu(batchNorm(y, { name: `${name}_bn1` }), `${name}_relu1`);
  y = conv2d(y, { name: `${name}_conv2`, filters: o.planes, kernel: 3, stride: o.stride, padding: 1, init: 'kaiming-fan-out' }, rng);
  y = relu(batchNorm(y, { name: `${name}_bn2` }), `${name}_relu2`);
  y = conv2d(y, { name: `${name}_conv3`, filters: out, kernel: 1, init: 'kaiming-fan-out' }, rng);
  y = batchNorm(y, { name: `${name}_bn3`, zeroGamma: o.zeroInitLastBn });
  return residualEnd(y, shortcut(x, name, out, o, rng), name, o, rng);
}

function block(kind: BlockKind, x: SymbolicTensor, name: string, o: BlockOptions, rng: Rng): SymbolicTensor {
  switch (kind) {
    case 'basic':
      return basicBlock(x, name, o, rng, false);
    case 'plain':
      return basicBlock(x, name, o, rng, true);
    case 'bottleneck':
      return bottleneckBlock(x, name, o, rng);
  }
}

// ---------------------------------------------------------------------------------------------
// Variants

export type ResNetLayout = 'imagenet' | 'cifar';

export interface ResNetVariant {
  readonly layout: ResNetLayout;
  readonly block: BlockKind;
  /** Blocks per stage. */
  readonly layers: readonly number[];
  readonly description: string;
  readonly pretrained: PretrainedConfig;
}

const CIFAR10 = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] } as const;

const CIFAR_CONFIG: PretrainedConfig = { inputSize: [32, 32, 3], ...CIFAR10, interpolation: 'bilinear', classifier: 'head' };

function cifar(block: BlockKind, depth: number): Omit<ResNetVariant, 'description'> {
  return { layout: 'cifar', block, layers: Array(3).fill((depth - 2) / 6) as number[], pretrained: CIFAR_CONFIG };
}

export const RESNET_VARIANTS = {
  resnet18: { layout: 'imagenet', block: 'basic', layers: [2, 2, 2, 2], description: 'ResNet-18, ImageNet layout (torchvision), 11.7M parameters', pretrained: torchvisionPretrained('resnet18-f37072fd.pth', 'ResNet18_Weights.IMAGENET1K_V1') },
  resnet34: { layout: 'imagenet', block: 'basic', layers: [3, 4, 6, 3], description: 'ResNet-34, ImageNet layout (torchvision), 21.8M parameters', pretrained: torchvisionPretrained('resnet34-b627a593.pth', 'ResNet34_Weights.IMAGENET1K_V1') },
  resnet50: { layout: 'imagenet', block: 'bottleneck', layers: [3, 4, 6, 3], description: 'ResNet-50, ImageNet layout (torchvision, stride on the 3x3), 25.6M parameters', pretrained: torchvisionPretrained('resnet50-0676ba61.pth', 'ResNet50_Weights.IMAGENET1K_V1') },
  resnet101: { layout: 'imagenet', block: 'bottleneck', layers: [3, 4, 23, 3], description: 'ResNet-101, ImageNet layout (torchvision, stride on the 3x3), 44.5M parameters', pretrained: torchvisionPretrained('resnet101-63fe2227.pth', 'ResNet101_Weights.IMAGENET1K_V1') },
  resnet152: { layout: 'imagenet', block: 'bottleneck', layers: [3, 8, 36, 3], description: 'ResNet-152, ImageNet layout (torchvision, stride on the 3x3), 60.2M parameters', pretrained: torchvisionPretrained('resnet152-394f9c45.pth', 'ResNet152_Weights.IMAGENET1K_V1') },
  resnet8: { ...cifar('basic', 8), description: 'ResNet-8, CIFAR layout with one block per stage: small and fast, for few labels, 0.08M parameters' },
  resnet20: { ...cifar('basic', 20), description: 'ResNet-20, CIFAR layout (He et al. 2016, 16/32/64 channels), 0.27M parameters' },
  resnet32: { ...cifar('basic', 32), description: 'ResNet-32, CIFAR layout, 0.46M parameters' },
  resnet44: { ...cifar('basic', 44), description: 'ResNet-44, CIFAR layout, 0.66M parameters' },
  resnet56: { ...cifar('basic', 56), description: 'ResNet-56, CIFAR layout, 0.85M parameters' },
  resnet110: { ...cifar('basic', 110), description: 'ResNet-110, CIFAR layout, 1.7M parameters' },
  plain20: { ...cifar('plain', 20), description: 'Plain-20: ResNet-20 without shortcuts (the degradation experiment)' },
  plain56: { ...cifar('plain', 56), description: 'Plain-56: ResNet-56 without shortcuts (the degradation experiment)' },
} as const satisfies Record<string, ResNetVariant>;

export type ResNetName = keyof typeof RESNET_VARIANTS;

// ---------------------------------------------------------------------------------------------
// Builder

export const resnetParamsSchema = z.strictObject({
  /** A safetensors file with torchvision/timm weights (`fc` is skipped when the class count differs). */
  weights: z.string().min(1).optional(),
  /** Multiplies every layer's width (channels rounded to the nearest integer). */
  widthMultiplier: z.number().positive().max(16).default(1),
  /** Dropout rate on the features, before the classifier. */
  dropout: z.number().min(0).lt(1).default(0),
  /** Stochastic depth: drop rate of the last residual branch; block l of L drops with rate * l / L. */
  stochasticDepthRate: z.number().min(0).lt(1).default(0),
  /** Initialise the last BatchNorm of each residual block with gamma = 0 (each block starts as the identity). */
  zeroInitLastBn: z.boolean().default(false),
  /** CIFAR layouts: parameter-free shortcuts ('pad', He et al. option A) or 1x1 projections. */
  shortcut: z.enum(['pad', 'projection']).default('pad'),
});

export type ResNetParams = z.input<typeof resnetParamsSchema>;
type ResolvedParams = z.output<typeof resnetParamsSchema> & ModelBaseParams;

/** A built ResNet, with the report of its weight import when `weights` was given. */
export interface ResNetModel extends BuiltModel {
  readonly weightsReport?: WeightLoadReport;
}

function createResNet(name: ResNetName, params: ResolvedParams, ctx: BuildContext): ResNetModel {
  const variant: ResNetVariant = RESNET_VARIANTS[name];
  if (variant.block === 'plain' && params.stochasticDepthRate > 0) {
    throw new FrugalInputError(`model "${name}": stochasticDepthRate needs residual branches to drop; ${name} has no shortcuts. Use resnet${name.slice(5)} or set it to 0.`);
  }
  if (variant.block === 'plain' && params.zeroInitLastBn) {
    throw new FrugalInputError(`model "${name}": zeroInitLastBn would zero every block's output of a network without shortcuts. Remove it or use resnet${name.slice(5)}.`);
  }
  registerCustomLayers();
  try {
    return buildResNet(name, variant, params, ctx.rng);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new FrugalInputError(`model "${name}": inputShape [${params.inputShape.join(', ')}]: ${error.message}`);
    }
    throw error;
  }
}

function buildResNet(name: ResNetName, variant: ResNetVariant, params: ResolvedParams, rng: Rng): ResNetModel {
  const width = (c: number): number => Math.max(1, Math.round(c * params.widthMultiplier));
  const imagenet = variant.layout === 'imagenet';
  const inputs = input({ shape: params.inputShape, name: 'input' });
  let x: SymbolicTensor;
  if (imagenet) {
    x = conv2d(inputs, { name: 'conv1', filters: width(64), kernel: 7, stride: 2, padding: 3, init: 'kaiming-fan-out' }, rng);
    x = relu(batchNorm(x, { name: 'bn1' }), 'relu');
    x = maxPool(x, { name: 'maxpool', pool: 3, stride: 2, padding: 1 });
  } else {
    x = conv2d(inputs, { name: 'conv1', filters: width(16), kernel: 3, padding: 1, init: 'kaiming-fan-out' }, rng);
    x = relu(batchNorm(x, { name: 'bn1' }), 'relu');
  }

  const stageWidths = imagenet ? [64, 128, 256, 512] : [16, 32, 64];
  const totalBlocks = variant.layers.reduce((a, b) => a + b, 0);
  let index = 0;
  variant.layers.forEach((count, stage) => {
    for (let j = 0; j < count; j++) {
      index++;
      x = block(
        variant.block,
        x,
        `layer${stage + 1}_${j}`,
        {
          planes: width(stageWidths[stage] as number),
          stride: j === 0 && stage > 0 ? 2 : 1,
          shortcut: imagenet ? 'projection' : params.shortcut,
          dropPathRate: (params.stochasticDepthRate * index) / totalBlocks,
          zeroInitLastBn: params.zeroInitLastBn,
        },
        rng,
      );
    }
  });

  const features = globalAvgPool(x, 'features');
  const dropped = dropout(features, 'dropout', params.dropout, rng.seedInt());
  const logits = linear(dropped, 'head', params.numClasses, rng);
  const built: BuiltModel = {
    model: functionalModel({ inputs, outputs: logits, name }),
    featureDim: channels(x),
    pretrained: variant.pretrained,
  };
  return withWeights(built, params.weights);
}

// ---------------------------------------------------------------------------------------------
// Registrations

/** Registers every row of `RESNET_VARIANTS`. */
export function registerResNets(registry: Registry, prefix = ''): void {
  registerVariants(registry, RESNET_VARIANTS, { params: resnetParamsSchema, create: (name, params, ctx) => createResNet(name, params as ResolvedParams, ctx) }, prefix);
}

type ResNetModels = VariantModels<typeof RESNET_VARIANTS, ResNetParams>;

declare module '@frugal/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FrugalModels extends ResNetModels {}
}
