import { createFrugal, selectBackend } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { referenceBackendPlugin } from './reference-backend.js';

describe('the reference backend', () => {
  it('is selected by name, and by auto when it is the only one', async () => {
    const frugal = createFrugal({ plugins: [referenceBackendPlugin()] });
    expect(await selectBackend(frugal, 'reference')).toEqual({ name: 'reference', reasons: ['asked for "reference"'] });
    expect(tf.getBackend()).toBe('cpu');
    expect((await selectBackend(frugal, 'auto')).name).toBe('reference');
  });

  it('says which names exist when asked for another', async () => {
    const frugal = createFrugal({ plugins: [referenceBackendPlugin()] });
    await expect(selectBackend(frugal, 'refrence')).rejects.toThrow(/"reference"/);
  });
});
