import { createFrugal } from '@frugal/core';
import { describe, expect, it } from 'vitest';
import { semiSupervised } from './index.js';

describe('semiSupervised()', () => {
  it('registers its strategies when loaded, not at import', () => {
    const frugal = createFrugal({ plugins: [semiSupervised()] });
    expect(frugal.strategies.names()).toEqual(expect.arrayContaining(['pseudo-label', 'noisy-student', 'fixmatch', 'comatch']));
    expect(frugal.strategies.get('fixmatch').plugin).toBe('@frugal/semi-supervised');
    expect(createFrugal().strategies.names()).not.toContain('fixmatch');
  });

  it('takes a prefix', () => {
    const frugal = createFrugal({ plugins: [semiSupervised({ prefix: 'ssl-' })] });
    expect(frugal.strategies.names()).toEqual(expect.arrayContaining(['ssl-pseudo-label', 'ssl-noisy-student', 'ssl-fixmatch', 'ssl-comatch']));
  });
});
