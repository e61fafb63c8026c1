import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test-utils/tiny.js';
import { MemoryBank } from './memory-bank.js';

beforeAll(useTestBackend);

describe('MemoryBank', () => {
  it('smooths nothing until full, then mixes in the neighbours’ probabilities by similarity', () => {
    const bank = new MemoryBank(2, 2, 2);
    const probs = tf.tensor2d([[0.5, 0.5]]);
    const embedding = tf.tensor2d([[1, 0]]);
    const unsmoothed = bank.smooth(probs, embedding, 0.5, 1);
    expect(unsmoothed.arraySync()).toEqual([[0.5, 0.5]]);
    bank.push(tf.tensor2d([[1, 0]]), tf.tensor2d([[1, 0]]));
    expect(bank.full).toBe(false);
    bank.push(tf.tensor2d([[0, 1]]), tf.tensor2d([[0, 1]]));
    expect(bank.full).toBe(true);
    const smoothed = bank.smooth(probs, embedding, 0.5, 1).arraySync()[0] as number[];
    // Affinities: softmax([1, 0]) = [e/(e+1), 1/(e+1)].
    const near = Math.E / (Math.E + 1);
    expect(smoothed[0]).toBeCloseTo(0.25 + 0.5 * near, 6);
    expect(smoothed[1]).toBeCloseTo(0.25 + 0.5 * (1 - near), 6);
    tf.dispose([probs, embedding, unsmoothed]);
  });

  it('writes over its oldest rows, and saves and restores itself', () => {
    const bank = new MemoryBank(2, 1, 1);
    for (const v of [1, 2, 3]) bank.push(tf.tensor2d([[v]]), tf.tensor2d([[v]]));
    const state = JSON.parse(JSON.stringify(bank.getState())) as { embeddings: number[]; next: number };
    expect(state.embeddings).toEqual([3, 2]);
    expect(state.next).toBe(1);
    const copy = new MemoryBank(2, 1, 1);
    copy.setState(state);
    expect(copy.getState()).toEqual(bank.getState());
    expect(() => new MemoryBank(3, 1, 1).setState(state)).toThrow(/does not hold 3 rows/);
  });
});
