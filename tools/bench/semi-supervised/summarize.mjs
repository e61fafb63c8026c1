// Prints the table of one or more result files of bench.mjs (JSON lines), e.g. of runs made in
// separate processes:  node tools/bench/semi-supervised/summarize.mjs runs/a.jsonl runs/b.jsonl
import { readFileSync } from 'node:fs';
import { summaryTable } from './summary-table.mjs';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('Usage: node summarize.mjs <results.jsonl> [more.jsonl ...]');
const records = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)));
console.log(summaryTable(records));
