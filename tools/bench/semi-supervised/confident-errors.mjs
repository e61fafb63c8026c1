// How sure a trained run is where it errs, from what export-features.mjs wrote for it:
//   node tools/bench/semi-supervised/confident-errors.mjs PREFIX [PREFIX ...]
// For each class, the precision of the test images it predicts most confidently (its top 2%, 10%,
// 50% and all of them, counted in its thousand test images); then the test accuracy after each
// class's probability is divided by its mean over the unlabelled images, so that a class predicted
// too often there is predicted less (distribution alignment's correction, at test time). Only the
// test images' labels are read, to score.
import { readFileSync } from 'node:fs';

const CLASSES = 10;
const PER_CLASS = 1000;

const floats = (file) => new Float32Array(readFileSync(file).buffer.slice(0));

/** Softmax rows of a flat `[n, CLASSES]` logits array. */
function softmax(logits) {
  const p = new Float64Array(logits.length);
  for (let row = 0; row < logits.length; row += CLASSES) {
    const max = Math.max(...logits.subarray(row, row + CLASSES));
    let sum = 0;
    for (let c = 0; c < CLASSES; c++) sum += p[row + c] = Math.exp(logits[row + c] - max);
    for (let c = 0; c < CLASSES; c++) p[row + c] /= sum;
  }
  return p;
}

/** The class of the highest `p[c] * weight[c]` in each row. */
function argmax(p, weight = new Array(CLASSES).fill(1)) {
  const best = new Int32Array(p.length / CLASSES);
  for (let i = 0; i < best.length; i++) {
    for (let c = 1; c < CLASSES; c++) if (p[i * CLASSES + c] * weight[c] > p[i * CLASSES + best[i]] * weight[best[i]]) best[i] = c;
  }
  return best;
}

const accuracy = (predicted, labels) => (100 * predicted.filter((c, i) => c === labels[i]).length) / labels.length;

for (const prefix of process.argv.slice(2)) {
  const labels = new Int32Array(readFileSync(`${prefix}-test-labels.i32`).buffer.slice(0));
  const test = softmax(floats(`${prefix}-test-logits.f32`));
  const predicted = argmax(test);
  console.log(`${prefix}: test accuracy ${accuracy(predicted, labels).toFixed(2)}%`);
  // Each class's predicted images, surest first.
  const ranked = Array.from({ length: CLASSES }, (_, c) =>
    [...predicted.keys()].filter((i) => predicted[i] === c).sort((a, b) => test[b * CLASSES + c] - test[a * CLASSES + c]),
  );
  for (const share of [0.02, 0.1, 0.5, 1]) {
    const precision = ranked.map((mine, c) => {
      const top = mine.slice(0, Math.round(share * PER_CLASS));
      return top.filter((i) => labels[i] === c).length / Math.max(1, top.length);
    });
    console.log(`  precision of each class's ${String(share * 100).padStart(3)}% most confident: ${precision.map((p) => p.toFixed(2)).join(' ')}`);
  }
  const unlabelled = softmax(floats(`${prefix}-unlabelled-logits.f32`));
  const mean = Array.from({ length: CLASSES }, (_, c) => {
    let sum = 0;
    for (let i = c; i < unlabelled.length; i += CLASSES) sum += unlabelled[i];
    return (sum * CLASSES) / unlabelled.length; // the mean of class c's probability over the images
  });
  const adjusted = argmax(test, mean.map((m) => 1 / m));
  console.log(`  mean prediction on the unlabelled images: ${mean.map((m) => m.toFixed(3)).join(' ')}`);
  console.log(`  test accuracy with the predictions divided by it: ${accuracy(adjusted, labels).toFixed(2)}%`);
}
