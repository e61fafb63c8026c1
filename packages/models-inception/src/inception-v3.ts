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
import { initializers, input, layers, model as functionalModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { z } from 'zod';

const { batchNorm, dropout, globalAvgPool, linear, maxPool, relu } = torchLayers;

/**
 * Inception v3 (Szegedy et al. 2016, "Rethinking the Inception Architecture") in torchvision's
 * layout: a stem of plain convolutions, then Inception modules A (5b-5d), B (6a, a reduction),
 * C (6b-6e, factorised 1x7 / 7x1 convolutions), D (7a, a reduction) and E (7b, 7c, split 1x3 / 3x1
 * branches). The auxiliary classifier reads Mixed_6e in training (loss = main + w · aux) and is
 * absent from the inference model. Layer names are torchvision's module paths (`Mixed_6e.branch7x7_2`
 * -> `Mixed_6e_branch7x7_2`; `AuxLogits` -> `aux`, `fc` -> `head`), so its weights load by name.
 */

// ---------------------------------------------------------------------------------------------
// Blocks

type Kernel = number | readonly [number, number];

/**
 * torchvision's BasicConv2d: conv (no bias) + BatchNorm (eps 0.001) + ReLU. Stride-1 convolutions
 * here all pad (k - 1) / 2 per axis, which is TensorFlow's 'same'; the others pad nothing ('valid').
 */
function basicConv(x: SymbolicTensor, name: string, filters: number, kernel: Kernel, rng: Rng, o: { stride?: number; same?: boolean } = {}): SymbolicTensor {
  const y = layers
    .conv2d({
      name: `${name}_conv`,
      filters,
      kernelSize: kernel as number | number[],
      strides: o.stride ?? 1,
      padding: o.same ? 'same' : 'valid',
      useBias: false,
      kernelInitializer: initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: rng.seedInt() }),
    })
    .apply(x) as SymbolicTensor;
  return relu(batchNorm(y, { name: `${name}_bn`, epsilon: 0.001 }), `${name}_relu`);
}

/** PyTorch's `avg_pool2d(kernel_size=3, stride=1, padding=1)`: the zero padding counts in the mean. */
function avgPool3(x: SymbolicTensor, name: string): SymbolicTensor {
  const padded = layers.zeroPadding2d({ name: `${name}_pad`, padding: [1, 1] }).apply(x) as SymbolicTensor;
  return layers.averagePooling2d({ name, poolSize: 3, strides: 1, padding: 'valid' }).apply(padded) as SymbolicTensor;
}

function concat(name: string, branches: SymbolicTensor[]): SymbolicTensor {
  return layers.concatenate({ name, axis: -1 }).apply(branches) as SymbolicTensor;
}

const same = { same: true } as const;

function inceptionA(x: SymbolicTensor, name: string, poolFeatures: number, rng: Rng): SymbolicTensor {
  const b1 = basicConv(x, `${name}_branch1x1`, 64, 1, rng);
  const b5 = basicConv(basicConv(x, `${name}_branch5x5_1`, 48, 1, rng), `${name}_branch5x5_2`, 64, 5, rng, same);
  let b3 = basicConv(x, `${name}_branch3x3dbl_1`, 64, 1, rng);
  b3 = basicConv(b3, `${name}_branch3x3dbl_2`, 96, 3, rng, same);
  b3 = basicConv(b3, `${name}_branch3x3dbl_3`, 96, 3, rng, same);
  const pool = basicConv(avgPool3(x, `${name}_avgpool`), `${name}_branch_pool`, poolFeatures, 1, rng);
  return concat(name, [b1, b5, b3, pool]);
}

function inceptionB(x: SymbolicTensor, name: string, rng: Rng): SymbolicTensor {
  const b3 = basicConv(x, `${name}_branch3x3`, 384, 3, rng, { stride: 2 });
  let d = basicConv(x, `${name}_branch3x3dbl_1`, 64, 1, rng);
  d = basicConv(d, `${name}_branch3x3dbl_2`, 96, 3, rng, same);
  d = basicConv(d, `${name}_branch3x3dbl_3`, 96, 3, rng, { stride: 2 });
  const pool = maxPool(x, { name: `${name}_maxpool`, pool: 3, stride: 2 });
  return concat(name, [b3, d, pool]);
}

