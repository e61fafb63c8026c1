import { z } from 'zod';
import { earlyStopping } from './callbacks/early-stopping.js';
import { metricsJsonl } from './callbacks/metrics-jsonl.js';
import { progressBar } from './callbacks/progress-bar.js';
import type { FrugalPlugin } from './plugin.js';
import { supervised, supervisedParams } from './strategies/supervised.js';
import { join } from 'node:path';

/** What core itself registers in every instance: the supervised strategy and the stock callbacks. */
export function coreBuiltins(): FrugalPlugin {
  return {
    name: '@frugal/core',
    register(r) {
      r.strategy({
        name: 'supervised',
        description: 'Train the model on the labelled images only (with the recipe\'s augmentations)',
        params: supervisedParams,
        factory: supervised,
        ignoresUnlabelled: true,
      });
      r.callback({
        name: 'progress',
        description: 'Progress bar with ETA per epoch; a line per epoch with its time and when the last epoch should end',
        params: z.strictObject({ quiet: z.boolean().default(false) }),
        factory: (p) => progressBar({ quiet: p.quiet }),
      });
      r.callback({
        name: 'metrics-jsonl',
        description: 'Append every epoch\'s logs to metrics.jsonl in the run directory',
        params: z.strictObject({
          everyStep: z.boolean().default(false),
          /** A file name inside the run directory. */
          file: z
            .string()
            .max(100)
            .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'expected a file name inside the run directory (no "/" or "..")')
            .default('metrics.jsonl'),
        }),
        factory: (p, ctx) => metricsJsonl(join(ctx.runDir ?? '.', p.file), { everyStep: p.everyStep }),
      });
      r.callback({
        name: 'early-stopping',
        description: 'Stop when a validation metric stops improving',
        params: z.strictObject({
          monitor: z.string().default('valLoss'),
          mode: z.enum(['min', 'max']).optional(),
          patience: z.number().int().min(1).default(5),
          minDelta: z.number().min(0).default(0),
        }),
        factory: (p) => earlyStopping(p),
      });
    },
  };
}
