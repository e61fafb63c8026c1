// The table of a results file of bench.mjs: each method's test accuracy after its 100 more labels,
// mean ± sd over the seeds, and its gain over random choice on the same seeds.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'runs/active-learning/results.jsonl';
const rows = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const pct = (x) => (100 * x).toFixed(1);
const stats = (xs) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return `${pct(mean)} ± ${pct(sd)}`;
};
const seeds = [...new Set(rows.map((r) => r.seed))].sort((a, b) => a - b);
const methods = [...new Set(rows.map((r) => r.method))];
const at = (method, seed) => rows.find((r) => r.method === method && r.seed === seed);
console.log(`| labels | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean ± sd | gain over random (mean ± sd) | fewest / most of a class |`);
console.log(`|---|${seeds.map(() => '---:').join('|')}|---:|---:|---|`);
const first = seeds.map((s) => rows.find((r) => r.seed === s)?.first);
console.log(`| the first ${rows[0].labels - 100} (10 a class) | ${first.map(pct).join(' | ')} | ${stats(first)} | | |`);
for (const method of methods) {
  const mine = seeds.map((s) => at(method, s)?.accuracy);
  const gains = seeds.map((s) => at(method, s).accuracy - at('random', s).accuracy);
  const spread = seeds.map((s) => `${Math.min(...at(method, s).perClass)}–${Math.max(...at(method, s).perClass)}`).join(', ');
  console.log(`| + 100 by \`${method}\` | ${mine.map(pct).join(' | ')} | ${stats(mine)} | ${method === 'random' ? '' : stats(gains)} | ${spread} |`);
}
