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
import { adaptiveAvgPool, withWeights, registerTorchLayers, torchLayers, type TorchMapping, type WeightLoadReport } from '@frugal/torch-compat';
import { input, layers, model as functionalModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';

const { batchNorm, conv2d, dropout, globalAvgPool, linear, maxPool, relu } = torchLayers;

/**
 * GoogLeNet (Szegedy et al. 2015, "Going deeper with convolutions") with BatchNorm, in
 * torchvision's layout: Inception modules run 1x1, 3x3, "5x5" (a 3x3 in torchvision's version)
 * and pool-projection branches and concatenate them on the channel axis; two auxiliary classifiers
 * read inception4a and inception4d in training (loss = main + 0.3 · (aux1 + aux2)) and are absent
 * from the inference model. Layer names follow torchvision's module paths.
 */

// ---------------------------------------------------------------------------------------------
// Blocks

/** torchvision's BasicConv2d: conv (no bias) + BatchNorm (eps 0.001) + ReLU. */
function basicConv(x: SymbolicTensor, name: string, filters: number, kernel: number, rng: Rng, stride = 1, padding = 0): SymbolicTensor {
  const y = conv2d(x, { name: `${name}_conv`, filters, kernel, stride, padding, init: 'trunc-normal-0.01' }, rng);
  return relu(batchNorm(y, { name: `${name}_bn`, epsilon: 0.001 }), `${name}_relu`);
}

/** Output channels of the four branches and the two reductions: [1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool proj]. */
export type InceptionWidths = readonly [number, number, number, number, number, number];

function inceptionModule(x: SymbolicTensor, name: string, widths: InceptionWidths, rng: Rng): SymbolicTensor {
  const [c1, c3r, c3, c5r, c5, poolProj] = widths;
  const b1 = basicConv(x, `${name}_branch1`, c1, 1, rng);
  const b2 = basicConv(basicConv(x, `${name}_branch2_0`, c3r, 1, rng), `${name}_branch2_1`, c3, 3, rng, 1, 1);
  // torchvision's "5x5" branch uses a 3x3 convolution (kept for weight compatibility).
  const b3 = basicConv(basicConv(x, `${name}_branch3_0`, c5r, 1, rng), `${name}_branch3_1`, c5, 3, rng, 1, 1);
  const pooled = maxPool(x, { name: `${name}_branch4_0`, pool: 3, stride: 1, padding: 1, ceilMode: true });
  const b4 = basicConv(pooled, `${name}_branch4_1`, poolProj, 1, rng);
  return layers.concatenate({ name, axis: -1 }).apply([b1, b2, b3, b4]) as SymbolicTensor;
}

/** The auxiliary classifier: adaptive 4x4 average pool, 1x1 conv to 128, fc 1024, dropout, fc. */
function auxClassifier(x: SymbolicTensor, name: string, numClasses: number, dropoutRate: number, rng: Rng): SymbolicTensor {
  let y = adaptiveAvgPool(x, `${name}_pool`, [4, 4]);
  y = basicConv(y, `${name}_conv`, 128, 1, rng);
  y = layers.flatten({ name: `${name}_flatten` }).apply(y) as SymbolicTensor;
  y = relu(linear(y, `${name}_fc1`, 1024, rng, 'trunc-normal-0.01'), `${name}_fc1_relu`);
  y = dropout(y, `${name}_dropout`, dropoutRate, rng.seedInt());
  return linear(y, `${name}_fc2`, numClasses, rng, 'trunc-normal-0.01');
}

// ---------------------------------------------------------------------------------------------
// Variant

export interface GoogLeNetVariant {
  readonly description: string;
  /** Inception modules by stage; a stride-2 max-pool precedes stages 4 and 5. */
  readonly stages: readonly (readonly [name: string, widths: InceptionWidths])[][];
  /** The modules whose outputs the auxiliary classifiers read. */
  readonly auxAfter: readonly string[];
  /** The smallest height and width it takes: smaller, a pooling window no longer fits its input. */
  readonly minInputSide: number;
  readonly pretrained: PretrainedConfig;
}

export const GOOGLENET_VARIANTS = {
  googlenet: {
    description: 'GoogLeNet (Inception v1) with BatchNorm, torchvision layout, 6.6M parameters; aux classifiers in training; at least 15x15 inputs',
    minInputSide: 15,
    stages: [
      [
        ['inception3a', [64, 96, 128, 16, 32, 32]],
        ['inception3b', [128, 128, 192, 32, 96, 64]],
      ],
      [
        ['inception4a', [192, 96, 208, 16, 48, 64]],
        ['inception4b', [160, 112, 224, 24, 64, 64]],
        ['inception4c', [128, 128, 256, 24, 64, 64]],
        ['inception4d', [112, 144, 288, 32, 64, 64]],
        ['inception4e', [256, 160, 320, 32, 128, 128]],
      ],
      [
        ['inception5a', [256, 160, 320, 32, 128, 128]],
        ['inception5b', [384, 192, 384, 48, 128, 128]],
      ],
    ],
    auxAfter: ['inception4a', 'inception4d'],
    pretrained: {
      inputSize: [224, 224, 3],
      // torchvision's pretrained GoogLeNet runs with transform_input=True, which turns ImageNet
      // normalisation into (x - 0.5) / 0.5; without that step the weights expect this directly.
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
      interpolation: 'bilinear',
      resizeSize: 256,
      classifier: 'head',
      source: 'torchvision GoogLeNet_Weights.IMAGENET1K_V1 (googlenet-1378be20.pth; convert with tools/fixtures/torchvision_fixtures.py --from-pth)',
    },
  },
} as const satisfies Record<string, GoogLeNetVariant>;

export type GoogLeNetName = keyof typeof GOOGLENET_VARIANTS;

// ---------------------------------------------------------------------------------------------
// Builder

export const googlenetParamsSchema = z.strictObject({
  /** A safetensors file with torchvision weights (classifiers skipped when the class count differs). */
  weights: z.string().min(1).optional(),
  /** Dropout rate on the features, before the classifier (torchvision: 0.2). */
  dropout: z.number().min(0).lt(1).default(0.2),
  /** Build the auxiliary classifiers (training model only). */
  auxLogits: z.boolean().default(true),
  /** Dropout rate inside the auxiliary classifiers (torchvision: 0.7). */
  auxDropout: z.number().min(0).lt(1).default(0.7),
  /** Weight of each auxiliary loss (the paper: 0.3). */
  auxLossWeight: z.number().min(0).default(0.3),
});

export type GoogLeNetParams = z.input<typeof googlenetParamsSchema>;
type ResolvedParams = z.output<typeof googlenetParamsSchema> & ModelBaseParams;

export interface GoogLeNetModel extends BuiltModel {
  readonly weightsReport?: WeightLoadReport;
}

function weightMapping(auxLogits: boolean): TorchMapping {
  return {
    classifierLayers: ['head', 'aux1_fc2', 'aux2_fc2'],
    optional: (tensor) => (!auxLogits && /^aux[12]\./.test(tensor) ? 'auxiliary classifier not built (auxLogits: false)' : undefined),
  };
}

function createGoogLeNet(name: GoogLeNetName, params: ResolvedParams, ctx: BuildContext): GoogLeNetModel {
  registerTorchLayers();
  const variant: GoogLeNetVariant = GOOGLENET_VARIANTS[name];
  const [h, w] = params.inputShape;
  if (h < variant.minInputSide || w < variant.minInputSide) {
    throw new FrugalInputError(
      `model "${name}": inputShape [${params.inputShape.join(', ')}] is smaller than ${variant.minInputSide}x${variant.minInputSide}, the smallest input GoogLeNet takes; resize the images (224x224 for pretrained weights)`,
    );
  }
  const rng = ctx.rng;
  const inputs = input({ shape: params.inputShape, name: 'input' });
  let x = basicConv(inputs, 'conv1', 64, 7, rng, 2, 3);
  x = maxPool(x, { name: 'maxpool1', pool: 3, stride: 2, ceilMode: true });
  x = basicConv(x, 'conv2', 64, 1, rng);
  x = basicConv(x, 'conv3', 192, 3, rng, 1, 1);
  x = maxPool(x, { name: 'maxpool2', pool: 3, stride: 2, ceilMode: true });
  const auxInputs: SymbolicTensor[] = [];
  variant.stages.forEach((stage, i) => {
    if (i === 1) x = maxPool(x, { name: 'maxpool3', pool: 3, stride: 2, ceilMode: true });
    if (i === 2) x = maxPool(x, { name: 'maxpool4', pool: 2, stride: 2, ceilMode: true });
    for (const [moduleName, widths] of stage) {
      x = inceptionModule(x, moduleName, widths, rng);
      if (variant.auxAfter.includes(moduleName)) auxInputs.push(x);
    }
  });

  const features = globalAvgPool(x, 'features');
  const dropped = dropout(features, 'dropout', params.dropout, rng.seedInt());
  const logits = linear(dropped, 'head', params.numClasses, rng, 'trunc-normal-0.01');
  const model = functionalModel({ inputs, outputs: logits, name });
  let built: GoogLeNetModel = { model, featureDim: x.shape[3] as number, pretrained: variant.pretrained };
  if (params.auxLogits) {
    const aux = auxInputs.map((t, i) => auxClassifier(t, `aux${i + 1}`, params.numClasses, params.auxDropout, rng));
    built = {
      ...built,
      trainingModel: functionalModel({ inputs, outputs: [logits, ...aux], name: `${name}_training` }),
      auxLossWeights: aux.map(() => params.auxLossWeight),
    };
  }
  return withWeights(built, params.weights, weightMapping(params.auxLogits));
}

// ---------------------------------------------------------------------------------------------
// Registrations

/** Registers every row of `GOOGLENET_VARIANTS`. */
export function registerGoogLeNets(registry: Registry, prefix = ''): void {
  registerVariants(registry, GOOGLENET_VARIANTS, { params: googlenetParamsSchema, create: (name, params, ctx) => createGoogLeNet(name, params as ResolvedParams, ctx) }, prefix);
}

type GoogLeNetModels = VariantModels<typeof GOOGLENET_VARIANTS, GoogLeNetParams>;

declare module '@frugal/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FrugalModels extends GoogLeNetModels {}
}
