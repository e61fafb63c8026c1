// The table of a results file: of bench.mjs, each method's test accuracy after its 100 more
// labels; of cold-start.mjs, each way of choosing the first 100, trained from scratch and from the
// pretext network. Mean ± sd over the seeds, and the gain over random choice on the same seeds.
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
const header = (first) => {
  console.log(`| ${first} | ${seeds.map((s) => `seed ${s}`).join(' | ')} | mean ± sd | gain over random (mean ± sd) | fewest / most of a class |`);
  console.log(`|---|${seeds.map(() => '---:').join('|')}|---:|---:|---|`);
};
/** One table row: `name`, and the rows of each seed that `pick` finds. */
const line = (name, pick) => {
  const mine = seeds.map((s) => pick(s, rows.filter((r) => r.seed === s)));
  const random = seeds.map((s) => pick(s, rows.filter((r) => r.seed === s), 'random'));
  const gains = mine.map((r, i) => r.accuracy - random[i].accuracy);
  const spread = mine.map((r) => `${Math.min(...r.perClass)}–${Math.max(...r.perClass)}`).join(', ');
  const isRandom = mine.every((r, i) => r === random[i]);
  console.log(`| ${name} | ${mine.map((r) => pct(r.accuracy)).join(' | ')} | ${stats(mine.map((r) => r.accuracy))} | ${isRandom ? '' : stats(gains)} | ${spread} |`);
};

if (rows[0].start === undefined) {
  header('labels');
  const first = seeds.map((s) => rows.find((r) => r.seed === s)?.first);
  console.log(`| the first ${rows[0].labels - 100} (10 a class) | ${first.map(pct).join(' | ')} | ${stats(first)} | | |`);
  for (const method of [...new Set(rows.map((r) => r.method))]) {
    line(`+ 100 by \`${method}\``, (_, mine, as = method) => mine.find((r) => r.method === as));
  }
} else {
  for (const start of [...new Set(rows.map((r) => r.start))]) {
    console.log(`\ntrained from ${start === 'pretext' ? 'the pretext network' : 'scratch'}:\n`);
    header('the first 100');
    for (const choice of [...new Set(rows.map((r) => r.choice))]) {
      const name = choice === 'balanced' ? '10 a class, drawn knowing the labels' : `by \`${choice}\``;
      line(name, (_, mine, as = choice) => mine.find((r) => r.choice === as && r.start === start));
    }
  }
}