function inceptionC(x: SymbolicTensor, name: string, c7: number, rng: Rng): SymbolicTensor {
  const b1 = basicConv(x, `${name}_branch1x1`, 192, 1, rng);
  let b7 = basicConv(x, `${name}_branch7x7_1`, c7, 1, rng);
  b7 = basicConv(b7, `${name}_branch7x7_2`, c7, [1, 7], rng, same);
  b7 = basicConv(b7, `${name}_branch7x7_3`, 192, [7, 1], rng, same);
  let d = basicConv(x, `${name}_branch7x7dbl_1`, c7, 1, rng);
  d = basicConv(d, `${name}_branch7x7dbl_2`, c7, [7, 1], rng, same);
  d = basicConv(d, `${name}_branch7x7dbl_3`, c7, [1, 7], rng, same);
  d = basicConv(d, `${name}_branch7x7dbl_4`, c7, [7, 1], rng, same);
  d = basicConv(d, `${name}_branch7x7dbl_5`, 192, [1, 7], rng, same);
  const pool = basicConv(avgPool3(x, `${name}_avgpool`), `${name}_branch_pool`, 192, 1, rng);
  return concat(name, [b1, b7, d, pool]);
}

function inceptionD(x: SymbolicTensor, name: string, rng: Rng): SymbolicTensor {
  const b3 = basicConv(basicConv(x, `${name}_branch3x3_1`, 192, 1, rng), `${name}_branch3x3_2`, 320, 3, rng, { stride: 2 });
  let b7 = basicConv(x, `${name}_branch7x7x3_1`, 192, 1, rng);
  b7 = basicConv(b7, `${name}_branch7x7x3_2`, 192, [1, 7], rng, same);
  b7 = basicConv(b7, `${name}_branch7x7x3_3`, 192, [7, 1], rng, same);
  b7 = basicConv(b7, `${name}_branch7x7x3_4`, 192, 3, rng, { stride: 2 });
  const pool = maxPool(x, { name: `${name}_maxpool`, pool: 3, stride: 2 });
  return concat(name, [b3, b7, pool]);
}

function inceptionE(x: SymbolicTensor, name: string, rng: Rng): SymbolicTensor {
  const b1 = basicConv(x, `${name}_branch1x1`, 320, 1, rng);
  const s = basicConv(x, `${name}_branch3x3_1`, 384, 1, rng);
  const b3 = concat(`${name}_branch3x3`, [
    basicConv(s, `${name}_branch3x3_2a`, 384, [1, 3], rng, same),
    basicConv(s, `${name}_branch3x3_2b`, 384, [3, 1], rng, same),
  ]);
  let d = basicConv(x, `${name}_branch3x3dbl_1`, 448, 1, rng);
  d = basicConv(d, `${name}_branch3x3dbl_2`, 384, 3, rng, same);
  const bd = concat(`${name}_branch3x3dbl`, [
    basicConv(d, `${name}_branch3x3dbl_3a`, 384, [1, 3], rng, same),
    basicConv(d, `${name}_branch3x3dbl_3b`, 384, [3, 1], rng, same),
  ]);
  const pool = basicConv(avgPool3(x, `${name}_avgpool`), `${name}_branch_pool`, 192, 1, rng);
  return concat(name, [b1, b3, bd, pool]);
}

/**
 * The auxiliary classifier on Mixed_6e: average pool to 5x5 (torchvision's 5/3 pool, exact at
 * 299x299 where Mixed_6e is 17x17; an adaptive pool to 5x5 on smaller maps, so that smaller inputs
 * train too), 1x1 conv to 128, 5x5 conv to 768, global average, fc.
 */
function auxClassifier(x: SymbolicTensor, numClasses: number, rng: Rng): SymbolicTensor {
  const side = x.shape[1] as number;
  let y =
    side >= 17
      ? (layers.averagePooling2d({ name: 'aux_avgpool', poolSize: 5, strides: 3, padding: 'valid' }).apply(x) as SymbolicTensor)
      : adaptiveAvgPool(x, 'aux_avgpool', [5, 5]);
  y = basicConv(y, 'aux_conv0', 128, 1, rng);
  y = basicConv(y, 'aux_conv1', 768, 5, rng);
  y = globalAvgPool(y, 'aux_features');
  return linear(y, 'aux_fc', numClasses, rng);
}

// ---------------------------------------------------------------------------------------------
// Variant

export interface InceptionV3Variant {
  readonly description: string;
  /** The smallest input side the network takes (each reduction needs a 3x3 map). */
  readonly minInputSide: number;
  readonly pretrained: PretrainedConfig;
}

export const INCEPTION_V3_VARIANTS = {
  inception_v3: {
    description: 'Inception v3, torchvision layout, 23.8M parameters (27.2M with the auxiliary classifier, used in training); 299x299 inputs, at least 75x75',
    minInputSide: 75,
    pretrained: {
      inputSize: [299, 299, 3],
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      interpolation: 'bilinear',
      resizeSize: 342,
      classifier: 'head',
      source: 'torchvision Inception_V3_Weights.IMAGENET1K_V1 (inception_v3_google-0cc3c7bd.pth; convert with tools/fixtures/torchvision_fixtures.py --from-pth)',
    },
  },
} as const satisfies Record<string, InceptionV3Variant>;

export type InceptionV3Name = keyof typeof INCEPTION_V3_VARIANTS;

