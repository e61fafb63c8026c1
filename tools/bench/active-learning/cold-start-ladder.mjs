// The first 100 labels through the whole path: the semi-supervised bench's best ladder (rotation
// source, transfer, FixMatch, self-training) climbed on the PNG folder with the labels files that
// cold-start.mjs wrote (`labelled-sN-CHOICE.csv`), one climb per seed and choice.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { bin, repo } from './fashion-folder.mjs';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0' },
    choices: { type: 'string', default: 'balanced,typical' },
    ladder: { type: 'string', default: path.join(repo, 'tools/bench/semi-supervised/variants/ladder-width-1.25-weak-views-2.yaml') },
    folder: { type: 'string', default: 'runs/active-learning/fashion-mnist' },
    work: { type: 'string', default: 'runs/cold-start' },
    backend: { type: 'string', default: 'native' },
  },
});
const work = path.resolve(args.work);
const folder = path.resolve(args.folder);
const ladder = parse(readFileSync(args.ladder, 'utf8'));

for (const seed of args.seeds.split(',').map(Number)) {
  for (const choice of args.choices.split(',')) {
    const labels = path.join(work, `labelled-s${seed}-${choice}.csv`);
    if (!existsSync(labels)) throw new Error(`${labels} is missing: run cold-start.mjs for seed ${seed} first`);
    const name = `ladder-s${seed}-${choice}`;
    const data = { dataset: 'image-folder', params: { dir: path.join(folder, 'train'), labels, testDir: path.join(folder, 'test'), size: 28, color: 'grayscale' } };
    writeFileSync(path.join(work, `${name}.yaml`), stringify({ ...ladder, seed, data }));
    const runDir = path.join(work, name);
    if (existsSync(path.join(runDir, 'ladder.json'))) continue;
    // A climb that was stopped goes on from its last finished rung.
    const resume = existsSync(runDir) ? ['--resume'] : [];
    const started = performance.now();
    execFileSync(process.execPath, [bin, '--precision', 'bfloat16', 'ladder', path.join(work, `${name}.yaml`), '--run-dir', runDir, '--backend', args.backend, ...resume], { stdio: 'inherit' });
    console.log(`${name}: ${((performance.now() - started) / 60000).toFixed(1)} min`);
  }
}
