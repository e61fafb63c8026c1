/** `count` indices spread evenly through `0 .. total - 1` (all of them when count ≥ total). */
export function evenlySpaced(total: number, count: number): number[] {
  const n = Math.min(count, total);
  return Array.from({ length: n }, (_, i) => Math.floor((i * total) / n));
}
