import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, doctorHere, frugalSync, oneCleanLine, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

const cwd = mkdtempSync(join(tmpdir(), 'frugal-precision-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
requireBuiltCli();
const here = doctorHere(cwd);
const bfloat16Here = here.bfloat16;
const skipped = bfloat16Here ? '' : ` (skipped: ${here.isa ? `this CPU's instruction set, ${here.isa}, has no bfloat16 arithmetic` : `the native backend is not available (auto chose ${here.backend})`})`;

/** A recipe on the bars images whose convolutions have channels enough for oneDNN's bfloat16 kernels. */
const recipe = (name: string, extra: Record<string, unknown> = {}) =>
  barsRecipe(cwd, 2, { name, backend: 'native', threads: 1, model: { name: 'resnet8', params: { widthMultiplier: 1 } }, ...extra });

/** The final training loss a run recorded. */
const lastLoss = (run: string): number => {
  const lines = readFileSync(join(cwd, 'runs', run, 'metrics.jsonl'), 'utf8').trim().split('\n');
  return (JSON.parse(lines[lines.length - 1]!) as { loss: number }).loss;
};

describe('frugal --precision', () => {
  beforeAll(async () => {
    await writeBarsFolder(join(cwd, 'train'), 4, 0);
    await writeBarsFolder(join(cwd, 'test'), 2, 5);
  });

  it('refuses a precision other than float32 and bfloat16, with exit 2 and the fix', () => {
    const r = frugalSync(['--precision', 'half', 'doctor'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'frugal: --precision half: give float32 or bfloat16 (bfloat16: the native backend\'s convolutions in bfloat16, on CPUs with AVX512-BF16 or AMX).',
    );
  });

  it("refuses a recipe's precision other than float32 and bfloat16, naming the field", () => {
    writeFileSync(join(cwd, 'bad-precision.json'), JSON.stringify(recipe('bad', { precision: 'float16' })));
    const r = frugalSync(['train', 'bad-precision.json'], cwd);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/precision/);
  });

  it('refuses bfloat16 on a backend that computes in float32 only', () => {
    writeFileSync(join(cwd, 'wasm-bf16.json'), JSON.stringify(recipe('wasm-bf16', { backend: 'wasm', precision: 'bfloat16' })));
    const r = frugalSync(['train', 'wasm-bf16.json'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toBe(
      'frugal: precision bfloat16 runs on the native backend only, and this run got "wasm"; use --backend native, or precision float32.',
    );
  });

  it("reads a ladder file's precision: bfloat16 refused on wasm, and a bad one named", () => {
    const ladder = (precision: string) =>
      [
        `precision: ${precision}`,
        'backend: wasm',
        'seed: 1',
        `data: { dataset: image-folder, params: { dir: ${join(cwd, 'train')}, testDir: ${join(cwd, 'test')}, size: 12, color: grayscale, resize: exact } }`,
        'model: { name: resnet8, params: { widthMultiplier: 0.25 } }',
        'train: { epochs: 1, batchSize: 8 }',
        'rungs:',
        '  - name: plain',
        '',
      ].join('\n');
    writeFileSync(join(cwd, 'ladder-bf16.yaml'), ladder('bfloat16'));
    const refused = frugalSync(['ladder', 'ladder-bf16.yaml', '--run-dir', join(cwd, 'runs', 'ladder-bf16')], cwd);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n').pop()).toBe(
      'frugal: precision bfloat16 runs on the native backend only, and this run got "wasm"; use --backend native, or precision float32.',
    );
    writeFileSync(join(cwd, 'ladder-half.yaml'), ladder('half'));
    const bad = frugalSync(['ladder', 'ladder-half.yaml', '--run-dir', join(cwd, 'runs', 'ladder-half')], cwd);
    expect(bad.code).toBe(2);
    expect(oneCleanLine(bad.stderr)).toBe(true);
    expect(bad.stderr).toMatch(/precision/);
  });

  it.skipIf(!bfloat16Here)(`trains in the recipe's bfloat16, the same numbers run after run, and --precision float32 wins${skipped}`, () => {
    writeFileSync(join(cwd, 'bf16.json'), JSON.stringify(recipe('bf16', { precision: 'bfloat16' })));
    const runs = ['bf16-a', 'bf16-b'].map((name) => {
      const r = frugalSync(['train', 'bf16.json', '--run-dir', join(cwd, 'runs', name), '--force'], cwd);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/Backend: native \(1 thread, bfloat16\)/);
      return lastLoss(name);
    });
    expect(runs[1]).toBe(runs[0]);
    const f32 = frugalSync(['--precision', 'float32', 'train', 'bf16.json', '--run-dir', join(cwd, 'runs', 'f32'), '--force'], cwd);
    expect(f32.code, f32.stderr).toBe(0);
    expect(f32.stderr).toMatch(/Backend: native \(1 thread\)/);
    expect(lastLoss('f32')).not.toBe(runs[0]);
    expect(Math.abs(lastLoss('f32') - runs[0]!)).toBeLessThan(0.5 * Math.abs(runs[0]!) + 0.05);
  });

  it.skipIf(!bfloat16Here)(`reports the precision in doctor${skipped}`, () => {
    const r = frugalSync(['--json', '--precision', 'bfloat16', 'doctor'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { backendDetails: Record<string, unknown> }).backendDetails['precision']).toBe('bfloat16');
  });
});
