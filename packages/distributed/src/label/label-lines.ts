/** One labelled image of a pseudo-label file (a JSON line). */
export interface PseudoLabel {
  /** Path relative to the labelled folder, with `/`. */
  readonly file: string;
  /** The predicted class, by name and index. */
  readonly class: string;
  readonly label: number;
  /** The top softmax probability. */
  readonly confidence: number;
  /** The teacher's softmax over every class (float32 values). */
  readonly probabilities: readonly number[];
}

/**
 * The JSON lines of a batch of predictions: `probabilities` holds `rows × classes` softmax values.
 * Numbers are written as the shortest text that reads back to the same float32 value, so the
 * same predictions give the same bytes on every machine.
 */
export function pseudoLabelLines(files: readonly string[], probabilities: Float32Array, classNames: readonly string[]): string {
  const c = classNames.length;
  let out = '';
  for (let i = 0; i < files.length; i++) {
    const row = Array.from(probabilities.subarray(i * c, (i + 1) * c));
    let label = 0;
    for (let j = 1; j < c; j++) if (row[j]! > row[label]!) label = j;
    const line: PseudoLabel = { file: files[i]!, class: classNames[label]!, label, confidence: row[label]!, probabilities: row };
    out += `${JSON.stringify(line)}\n`;
  }
  return out;
}
