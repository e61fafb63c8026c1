import { describe, expect, it } from 'vitest';
import { distillDigits } from './distillation.js';

describe('distillation example', () => {
  it('trains a teacher, then a narrower student on its soft labels', async () => {
    const result = await distillDigits({ labelledPerClass: 10, perClass: 20, testPerClass: 20, epochs: 5 });
    // Five classes: chance is 0.2.
    expect(result.accuracy).toBeGreaterThan(0.3);
  });
});
