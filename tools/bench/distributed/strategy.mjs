// The pseudo-label strategy on a large unlabelled folder: read in batches as it goes (the
// strategy's own path) against the same strategy with the folder loaded into memory first; wall
// time and peak resident memory of each, one process on one core each.
//   npx nx build @frugal/cli && nice node tools/bench/distributed/strategy.mjs --images 100000 --dir /tmp/bench-strategy
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticImage, writeSyntheticImages } from './synthetic-images.mjs';
import { timedScript } from './timed-script.mjs';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '10000' },
    size: { type: 'string', default: '64' },
    width: { type: 'string', default: '0.25' },
    backend: { type: 'string', default: 'wasm' },
    dir: { type: 'string' },
    pin: { type: 'string', default: 'yes' },
    only: { type: 'string', default: 'all' },
  },
});
const count = Number(args.images);
const size = Number(args.size);
const work = args.dir ? path.resolve(args.dir) : await mkdtemp(path.join(os.tmpdir(), 'frugal-bench-strategy-'));
const unlabelled = path.join(work, `unlabelled-${count}-${size}`);
const labelled = path.join(work, `labelled-${size}`);
const env = { ...process.env, FRUGAL_NUM_THREADS: '1', FORCE_COLOR: '0' };
if (!['yes', 'no'].includes(args.pin)) throw new Error(`--pin is "${args.pin}"; give yes or no`);
const pin = args.pin === 'yes' && os.availableParallelism() >= 2 && spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const line = (label, value) => console.log(`${label.padEnd(48)} ${value}`);

/** 3 classes × 8 labelled training images and × 4 test images (the teacher's data; what is timed is the unlabelled side). */
async function writeLabelled() {
  if (existsSync(path.join(labelled, 'done'))) return;
  for (const [split, n] of [['train', 8], ['test', 4]]) {
    for (let k = 0; k < 3; k++) {
      mkdirSync(path.join(labelled, split, `class-${k}`), { recursive: true });
      for (let i = 0; i < n; i++) await syntheticImage(1_000_000 + k * 100 + i + (split === 'test' ? 50 : 0), size).toFile(path.join(labelled, split, `class-${k}`, `${i}.png`));
    }
  }
  writeFileSync(path.join(labelled, 'done'), '');
}

/** One run of the strategy in a process of its own: the pseudo-label strategy streams; `pseudo-label-in-memory` (the same code, registered without streamsUnlabelled) gets the folder loaded first. */
const script = (strategy) => `
  import { createFrugal, runRecipe, selectBackend, validateRecipe } from '@frugal/core';
  import { standardPlugins } from '@frugal/preset-standard';
  import { pseudoLabel, pseudoLabelParams } from '@frugal/semi-supervised';
  const inMemory = { name: 'bench-in-memory', register(r) {
    r.strategy({ name: 'pseudo-label-in-memory', description: 'pseudo-label, its unlabelled images loaded into memory first', params: pseudoLabelParams, factory: pseudoLabel });
  } };
  const frugal = createFrugal({ plugins: [standardPlugins(), inMemory], seed: 0 });
  await selectBackend(frugal, ${JSON.stringify(args.backend)});
  const recipe = validateRecipe({
    seed: 0,
    data: { dataset: 'image-folder', params: { dir: ${JSON.stringify(path.join(labelled, 'train'))}, testDir: ${JSON.stringify(path.join(labelled, 'test'))}, unlabelledDir: ${JSON.stringify(unlabelled)}, size: ${size}, resize: 'exact' } },
    model: { name: 'resnet8', params: { widthMultiplier: ${Number(args.width)} } },
    strategy: { name: ${JSON.stringify(strategy)}, params: { confidenceThreshold: 0, teacherEpochs: 1, stepsPerEpoch: 2 } },
    train: { epochs: 1, batchSize: 8, optimizer: { name: 'adam', lr: 0.001 } },
  }, frugal);
  const marks = {};
  const log = (m) => {
    if (/generation 0 done/.test(m)) marks.labelling = performance.now();
    if (/training .* \\(student\\)/.test(m)) marks.student = performance.now();
  };
  const started = performance.now();
  const run = await runRecipe(frugal, recipe, { log });
  const ended = performance.now();
  console.log(JSON.stringify({ seconds: (ended - started) / 1000, labellingSeconds: (marks.student - marks.labelling) / 1000, unlabelled: run.data.unlabelled, kept: run.result.details.generations[1].pseudoLabels.kept }));
`;

const runStrategy = (strategy) => timedScript(script(strategy), { name: strategy, env, pin });

await writeSyntheticImages(unlabelled, count, size);
await writeLabelled();
const results = { images: count, size, width: Number(args.width), backend: args.backend, pinned: pin, loadAverage: { start: load() } };
line('load average (1, 5, 15 min) at the start', load());
line('processes', pin ? 'one at a time, on one core (taskset), decoding in a thread of their own' : 'not pinned');
for (const [key, strategy, label] of [
  ['streamed', 'pseudo-label', 'pseudo-label, folder read in batches'],
  ['inMemory', 'pseudo-label-in-memory', 'pseudo-label, folder loaded into memory'],
]) {
  if (args.only !== 'all' && args.only !== key) continue;
  const r = runStrategy(strategy);
  results[key] = { ...r, imagesPerSecond: count / r.seconds };
  line(label, `${r.seconds.toFixed(0)} s (${(count / r.seconds).toFixed(0)} unlabelled images/s over the run), peak ${r.peakMB.toFixed(0)} MB`);
  line('  of which labelling; CPU seconds of the process', `${r.labellingSeconds.toFixed(0)} s; ${r.cpuSeconds.toFixed(0)} s`);
  line('  load average at its end', load());
}
if (results.streamed && results.inMemory) {
  line('streamed / in-memory throughput (wall)', (results.inMemory.seconds / results.streamed.seconds).toFixed(2));
  line('streamed / in-memory throughput (CPU)', (results.inMemory.cpuSeconds / results.streamed.cpuSeconds).toFixed(2));
}
results.loadAverage.end = load();
line('load average (1, 5, 15 min) at the end', results.loadAverage.end);
if (args.dir) {
  writeFileSync(path.join(work, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results: ${path.join(work, 'results.json')}`);
} else {
  await rm(work, { recursive: true, force: true });
}
