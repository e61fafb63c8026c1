import { describe, expect, it } from 'vitest';
import { pluginRecipe } from './plugin-recipe.js';

describe('plugin recipe example', () => {
  it('loads @acme/frugal-plugin-example by name and trains with its op and model', async () => {
    const result = await pluginRecipe({ epochs: 8 });
    // Three classes: chance is 1/3.
    expect(result.accuracy).toBeGreaterThan(0.8);
    expect(result.resnet20Logits).toEqual([2, 3]);
    expect(result.plugins).toContain('@acme/frugal-plugin-example');
  });
});
