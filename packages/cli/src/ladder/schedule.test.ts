import { describe, expect, it } from 'vitest';
import { runScheduled } from './schedule.js';

/** A task that records when it starts and ends, and finishes after `ms`. */
function recorder() {
  const events: string[] = [];
  let live = 0;
  let most = 0;
  const run = async (task: { name: string; ms: number; fail?: boolean }, signal: AbortSignal) => {
    events.push(`start ${task.name}`);
    most = Math.max(most, ++live);
    await new Promise((resolve) => setTimeout(resolve, task.ms));
    live--;
    if (task.fail) throw new Error(`${task.name} failed`);
    events.push(`${signal.aborted ? 'stopped' : 'end'} ${task.name}`);
    return task.name.toUpperCase();
  };
  return { events, run, most: () => most };
}

describe('runScheduled', () => {
  it('runs one task at a time in the list\'s order, the results in that order', async () => {
    const r = recorder();
    const tasks = [
      { name: 'a', ms: 5, after: [] },
      { name: 'b', ms: 1, after: [] },
      { name: 'c', ms: 1, after: [0] },
    ];
    expect(await runScheduled(tasks, 1, r.run)).toEqual(['A', 'B', 'C']);
    expect(r.events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs tasks that do not wait for each other side by side, and a task only after those it waits for', async () => {
    const r = recorder();
    // a ← b, a ← c, (b, c) ← d; e waits for nothing
    const tasks = [
      { name: 'a', ms: 20, after: [] },
      { name: 'b', ms: 20, after: [0] },
      { name: 'c', ms: 40, after: [0] },
      { name: 'd', ms: 1, after: [1, 2] },
      { name: 'e', ms: 10, after: [] },
    ];
    expect(await runScheduled(tasks, 2, r.run)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(r.most()).toBe(2);
    expect(r.events.slice(0, 2)).toEqual(['start a', 'start e']);
    const at = (event: string) => r.events.indexOf(event);
    expect(at('start b')).toBeGreaterThan(at('end a'));
    expect(at('start c')).toBeGreaterThan(at('end a'));
    expect(at('start d')).toBeGreaterThan(Math.max(at('end b'), at('end c')));
  });

  it('stops at the first failure: nothing more starts, the tasks running are told to stop, and it rejects once they have', async () => {
    const r = recorder();
    const tasks = [
      { name: 'slow', ms: 30, after: [] },
      { name: 'bad', ms: 5, fail: true, after: [] },
      { name: 'later', ms: 1, after: [1] },
      { name: 'next', ms: 1, after: [] },
    ];
    await expect(runScheduled(tasks, 2, r.run)).rejects.toThrow('bad failed');
    expect(r.events).toEqual(['start slow', 'start bad', 'stopped slow']);
  });

  it('refuses tasks that wait for a task that never runs', async () => {
    await expect(runScheduled([{ after: [1] }, { after: [0] }], 2, async () => 1)).rejects.toThrow(/wait for tasks that never run/);
  });
});
