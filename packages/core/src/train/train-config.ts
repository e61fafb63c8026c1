import { z } from 'zod';

export const optimizerSchema = z.strictObject({
  name: z.enum(['sgd', 'adam', 'adamw']).default('sgd'),
  /** Base learning rate (of the head, when parameter groups differ). */
  lr: z.number().positive().default(0.05),
  momentum: z.number().min(0).max(1).default(0.9),
  nesterov: z.boolean().default(true),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  epsilon: z.number().positive().default(1e-8),
  /** L2 (sgd, adam) or decoupled (adamw) weight decay; not applied to biases and norm parameters. */
  weightDecay: z.number().min(0).default(5e-4),
});

export const scheduleSchema = z.strictObject({
  name: z.enum(['constant', 'step', 'cosine', 'warmup-cosine', 'one-cycle']).default('cosine'),
  /** For `step`: multiply the rate by `gamma` every `stepEpochs` epochs. */
  stepEpochs: z.number().int().min(1).default(30),
  gamma: z.number().positive().max(1).default(0.1),
  /** For `warmup-cosine`: linear warm-up length in epochs (may be fractional). */
  warmupEpochs: z.number().min(0).default(1),
  /** Final rate as a fraction of the base rate (cosine family). */
  minLrFactor: z.number().min(0).max(1).default(0),
  /** For `one-cycle`: fraction of training spent rising to the peak rate. */
  pctStart: z.number().gt(0).lt(1).default(0.3),
});

export const trainConfigSchema = z.strictObject({
  epochs: z.number().int().min(1).default(10),
  batchSize: z.number().int().min(1).max(65_536).default(32),
  optimizer: optimizerSchema.prefault({}),
  schedule: scheduleSchema.prefault({}),
  /** Clip the global gradient norm to this value (off when absent). */
  clipNorm: z.number().positive().optional(),
  /**
   * Sharpness-aware minimisation: each step takes its gradients again at the weights moved `rho`
   * along the normalised gradient, for about twice the backward passes (off when absent).
   */
  sam: z
    .strictObject({
      /** The L2 length of the move (Foret et al. 2021 use 0.05). */
      rho: z.number().positive().default(0.05),
    })
    .optional(),
  /** Exponential moving average of the weights, used for evaluation (off when absent). */
  emaDecay: z.number().gt(0).lt(1).optional(),
  labelSmoothing: z.number().min(0).lt(1).default(0),
  /**
   * Draw every class equally often in the labelled images of each batch, the rare classes'
   * images repeated (as PyTorch's WeightedRandomSampler with weights 1 / class count); for
   * labelled sets whose classes are uneven. Default: each image once an epoch.
   */
  balanceClasses: z.boolean().default(false),
  /**
   * Stop when the validation loss has not improved for this many epochs (needs a validation set:
   * `data.validationPerClass`); the `early-stopping` callback watches other metrics.
   */
  earlyStoppingPatience: z.number().int().min(1).optional(),
  /** Write a checkpoint every N epochs (and at the end) when the run has a directory. */
  checkpointEvery: z.number().int().min(1).default(1),
  /** How many checkpoints to keep. */
  keepCheckpoints: z.number().int().min(1).default(2),
});

export type OptimizerConfig = z.infer<typeof optimizerSchema>;
export type ScheduleConfig = z.infer<typeof scheduleSchema>;
export type TrainConfig = z.infer<typeof trainConfigSchema>;

/** A complete training config from a partial one (all defaults filled in). */
export function trainConfig(partial: z.input<typeof trainConfigSchema> = {}): TrainConfig {
  return trainConfigSchema.parse(partial);
}
