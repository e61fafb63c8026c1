import type { RungRun } from './run-ladder.js';

/** Mean and sample standard deviation (0 for one value). */
export interface Spread {
  readonly mean: number;
  readonly sd: number;
}

export function spread(values: readonly number[]): Spread {
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}

/** A rung over all seeds: its accuracy, and what it bought over the rung below it. */
export interface RungSummary {
  readonly rung: string;
  readonly seeds: number;
  readonly accuracy: Spread;
  /** Accuracy gained over the rung below, seed by seed; absent for the first rung. */
  readonly gain?: Spread;
  readonly labels: number;
  readonly unlabelled: number;
  readonly seconds: Spread;
}

/** The rows of a ladder's table, in climbing order. */
export function summarizeLadder(runs: readonly RungRun[]): RungSummary[] {
  const names = [...new Set(runs.map((r) => r.rung))];
  const of = (name: string) => runs.filter((r) => r.rung === name);
  return names.map((name, i) => {
    const mine = of(name);
    const below = i > 0 ? of(names[i - 1] as string) : [];
    const gains = mine.flatMap((r) => below.filter((b) => b.seed === r.seed).map((b) => r.accuracy - b.accuracy));
    return {
      rung: name,
      seeds: mine.length,
      accuracy: spread(mine.map((r) => r.accuracy)),
      gain: gains.length ? spread(gains) : undefined,
      labels: Math.max(...mine.map((r) => r.labels)),
      unlabelled: Math.max(...mine.map((r) => r.unlabelled)),
      seconds: spread(mine.map((r) => r.seconds)),
    };
  });
}

/** `86.5%`, or `86.5 ± 0.4%` over several seeds. */
export function formatAccuracy(s: Spread, seeds: number): string {
  return seeds > 1 ? `${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)}%` : `${(100 * s.mean).toFixed(1)}%`;
}

/** `+3.2` points, or `+3.2 ± 0.5`. */
export function formatGain(s: Spread | undefined, seeds: number): string {
  if (!s) return '';
  const points = `${s.mean >= 0 ? '+' : '−'}${Math.abs(100 * s.mean).toFixed(1)}`;
  return seeds > 1 ? `${points} ± ${(100 * s.sd).toFixed(1)}` : points;
}
