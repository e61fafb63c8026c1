import { softmaxRows } from './softmax-rows.js';

/**
 * How the teacher's predictions on the unlabelled images become training targets.
 *
 * - `none`: every image whose confidence reaches the threshold.
 * - `cap`: at most `perClass` images per predicted class, the most confident first — no class
 *   floods the student because the teacher favours it.
 * - `top-k`: exactly `perClass` images per predicted class: the most confident ones, duplicated
 *   (most confident first) in classes that have too few — Noisy Student's filtering and balancing.
 */
export type BalanceMode = 'none' | 'cap' | 'top-k';

export interface PseudoLabelOptions {
  /** Keep a prediction when its top softmax probability (at temperature 1) is at least this. */
  readonly confidenceThreshold: number;
  /** `hard`: one-hot rows of the predicted class. `soft`: the teacher's softmax at `temperature`. */
  readonly labels: 'hard' | 'soft';
  /** Teacher temperature of soft labels (> 1 softens them). */
  readonly temperature: number;
  readonly balance: BalanceMode;
  /**
   * Images per class for `cap` and `top-k`. Default: the images above the threshold divided by
   * the number of classes (each class its even share).
   */
  readonly perClass?: number;
}

export interface PseudoLabelStats {
  /** Unlabelled images the teacher saw. */
  readonly candidates: number;
  /** Of those, predictions at or above the confidence threshold. */
  readonly aboveThreshold: number;
  /** Rows kept (duplicates included). */
  readonly kept: number;
  /** Rows added by duplication (`top-k` in classes with too few images). */
  readonly duplicated: number;
  /** Kept rows per predicted class. */
  readonly perClass: readonly number[];
  /** Images per class the balancing aimed at (absent for `none`). */
  readonly perClassTarget?: number;
  /** Mean confidence of the kept rows. */
  readonly meanConfidence: number;
  /** Classes with no prediction above the threshold. */
  readonly emptyClasses: readonly number[];
}

export interface PseudoLabelSelection {
  /** Indices into the unlabelled set; with `top-k` an index may repeat. */
  readonly indices: Int32Array;
  /** `indices.length × numClasses` target rows (one-hot or soft). */
  readonly targets: Float32Array;
  /** Predicted class of each kept row. */
  readonly classes: Int32Array;
  /** Confidence of each kept row. */
  readonly confidences: Float32Array;
  readonly stats: PseudoLabelStats;
}

interface Candidate {
  readonly index: number;
  readonly cls: number;
  readonly confidence: number;
}

/** Most confident first; ties by image index, so the choice is deterministic. */
function byConfidence(a: Candidate, b: Candidate): number {
  return b.confidence - a.confidence || a.index - b.index;
}

function checkOptions(options: PseudoLabelOptions): void {
  const { confidenceThreshold, temperature, perClass } = options;
  if (!(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
    throw new RangeError(`confidenceThreshold must lie in [0, 1], got ${confidenceThreshold}`);
  }
  if (!(temperature > 0)) throw new RangeError(`temperature must be positive, got ${temperature}`);
  if (perClass !== undefined && !(Number.isInteger(perClass) && perClass >= 1)) {
    throw new RangeError(`perClass must be a positive integer, got ${perClass}`);
  }
}

/**
 * Turns a teacher's logits on the unlabelled set (`[n, numClasses]`, row-major) into pseudo-labels:
 * confidence filter, class balancing, hard or soft target rows.
 */
export function selectPseudoLabels(logits: Float32Array, numClasses: number, options: PseudoLabelOptions): PseudoLabelSelection {
  checkOptions(options);
  const probs = softmaxRows(logits, numClasses, 1);
  const n = probs.length / numClasses;
  const byClass: Candidate[][] = Array.from({ length: numClasses }, () => []);
  let aboveThreshold = 0;
  for (let i = 0; i < n; i++) {
    let cls = 0;
    let confidence = -1;
    for (let j = 0; j < numClasses; j++) {
      const p = probs[i * numClasses + j] as number;
      if (p > confidence) [confidence, cls] = [p, j];
    }
    if (confidence >= options.confidenceThreshold) {
      (byClass[cls] as Candidate[]).push({ index: i, cls, confidence });
      aboveThreshold++;
    }
  }

  const perClassTarget =
    options.balance === 'none' ? undefined : (options.perClass ?? Math.max(1, Math.round(aboveThreshold / numClasses)));
  const kept: Candidate[] = [];
  let duplicated = 0;
  for (const candidates of byClass) {
    if (options.balance === 'none' || perClassTarget === undefined) {
      kept.push(...candidates);
      continue;
    }
    candidates.sort(byConfidence);
    const take = candidates.slice(0, perClassTarget);
    if (options.balance === 'top-k' && take.length > 0) {
      for (let k = 0; take.length < perClassTarget; k++) {
        take.push(candidates[k % candidates.length] as Candidate);
        duplicated++;
      }
    }
    kept.push(...take);
  }
  if (options.balance === 'none') kept.sort((a, b) => a.index - b.index);

  const soft = options.labels === 'soft' ? softmaxRows(logits, numClasses, options.temperature) : undefined;
  const indices = new Int32Array(kept.length);
  const classes = new Int32Array(kept.length);
  const confidences = new Float32Array(kept.length);
  const targets = new Float32Array(kept.length * numClasses);
  const perClass = new Array<number>(numClasses).fill(0);
  let confidenceSum = 0;
  kept.forEach((c, row) => {
    indices[row] = c.index;
    classes[row] = c.cls;
    confidences[row] = c.confidence;
    confidenceSum += c.confidence;
    perClass[c.cls] = (perClass[c.cls] as number) + 1;
    if (soft) targets.set(soft.subarray(c.index * numClasses, (c.index + 1) * numClasses), row * numClasses);
    else targets[row * numClasses + c.cls] = 1;
  });
  return {
    indices,
    targets,
    classes,
    confidences,
    stats: {
      candidates: n,
      aboveThreshold,
      kept: kept.length,
      duplicated,
      perClass,
      perClassTarget,
      meanConfidence: kept.length ? confidenceSum / kept.length : 0,
      emptyClasses: byClass.flatMap((c, j) => (c.length === 0 ? [j] : [])),
    },
  };
}

/** A one-line account of a selection, for logs. */
export function describeSelection(stats: PseudoLabelStats): string {
  const parts = [
    `${stats.aboveThreshold}/${stats.candidates} unlabelled images at or above the confidence threshold`,
    `${stats.kept} pseudo-labels kept` + (stats.duplicated ? ` (${stats.duplicated} duplicated)` : ''),
    `per class [${stats.perClass.join(', ')}]`,
    `mean confidence ${stats.meanConfidence.toFixed(3)}`,
  ];
  if (stats.emptyClasses.length) parts.push(`no confident prediction for class(es) ${stats.emptyClasses.join(', ')}`);
  return parts.join('; ');
}
