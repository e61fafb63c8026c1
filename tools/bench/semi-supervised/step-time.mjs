// Seconds a training step takes in a run, from its log: the time between the first and the last
// epoch's lines of metrics.jsonl over the steps between them (so start-up, data loading and the
// final evaluation are left out), e.g.
//   node packages/cli/dist/bin.js train tools/bench/semi-supervised/variants/fixmatch-600-labelled-rand-augment.json \
//       --run-dir runs/step-time --backend native --force
//   node tools/bench/semi-supervised/step-time.mjs runs/step-time
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const runDir = process.argv[2];
if (!runDir) throw new Error('Usage: node step-time.mjs <runDir>');
const epochs = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line))
  .filter((record) => record.kind === 'epoch');
if (epochs.length < 2) throw new Error(`${runDir}/metrics.jsonl holds ${epochs.length} epoch line(s); the run needs at least two epochs`);
const [first, last] = [epochs[0], epochs[epochs.length - 1]];
const seconds = (Date.parse(last.time) - Date.parse(first.time)) / 1000;
const steps = last.step - first.step;
console.log(`${(seconds / steps).toFixed(4)} s a step (${steps} steps from step ${first.step}, ${seconds.toFixed(1)} s)`);