// ---------------------------------------------------------------------------------------------
// Builder

export const inceptionV3ParamsSchema = z.strictObject({
  /** A safetensors file with torchvision weights (classifiers skipped when the class count differs). */
  weights: z.string().min(1).optional(),
  /** Dropout rate on the features, before the classifier (torchvision: 0.5). */
  dropout: z.number().min(0).lt(1).default(0.5),
  /** Build the auxiliary classifier (training model only). */
  auxLogits: z.boolean().default(true),
  /** Weight of the auxiliary loss. */
  auxLossWeight: z.number().min(0).default(0.3),
});

export type InceptionV3Params = z.input<typeof inceptionV3ParamsSchema>;
type ResolvedParams = z.output<typeof inceptionV3ParamsSchema> & ModelBaseParams;

export interface InceptionV3Model extends BuiltModel {
  readonly weightsReport?: WeightLoadReport;
}

function weightMapping(auxLogits: boolean): TorchMapping {
  return {
    renames: { fc: 'head', AuxLogits: 'aux' },
    classifierLayers: ['head', 'aux_fc'],
    optional: (tensor) => (!auxLogits && tensor.startsWith('AuxLogits.') ? 'auxiliary classifier not built (auxLogits: false)' : undefined),
  };
}

function createInceptionV3(name: InceptionV3Name, params: ResolvedParams, ctx: BuildContext): InceptionV3Model {
  registerTorchLayers();
  const variant: InceptionV3Variant = INCEPTION_V3_VARIANTS[name];
  const [h, w] = params.inputShape;
  if (h < variant.minInputSide || w < variant.minInputSide) {
    throw new FrugalInputError(
      `model "${name}": inputShape [${params.inputShape.join(', ')}] is smaller than ${variant.minInputSide}x${variant.minInputSide}, the smallest input Inception v3 takes; resize the images (299x299 for pretrained weights) or use googlenet`,
    );
  }
  const rng = ctx.rng;
  const inputs = input({ shape: params.inputShape, name: 'input' });
  let x = basicConv(inputs, 'Conv2d_1a_3x3', 32, 3, rng, { stride: 2 });
  x = basicConv(x, 'Conv2d_2a_3x3', 32, 3, rng);
  x = basicConv(x, 'Conv2d_2b_3x3', 64, 3, rng, same);
  x = maxPool(x, { name: 'maxpool1', pool: 3, stride: 2 });
  x = basicConv(x, 'Conv2d_3b_1x1', 80, 1, rng);
  x = basicConv(x, 'Conv2d_4a_3x3', 192, 3, rng);
  x = maxPool(x, { name: 'maxpool2', pool: 3, stride: 2 });
  x = inceptionA(x, 'Mixed_5b', 32, rng);
  x = inceptionA(x, 'Mixed_5c', 64, rng);
  x = inceptionA(x, 'Mixed_5d', 64, rng);
  x = inceptionB(x, 'Mixed_6a', rng);
  x = inceptionC(x, 'Mixed_6b', 128, rng);
  x = inceptionC(x, 'Mixed_6c', 160, rng);
  x = inceptionC(x, 'Mixed_6d', 160, rng);
  x = inceptionC(x, 'Mixed_6e', 192, rng);
  const auxInput = x;
  x = inceptionD(x, 'Mixed_7a', rng);
  x = inceptionE(x, 'Mixed_7b', rng);
  x = inceptionE(x, 'Mixed_7c', rng);

  const features = globalAvgPool(x, 'features');
  const dropped = dropout(features, 'dropout', params.dropout, rng.seedInt());
  const logits = linear(dropped, 'head', params.numClasses, rng);
  const model = functionalModel({ inputs, outputs: logits, name });
  let built: InceptionV3Model = { model, featureDim: x.shape[3] as number, pretrained: variant.pretrained };
  if (params.auxLogits) {
    const aux = auxClassifier(auxInput, params.numClasses, rng);
    built = { ...built, trainingModel: functionalModel({ inputs, outputs: [logits, aux], name: `${name}_training` }), auxLossWeights: [params.auxLossWeight] };
  }
  return withWeights(built, params.weights, weightMapping(params.auxLogits));
}

// ---------------------------------------------------------------------------------------------
// Registrations

/** Registers every row of `INCEPTION_V3_VARIANTS`. */
export function registerInceptionV3(registry: Registry, prefix = ''): void {
  registerVariants(registry, INCEPTION_V3_VARIANTS, { params: inceptionV3ParamsSchema, create: (name, params, ctx) => createInceptionV3(name, params as ResolvedParams, ctx) }, prefix);
}

type InceptionV3Models = VariantModels<typeof INCEPTION_V3_VARIANTS, InceptionV3Params>;

declare module '@frugal/core' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface FrugalModels extends InceptionV3Models {}
}
