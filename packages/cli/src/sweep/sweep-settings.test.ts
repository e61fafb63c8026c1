import { describe, expect, it } from 'vitest';
import { sweepSettings } from './sweep-settings.js';

describe('sweepSettings', () => {
  it('splits a flag\'s values at its commas, but not inside a JSON list, object or string', () => {
    const settings = sweepSettings(['augment=[{"op":"flip"}],[{"op":"flip"},{"op":"rotate","degrees":"a,b"}]', 'train.optimizer.lr=0.01, 0.03']);
    expect(settings.map((s) => s.values)).toEqual([
      { augment: [{ op: 'flip' }], 'train.optimizer.lr': 0.01 },
      { augment: [{ op: 'flip' }], 'train.optimizer.lr': 0.03 },
      { augment: [{ op: 'flip' }, { op: 'rotate', degrees: 'a,b' }], 'train.optimizer.lr': 0.01 },
      { augment: [{ op: 'flip' }, { op: 'rotate', degrees: 'a,b' }], 'train.optimizer.lr': 0.03 },
    ]);
  });
});
