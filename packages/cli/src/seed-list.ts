import { UsageError } from './usage-error.js';

/** `--seeds`: `0,1,2`, `0-9`, or both (`0-2,7`); whole numbers ≥ 0, each once. */
export function parseSeedList(text: string, flag = '--seeds'): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const from = Number(range?.[1]);
    const to = range?.[2] === undefined ? from : Number(range[2]);
    if (range && !Number.isSafeInteger(to)) {
      throw new UsageError(`${flag}: seed ${range[2] ?? range[1]} is larger than a seed may be (${Number.MAX_SAFE_INTEGER}); give smaller seeds`);
    }
    if (!range || to < from) throw new UsageError(`${flag} must list whole numbers ≥ 0 and ranges such as 0,1,2 or 0-9, got "${text}"`);
    if (to - from > 999) throw new UsageError(`${flag}: the range ${from}-${to} holds ${to - from + 1} seeds; a range may hold at most 1,000`);
    for (let s = from; s <= to; s++) if (!seeds.includes(s)) seeds.push(s);
  }
  return seeds;
}
