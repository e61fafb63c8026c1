import { describe, expect, it } from 'vitest';
import { parseFieldFlags, parseValue, setFields, setLadderFields } from './recipe-fields.js';
import { UsageError } from './usage-error.js';

describe('recipe fields set from the command line', () => {
  it('reads values as JSON where they are, as text where not', () => {
    expect(parseValue('0.01')).toBe(0.01);
    expect(parseValue('true')).toBe(true);
    expect(parseValue('[1, 2]')).toEqual([1, 2]);
    expect(parseValue('{"op": "flip"}')).toEqual({ op: 'flip' });
    expect(parseValue('adam')).toBe('adam');
  });

  it('sets dotted fields in a copy, creating the sections on the way, and leaves the recipe as it was', () => {
    const recipe = { seed: 0, train: { epochs: 10, optimizer: { name: 'sgd' } } };
    const set = setFields(recipe, parseFieldFlags(['train.epochs=2', 'train.optimizer.lr=0.01', 'model.params.widthMultiplier=0.5', 'seed=3']));
    expect(set).toEqual({ seed: 3, train: { epochs: 2, optimizer: { name: 'sgd', lr: 0.01 } }, model: { params: { widthMultiplier: 0.5 } } });
    expect(recipe).toEqual({ seed: 0, train: { epochs: 10, optimizer: { name: 'sgd' } } });
  });

  it('takes a value with commas whole: one value a field', () => {
    expect(parseFieldFlags(['augment=[{"op": "flip"}, {"op": "cutout"}]'])).toEqual({ augment: [{ op: 'flip' }, { op: 'cutout' }] });
  });

  it('refuses a flag without a value, a field given twice and a field inside a value, as usage errors that say what to give', () => {
    expect(() => parseFieldFlags(['train.epochs'])).toThrow(new UsageError('--set: got "train.epochs"; expected FIELD=VALUE with a dotted recipe field, e.g. train.epochs=5'));
    expect(() => parseFieldFlags(['train.epochs='])).toThrow(/"train.epochs=" has no value/);
    expect(() => parseFieldFlags(['seed=1', 'seed=2'])).toThrow(/seed is given twice/);
    expect(() => setFields({ train: { epochs: 10 } }, { 'train.epochs.max': 3 })).toThrow(/the recipe's epochs is not a section \(it is 10\)/);
  });

  it('in a ladder, sets the shared part, or one rung by its name, and names the rungs when none has the name', () => {
    const ladder = { train: { epochs: 5 }, rungs: [{ name: 'augmentation' }, { name: 'fixmatch', train: { epochs: 180 }, strategy: { name: 'fixmatch', params: { weakViews: 2 } } }] };
    const set = setLadderFields(ladder, parseFieldFlags(['train.epochs=2', 'rungs.fixmatch.train.epochs=3', 'rungs.fixmatch.strategy.params.weakViews=1']));
    expect(set).toEqual({ train: { epochs: 2 }, rungs: [{ name: 'augmentation' }, { name: 'fixmatch', train: { epochs: 3 }, strategy: { name: 'fixmatch', params: { weakViews: 1 } } }] });
    expect(ladder.rungs[1]).toEqual({ name: 'fixmatch', train: { epochs: 180 }, strategy: { name: 'fixmatch', params: { weakViews: 2 } } });
    expect(() => setLadderFields(ladder, { 'rungs.fix.train.epochs': 1 })).toThrow(
      new UsageError('--set rungs.fix: the ladder has no rung named "fix"; its rungs are "augmentation", "fixmatch"'),
    );
  });

  it('finds a rung whose name holds dots by the longest name the field starts with', () => {
    const ladder = { rungs: [{ name: 'fix' }, { name: 'fix.v2' }] };
    expect(setLadderFields(ladder, parseFieldFlags(['rungs.fix.v2.train.epochs=3', 'rungs.fix.train.epochs=1']))).toEqual({
      rungs: [{ name: 'fix', train: { epochs: 1 } }, { name: 'fix.v2', train: { epochs: 3 } }],
    });
  });
});
