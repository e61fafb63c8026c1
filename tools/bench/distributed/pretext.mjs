// A pretext strategy on a large folder without labels (an unlabelled-folder): read in batches as
// it goes (the strategy's own path) against the same strategy with the folder loaded into memory
// first; wall time, CPU seconds and peak resident memory of each, in a process of its own.
//   npx nx build @frugal/cli && node tools/bench/distributed/pretext.mjs --images 50000 --dir /tmp/bench-pretext
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeSyntheticImages } from './synthetic-images.mjs';
import { timedScript } from './timed-script.mjs';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '20000' },
    size: { type: 'string', default: '64' },
    width: { type: 'string', default: '0.25' },
    strategy: { type: 'string', default: 'contrastive-pretext' },
    backend: { type: 'string', default: 'native' },
    threads: { type: 'string', default: '2' },
    batch: { type: 'string', default: '128' },
    dir: { type: 'string' },
    // An existing folder instead of generated images (e.g. Fashion-MNIST as PNG files), and its colour.
    folder: { type: 'string' },
    color: { type: 'string', default: 'rgb' },
  },
});
const count = Number(args.images);
const size = Number(args.size);
const work = args.dir ? path.resolve(args.dir) : await mkdtemp(path.join(os.tmpdir(), 'frugal-bench-pretext-'));
const folder = args.folder ? path.resolve(args.folder) : path.join(work, `unlabelled-${count}-${size}`);
const env = { ...process.env, FRUGAL_NUM_THREADS: args.threads, FORCE_COLOR: '0' };
const line = (label, value) => console.log(`${label.padEnd(52)} ${value}`);

/** One epoch over every image of the folder: the strategy as registered streams it; `…-in-memory` (the same code, registered without streamsUnlabelled) gets it loaded first. */
const script = (strategy) => `
  import { createFrugal, runRecipe, selectBackend, validateRecipe } from '@frugal/core';
  import { standardPlugins } from '@frugal/preset-standard';
  import { contrastivePretext, contrastivePretextParams, rotationPretext, rotationPretextParams } from '@frugal/transfer';
  const inMemory = { name: 'bench-in-memory', register(r) {
    for (const [name, factory, params] of [['contrastive-pretext', contrastivePretext, contrastivePretextParams], ['rotation-pretext', rotationPretext, rotationPretextParams]]) {
      r.strategy({ name: name + '-in-memory', description: name + ', its images loaded into memory first', params, factory, ignoresLabels: true });
    }
  } };
  const frugal = createFrugal({ plugins: [standardPlugins(), inMemory], seed: 0 });
  await selectBackend(frugal, ${JSON.stringify(args.backend)});
  const params = ${JSON.stringify(args.strategy)} === 'rotation-pretext' ? { images: ${count} } : {};
  const recipe = validateRecipe({
    seed: 0,
    data: { dataset: 'unlabelled-folder', params: { dir: ${JSON.stringify(folder)}, size: ${size}, resize: 'exact', color: ${JSON.stringify(args.color)} } },
    model: { name: 'resnet8', params: { widthMultiplier: ${Number(args.width)} } },
    augment: [{ op: 'flip', p: 0.5 }, { op: 'pad-crop', padding: 4 }],
    strategy: { name: ${JSON.stringify(strategy)}, params },
    train: { epochs: 1, batchSize: ${Number(args.batch)}, optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 } },
  }, frugal);
  let loaded;
  const started = performance.now();
  const run = await runRecipe(frugal, recipe, { log: (m) => { if (/^Training /.test(m)) loaded = performance.now(); } });
  const ended = performance.now();
  console.log(JSON.stringify({ seconds: (ended - started) / 1000, dataSeconds: (loaded - started) / 1000, images: run.data.unlabelled, loss: run.result.details.history.at(-1).loss }));
`;

if (!args.folder) await writeSyntheticImages(folder, count, size);
const channels = args.color === 'grayscale' ? 1 : 3;
const results = { folder, images: count, size, width: Number(args.width), strategy: args.strategy, backend: args.backend, threads: Number(args.threads), decodedMB: (count * size * size * channels) / 2 ** 20 };
line('the folder decoded', `${count} images of ${size}×${size}×${channels}: ${results.decodedMB.toFixed(0)} MB`);
for (const [key, strategy, label] of [
  ['streamed', args.strategy, 'read in batches'],
  ['inMemory', `${args.strategy}-in-memory`, 'loaded into memory first'],
]) {
  const r = timedScript(script(strategy), { name: strategy, env });
  results[key] = r;
  line(`${args.strategy}, ${label}`, `${r.seconds.toFixed(0)} s wall (${r.dataSeconds.toFixed(0)} s before training), ${r.cpuSeconds.toFixed(0)} s CPU, peak ${r.peakMB.toFixed(0)} MB, loss ${r.loss.toFixed(4)}`);
}
line('streamed / in-memory: wall, CPU, peak memory', ['seconds', 'cpuSeconds', 'peakMB'].map((k) => (results.streamed[k] / results.inMemory[k]).toFixed(2)).join(', '));
if (args.dir) {
  writeFileSync(path.join(work, `pretext-${args.strategy}-${count}.json`), `${JSON.stringify(results, null, 2)}\n`);
} else {
  await rm(work, { recursive: true, force: true });
}
