import { describe, expect, it } from 'vitest';
import { semiSupervisedDigits } from './semi-supervised.js';

describe('semi-supervised example', () => {
  it('learns from pseudo-labels and with a noisy student', async () => {
    const result = await semiSupervisedDigits({ labelledPerClass: 10, perClass: 30, testPerClass: 20, epochs: 20 });
    // Five classes: chance is 0.2.
    expect(result.pseudoLabel).toBeGreaterThan(0.3);
    expect(result.noisyStudent).toBeGreaterThan(0.3);
  });
});
