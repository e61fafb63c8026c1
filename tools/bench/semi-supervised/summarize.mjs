// Prints the table of one or more result files of bench.mjs (JSON lines), e.g. of runs made in
// separate processes:  node tools/bench/semi-supervised/summarize.mjs runs/a.jsonl runs/b.jsonl
// With --parity: Frugal's runs against torch_reference.py's (method × framework).
import { readFileSync } from 'node:fs';
import { parityTable, summaryTable } from './summary-table.mjs';

const parity = process.argv.includes('--parity');
const files = process.argv.slice(2).filter((a) => a !== '--parity');
if (files.length === 0) throw new Error('Usage: node summarize.mjs [--parity] <results.jsonl> [more.jsonl ...]');
const records = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)));
console.log(parity ? parityTable(records) : summaryTable(records));
