import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Each case loads the module afresh: the policy is chosen once per process.
async function fresh() {
  vi.resetModules();
  return import('./wait-policy.js');
}

const saved = { policy: process.env['OMP_WAIT_POLICY'], spin: process.env['GOMP_SPINCOUNT'] };
afterEach(() => {
  for (const [key, value] of [['OMP_WAIT_POLICY', saved.policy], ['GOMP_SPINCOUNT', saved.spin]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe("OpenMP's wait policy", () => {
  it('spins on an idle machine, leaving OpenMP its default', async () => {
    delete process.env['OMP_WAIT_POLICY'];
    delete process.env['GOMP_SPINCOUNT'];
    const { chooseWaitPolicy, waitPolicy } = await fresh();
    expect(chooseWaitPolicy(() => false)).toBe('spin');
    expect(process.env['OMP_WAIT_POLICY']).toBeUndefined();
    expect(waitPolicy()).toBe('spin');
  });

  it('sleeps when other processes are running, and keeps its first choice', async () => {
    delete process.env['OMP_WAIT_POLICY'];
    delete process.env['GOMP_SPINCOUNT'];
    const { chooseWaitPolicy } = await fresh();
    expect(chooseWaitPolicy(() => true)).toBe('sleep');
    expect(process.env['OMP_WAIT_POLICY']).toBe('passive');
    expect(chooseWaitPolicy(() => false)).toBe('sleep');
  });

  it("leaves the user's OMP_WAIT_POLICY or GOMP_SPINCOUNT as they are", async () => {
    process.env['OMP_WAIT_POLICY'] = 'active';
    const first = await fresh();
    expect(first.chooseWaitPolicy(() => true)).toBe('environment');
    expect(process.env['OMP_WAIT_POLICY']).toBe('active');
    delete process.env['OMP_WAIT_POLICY'];
    process.env['GOMP_SPINCOUNT'] = '1000';
    const second = await fresh();
    expect(second.chooseWaitPolicy(() => true)).toBe('environment');
    expect(process.env['OMP_WAIT_POLICY']).toBeUndefined();
  });

  it('threads memory-bound loops from 2^15 values where threads spin, from 2^20 where they sleep', async () => {
    const { parallelAbove } = await fresh();
    expect(parallelAbove('spin')).toBe(2 ** 15);
    expect(parallelAbove('sleep')).toBe(2 ** 20);
    expect(parallelAbove('environment', { OMP_WAIT_POLICY: 'PASSIVE' })).toBe(2 ** 20);
    expect(parallelAbove('environment', { OMP_WAIT_POLICY: 'active' })).toBe(2 ** 15);
  });

  it('counts work running in every sample, not a task that runs for a moment', async () => {
    const { machineBusy } = await fresh();
    const samples = (counts: number[]) => () => counts.shift() ?? 0;
    expect(machineBusy(5, 2, samples([1, 1, 1, 1, 1]))).toBe(true);
    expect(machineBusy(5, 2, samples([1, 0, 0, 0, 0]))).toBe(false);
    expect(machineBusy(5, 2, samples([2, 2, 1, 2, 2]))).toBe(true);
    expect(machineBusy(5, 8, samples([3, 4, 5, 4, 4]))).toBe(false);
    expect(machineBusy(5, 8, samples([4, 4, 5, 4, 4]))).toBe(true);
  });

  it('counts a busy process beside this one as a busy machine', async () => {
    const { machineBusy } = await fresh();
    const busyLoop = new Worker('for (;;) {}', { eval: true });
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(machineBusy(10, 2)).toBe(true);
    } finally {
      await busyLoop.terminate();
    }
  });
});
