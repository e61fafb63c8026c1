import { describe, expect, it } from 'vitest';
import { settingFolders, sweepSettings } from './sweep-settings.js';

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

  it('refuses a value given twice in one flag: the same runs twice, counted as two seeds', () => {
    expect(() => sweepSettings(['train.epochs=1,1.0'])).toThrow('--set: "train.epochs=1,1.0" gives train.epochs the value 1.0 twice; each value makes its own runs, so list it once (more runs of one setting: --seeds)');
  });
});

describe('settingFolders', () => {
  it('names each setting\'s folder by its values, and tells apart the settings whose names would be the same', () => {
    const long = `[${Array.from({ length: 12 }, () => '{"op":"flip"}').join(',')}]`;
    const settings = sweepSettings([`augment=${long},${long.replace(/]$/, ',{"op":"invert"}]')}`, 'data.params.dir=a/b,a_b,c']);
    const folders = settingFolders(settings);
    expect(new Set(folders).size).toBe(settings.length);
    expect(settingFolders(sweepSettings(['train.optimizer.lr=0.01,0.03']))).toEqual(['train.optimizer.lr-0.01', 'train.optimizer.lr-0.03']);
    for (const folder of folders) expect(folder.length).toBeLessThanOrEqual(120);
  });
});

