import { describe, expect, it } from 'vitest';
import { mapConcurrent } from './map-concurrent.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('mapConcurrent', () => {
  it('runs every item with at most `limit` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    await mapConcurrent(Array.from({ length: 20 }, (_, i) => i), 3, async (item) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      seen.push(item);
      inFlight--;
    });
    expect(most).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('stops starting new items after a failure, and rethrows it once those in flight end', async () => {
    const started: number[] = [];
    let finished = 0;
    const run = mapConcurrent(Array.from({ length: 20 }, (_, i) => i), 2, async (item) => {
      started.push(item);
      await tick();
      finished++;
      if (item === 3) throw new Error('item 3 failed');
    });
    await expect(run).rejects.toThrow('item 3 failed');
    expect(started.length).toBeLessThan(20);
    expect(finished).toBe(started.length);
  });
});
