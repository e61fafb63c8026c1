import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ImageDecoding } from './io/image-decoding.js';
import type { Rng } from './rng.js';
import type { InjectionToken } from 'tsyringe';
import type { z } from 'zod';

/** Builds an augmentation from its checked parameters (`augmentations` registry). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AugmentationFactory<P = any> = (params: P, ctx: BuildContext) => Augmentation;

/** One training batch: NHWC float images and per-class targets (one-hot or soft), both tensors. */
export interface Batch {
  x: tf.Tensor4D;
  /** `[n, numClasses]` probabilities (one-hot for hard labels; MixUp/CutMix and soft pseudo-labels give soft rows). */
  y: tf.Tensor2D;
}

/**
 * Images held in memory as one contiguous uint8 HWC buffer (what sources produce).
 * `labels[i]` is the class index, or -1 when the image has no label.
 */
export interface ImageSet {
  readonly shape: readonly [height: number, width: number, channels: number];
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  readonly classNames: readonly string[];
  /** Where each image came from (file path or `file#index`), for error messages. */
  readonly origins?: readonly string[];
}

/** A batch of decoded images of a `StreamedImageSet`. */
export interface StreamedBatch {
  /** Indices (into the set) of the images in `pixels`, in the order asked for. */
  readonly indices: Int32Array;
  /** The images one after another, each `height × width × channels` bytes (uint8 HWC). */
  readonly pixels: Uint8Array;
  /** Images asked for that could not be decoded (with `skipBadImages`), by path and reason. */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * Images read from disk in decoded batches instead of held in memory (an unlabelled folder far
 * larger than memory): what is in memory at once is a few batches, however many images there are.
 * Image `i` always decodes to the same pixels, so work on it gives the same numbers as on the
 * same images in memory.
 */
export interface StreamedImageSet {
  readonly shape: readonly [height: number, width: number, channels: number];
  /** Number of images. */
  readonly count: number;
  readonly classNames: readonly string[];
  /** The folder the images are in (absolute): work sent to other processes names it. */
  readonly dir: string;
  /** Path of image `i`, relative to `dir`, with `/`. */
  file(i: number): string;
  /**
   * The images at `indices`, in that order, `batchSize` at a time; decoding runs `readAhead`
   * batches ahead (default 2) in worker threads. An image that cannot be decoded is an error,
   * unless `skipBadImages` (then it is left out of its batch and reported in `skipped`).
   */
  read(indices: ArrayLike<number>, options: { batchSize: number; readAhead?: number; skipBadImages?: boolean }): AsyncGenerator<StreamedBatch>;
  /** Every image, in memory (for work that needs them so). */
  load(): Promise<ImageSet>;
}

/** Per-channel normalisation applied after augmentation: (x/255 - mean) / std. */
export interface Normalization {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** The preprocessing a set of weights expects (timm's pretrained_cfg). */
export interface PretrainedConfig {
  readonly inputSize: readonly [number, number, number];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly interpolation: 'bilinear' | 'bicubic' | 'nearest';
  /** The length the shorter side of an image is scaled to before the centre crop of `inputSize` (torchvision's `resize_size`); absent: the image is scaled just to cover it. */
  readonly resizeSize?: number;
  /** Name of the classifier layer, skipped when the class count differs. */
  readonly classifier: string;
  /** The upstream file the weights map from, e.g. torchvision's `resnet18-f37072fd.pth`. */
  readonly source?: string;
}

/** What a model factory returns. */
export interface BuiltModel {
  /** Inference network: images -> logits (never softmax). Has layers named `features` and `head`. */
  readonly model: LayersModel;
  /**
   * Optional training network sharing weights with `model`, with outputs `[logits, ...auxLogits]`
   * (GoogLeNet's auxiliary classifiers). Loss = main + sum(auxLossWeights[i] * aux_i).
   */
  readonly trainingModel?: LayersModel;
  readonly auxLossWeights?: readonly number[];
  /** Width of the `features` output the head reads. */
  readonly featureDim: number;
  readonly pretrained?: PretrainedConfig;
}

/** Parameters every model takes. */
export interface ModelBaseParams {
  numClasses: number;
  inputShape: [number, number, number];
}

/** A dataset source as prepared by a `datasets` entry. */
export interface DatasetSource {
  readonly name: string;
  readonly train: ImageSet;
  readonly test?: ImageSet;
  /** Unlabelled images (labels all -1), when the source has them. */
  readonly unlabelled?: ImageSet;
  /** Unlabelled images read from disk in batches (a folder), instead of `unlabelled`. */
  readonly unlabelledStream?: StreamedImageSet;
  readonly classNames: readonly string[];
  readonly normalization?: Normalization;
  /** How the source fitted its image files to the input size (a folder source); absent for sources of ready-sized pixels. */
  readonly decode?: ImageDecoding;
  /** Images skipped as unreadable (with `skipBadImages`). */
  readonly skipped?: readonly { file: string; reason: string }[];
}

/** A batched augmentation (on NHWC float32 images with values in [0, 1]). */
export interface Augmentation {
  readonly name: string;
  /** Returns a new tensor; the caller disposes the input. */
  apply(images: tf.Tensor4D, rng: Rng): tf.Tensor4D;
  /** Batch-level ops (MixUp, CutMix) that also mix the targets. */
  applyBatch?(batch: Batch, rng: Rng): Batch;
}

/** A backend provider (`backends` registry). */
export interface BackendProvider {
  /** Higher wins in `auto`. */
  readonly priority: number;
  /** Whether it can run here, and if not why and what to do. */
  probe(): Promise<{ available: true } | { available: false; reason: string; remedy: string }>;
  /** Loads and activates the backend (tf.setBackend). */
  activate(): Promise<void>;
}

/** How `frugal.models.create` builds a model. */
export interface CreateModelOptions {
  /** The stream the initial weights are drawn from; default: the catalog's stream for the n-th model of this name. */
  readonly rng?: Rng;
}

/** Shared by every factory: the instance's seeded RNG stream for this thing. */
export interface BuildContext {
  readonly rng: Rng;
  /**
   * The instance's augmentations, for entries that build other ops by name (RandAugment's op
   * list, compositions), so that a third-party op is usable inside them.
   */
  readonly augmentations?: {
    has(name: string): boolean;
    get(name: string): { readonly params: z.ZodType; readonly factory: AugmentationFactory; readonly plugin?: string };
    names(): string[];
  };
  /** Where the thing's spec sits in the recipe (`augment[2]`), for the error messages of what it builds. */
  readonly path?: string;
  /** The instance's service under a container token (`IMAGE_CACHE`, `LOGGER`, ...); absent in hand-built contexts. */
  readonly resolve?: <T>(token: InjectionToken<T>) => T;
  /**
   * Datasets: false when the run normalises otherwise than with the source's statistics (a given
   * mean and std, a pretrained network's), so that a source need not read its images to measure them.
   */
  readonly needsNormalization?: boolean;
  /** Datasets: where the run's notices go (files ignored or skipped); absent, the plugin's own default. */
  readonly log?: (message: string) => void;
}
