import type { ScheduleConfig } from './train-config.js';

/**
 * The learning-rate factor (multiplying each group's base rate) at `step` of `totalSteps`.
 * `stepsPerEpoch` converts the epoch-based settings.
 */
export function lrFactor(schedule: ScheduleConfig, step: number, totalSteps: number, stepsPerEpoch: number): number {
  const progress = Math.min(1, step / Math.max(1, totalSteps));
  const cosine = (p: number) => schedule.minLrFactor + (1 - schedule.minLrFactor) * 0.5 * (1 + Math.cos(Math.PI * p));
  switch (schedule.name) {
    case 'constant':
      return 1;
    case 'step':
      return schedule.gamma ** Math.floor(step / (schedule.stepEpochs * stepsPerEpoch));
    case 'cosine':
      return cosine(progress);
    case 'warmup-cosine': {
      const warmup = Math.round(schedule.warmupEpochs * stepsPerEpoch);
      if (step < warmup) return (step + 1) / warmup;
      return cosine((step - warmup) / Math.max(1, totalSteps - warmup));
    }
    case 'one-cycle': {
      // Rise from 1/25 of the peak to the peak, then anneal (cosine) to 1/10^4 of the peak.
      const peakStep = schedule.pctStart * totalSteps;
      const start = 1 / 25;
      const end = start / 1e4;
      if (step < peakStep) return start + (1 - start) * 0.5 * (1 - Math.cos((Math.PI * step) / peakStep));
      const p = (step - peakStep) / Math.max(1, totalSteps - peakStep);
      return end + (1 - end) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, p)));
    }
  }
}
