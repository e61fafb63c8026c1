import { z } from 'zod';
import { modelSourceSchema } from './source/model-source.js';

export const headSchema = z.strictObject({
  /** Width of a hidden ReLU layer between the features and the classifier; none when absent. */
  hidden: z.number().int().min(1).max(16_384).optional(),
  /** Dropout rate before the classifier. */
  dropout: z.number().min(0).lt(1).default(0),
});

export const gradualUnfreezingSchema = z.strictObject({
  /** Epochs during which only the new head trains. */
  headEpochs: z.number().int().min(0).default(1),
  /** Then one more backbone stage, from the top down, every this many epochs. */
  epochsPerStage: z.number().int().min(1).default(1),
});

const FINE_TUNE_ONLY = ['lrBackbone', 'lrMultiplier', 'layerDecay', 'gradualUnfreezing', 'stagePattern'] as const;

export const transferParams = z
  .strictObject({
    /**
     * `linear-probe`: the backbone is frozen (BatchNorm in inference mode) and only the new head
     * trains. `fine-tune`: everything trains, the backbone at a smaller learning rate.
     */
    mode: z.enum(['linear-probe', 'fine-tune']).default('fine-tune'),
    /** The pretrained network; default: the recipe's model from the registry (give it `weights`). */
    source: modelSourceSchema.default({ type: 'registry' }),
    head: headSchema.prefault({}),
    /** The layer the new head reads. */
    featuresLayer: z.string().min(1).default('features'),
    /** Learning rate of the new head; default: the recipe's `train.optimizer.lr`. */
    lrHead: z.number().positive().optional(),
    /** Learning rate of the backbone's top stage; default: `lrHead / lrMultiplier`. */
    lrBackbone: z.number().positive().optional(),
    /** How many times smaller the backbone's rate is than the head's (when `lrBackbone` is absent); default 10. */
    lrMultiplier: z.number().min(1).optional(),
    /** Layer-wise decay: stage k below the top trains at `lrBackbone · layerDecay^k`. */
    layerDecay: z.number().gt(0).max(1).optional(),
    /** Head first, then the backbone stages one by one from the top. */
    gradualUnfreezing: gradualUnfreezingSchema.optional(),
    /** A regular expression reading a layer's stage from its name (first group or whole match). */
    stagePattern: z.string().min(1).optional(),
    /**
     * `linear-probe`: compute the frozen backbone's features once and train the head on them.
     * `auto`: when the recipe has no augmentations (augmented images change every epoch).
     */
    cacheFeatures: z.union([z.literal('auto'), z.boolean()]).default('auto'),
  })
  .superRefine((p, ctx) => {
    if (p.mode === 'linear-probe') {
      for (const key of FINE_TUNE_ONLY) {
        if (p[key] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} applies to mode "fine-tune" only; in "linear-probe" the backbone does not train` });
        }
      }
    } else if (p.cacheFeatures === true) {
      ctx.addIssue({ code: 'custom', path: ['cacheFeatures'], message: 'cacheFeatures applies to mode "linear-probe" only; fine-tuning changes the features every step' });
    }
    if (p.lrBackbone !== undefined && p.lrMultiplier !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['lrMultiplier'], message: 'give lrBackbone or lrMultiplier, not both' });
    }
    if (p.stagePattern !== undefined) {
      try {
        new RegExp(p.stagePattern);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['stagePattern'], message: `not a regular expression: ${(error as Error).message}` });
      }
    }
  });

export type TransferParams = z.output<typeof transferParams>;
export type TransferParamsInput = z.input<typeof transferParams>;
