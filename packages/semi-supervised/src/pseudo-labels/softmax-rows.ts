/**
 * Row-wise softmax of `logits / temperature` (`[n, numClasses]`, row-major), computed in float64
 * and written as float32. A plain-array helper: pseudo-labelling works on the teacher's logits
 * after they have left the backend.
 */
export function softmaxRows(logits: Float32Array, numClasses: number, temperature = 1): Float32Array {
  if (!(temperature > 0)) throw new RangeError(`softmaxRows: temperature must be positive, got ${temperature}`);
  if (logits.length % numClasses !== 0) {
    throw new RangeError(`softmaxRows: ${logits.length} logits do not split into rows of ${numClasses} classes`);
  }
  const out = new Float32Array(logits.length);
  const exps = new Float64Array(numClasses);
  for (let start = 0; start < logits.length; start += numClasses) {
    let max = -Infinity;
    for (let j = 0; j < numClasses; j++) max = Math.max(max, (logits[start + j] as number) / temperature);
    let sum = 0;
    for (let j = 0; j < numClasses; j++) {
      const e = Math.exp((logits[start + j] as number) / temperature - max);
      exps[j] = e;
      sum += e;
    }
    for (let j = 0; j < numClasses; j++) out[start + j] = (exps[j] as number) / sum;
  }
  return out;
}
