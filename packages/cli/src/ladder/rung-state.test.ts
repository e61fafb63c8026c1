import { createFrugal, validateRecipe, type Recipe } from '@frugal/core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPlugins } from '../default-plugins.js';
import { UsageError } from '../usage-error.js';
import { rungState } from './rung-state.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-rung-state-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const frugal = createFrugal({ plugins: defaultPlugins() });
const recipe = (epochs: number): Recipe =>
  validateRecipe({ data: { dataset: 'mnist', labelledPerClass: 10 }, model: { name: 'resnet8' }, train: { epochs } }, frugal, 'recipe');

/** A rung's run directory holding `files` (paths under it, and their text), with the recipe `runRecipe` would record. */
function runDir(name: string, files: Record<string, string>, recorded = recipe(3)): string {
  const dir = join(root, name);
  for (const [file, text] of Object.entries({ 'recipe.json': `${JSON.stringify(recorded, null, 2)}\n`, ...files })) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe('a rung run directory, read for frugal ladder --resume', () => {
  it('is empty without a recorded recipe', () => {
    expect(rungState(join(root, 'nothing'), recipe(3), 'rung')).toEqual({ kind: 'empty' });
  });

  it('starts over when stopped before its first checkpoint, and resumes from a checkpoint, its own or a training\'s inside it', () => {
    expect(rungState(runDir('unsaved', { 'metrics.jsonl': '' }), recipe(3), 'rung')).toEqual({ kind: 'unsaved' });
    expect(rungState(runDir('own', { 'checkpoints/latest.json': '{}' }), recipe(3), 'rung')).toEqual({ kind: 'interrupted' });
    expect(rungState(runDir('inside', { 'generation-1/checkpoints/latest.json': '{}' }), recipe(3), 'rung')).toEqual({ kind: 'interrupted' });
  });

  it('is finished with its model, summary and report, and gives back what the run gave', () => {
    const summary = { data: { labelled: 100, unlabelled: 900, test: 200 }, seconds: 12.5, evaluation: { accuracy: 0.75 } };
    const files = { 'summary.json': JSON.stringify(summary), 'model/model.json': '{}', 'report.html': '' };
    expect(rungState(runDir('finished', files), recipe(3), 'rung')).toEqual({
      kind: 'finished',
      result: { strategy: 'supervised', accuracy: 0.75, labelled: 100, unlabelled: 900, seconds: 12.5 },
    });
    // Without its report it is not: the run resumes, and writes it.
    const { 'report.html': _report, ...withoutReport } = files;
    expect(rungState(runDir('no-report', withoutReport), recipe(3), 'rung')).toEqual({ kind: 'unsaved' });
  });

  it('resumes a run recorded before a train field with a default was added, and refuses it once that field is set otherwise', () => {
    const { balanceClasses: _added, ...olderTrain } = recipe(3).train;
    const older = { ...recipe(3), train: olderTrain } as unknown as Recipe;
    const dir = runDir('older', { 'checkpoints/latest.json': '{}' }, older);
    expect(rungState(dir, recipe(3), 'rung')).toEqual({ kind: 'interrupted' });
    const balanced = validateRecipe({ ...recipe(3), train: { ...recipe(3).train, balanceClasses: true } }, frugal, 'recipe');
    expect(() => rungState(dir, balanced, 'rung')).toThrow(/holds a run of another recipe/);
  });

  it('refuses a run of another recipe, naming the rung and the folder', () => {
    const dir = runDir('other', { 'checkpoints/latest.json': '{}' }, recipe(5));
    expect(() => rungState(dir, recipe(3), 'ladder.yaml rung "fixmatch"')).toThrow(
      new UsageError(
        `ladder.yaml rung "fixmatch": ${dir} holds a run of another recipe (the ladder file or its flags changed since that climb); ` +
          'climb with the same file and flags to resume, or pass --force to climb it again',
      ),
    );
  });
});
