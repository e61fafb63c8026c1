import { describe, expect, it } from 'vitest';
import { parseRandAugmentConfig } from './rand-augment-config.js';

describe('parseRandAugmentConfig', () => {
  it("reads timm's string form", () => {
    expect(parseRandAugmentConfig('rand-m9-n2-mstd0.5')).toEqual({ m: 9, n: 2, mstd: 0.5 });
    expect(parseRandAugmentConfig('rand-m7-mstd101-inc1-mmax12-p1')).toEqual({ m: 7, mstd: 101, increasing: true, mmax: 12, opProbability: 1 });
    expect(parseRandAugmentConfig('rand')).toEqual({});
  });

  it('names the bad section and lists the known ones', () => {
    expect(() => parseRandAugmentConfig('rand-m9-x3', 'augment[1]')).toThrow(/augment\[1\]: unknown section "x3" in "rand-m9-x3"; known sections: m \(magnitude\)/);
    expect(() => parseRandAugmentConfig('rand-m')).toThrow(/needs a number/);
    expect(() => parseRandAugmentConfig('rand-n1.5')).toThrow(/n must be a whole number/);
    expect(() => parseRandAugmentConfig('augmix-m3')).toThrow(/must start with "rand"/);
  });
});
