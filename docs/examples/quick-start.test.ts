import { describe, expect, it } from 'vitest';
import { quickStart } from './quick-start.js';

describe('quick start example', () => {
  it('trains on a few labelled digits and beats chance clearly', async () => {
    const result = await quickStart({ labelledPerClass: 10, epochs: 6, testPerClass: 10 });
    expect(result.labelled).toBe(100);
    expect(['native', 'wasm', 'tensorflow', 'tensorflow-gpu']).toContain(result.backend);
    expect(result.accuracy).toBeGreaterThan(0.25);
  });
});
