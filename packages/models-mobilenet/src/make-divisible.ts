/** torchvision's `_make_divisible`: the nearest multiple of `divisor`, never below 90% of `v` nor below `divisor`. */
export function makeDivisible(v: number, divisor = 8): number {
  let rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * v) rounded += divisor;
  return rounded;
}
