import { pseudoLabelLines, type StrategyContext, type StreamedImageSet } from '@frugal/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationRecord } from '../self-training/self-training-state.js';
import { streamedImages } from '@frugal/core/testing';
import { patterns, tensorCounter, testFrugal, tinyContext, useTestBackend } from '../test-utils/tiny.js';

beforeAll(useTestBackend);
const dir = mkdtempSync(join(tmpdir(), 'frugal-teacher-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CLASSES = ['vertical', 'horizontal', 'checker'];
// The unlabelled patterns' own classes (image i is of class i % 3), sure on every other image only.
const unlabelled = patterns(60, 3, { hideLabels: true });
const files = Array.from({ length: 60 }, (_, i) => `u${String(i).padStart(4, '0')}.png`);
const rows = Float32Array.from({ length: 60 * 3 }, (_, k) => {
  const [i, c] = [Math.floor(k / 3), k % 3];
  const sure = i % 2 === 0 ? 0.96 : 0.5;
  return c === i % 3 ? sure : (1 - sure) / 2;
});

function labelFile(name: string, text = pseudoLabelLines(files, rows, CLASSES)): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A stream that records every image it decoded. */
function recordingStream(): StreamedImageSet & { seen: Set<number> } {
  const inner = streamedImages(unlabelled);
  const seen = new Set<number>();
  return {
    ...inner,
    seen,
    read(indices, options) {
      for (const i of Array.from(indices as ArrayLike<number>)) seen.add(i);
      return inner.read(indices, options);
    },
  };
}

function streamedContext(frugal: ReturnType<typeof testFrugal>, stream: StreamedImageSet, overrides: Partial<StrategyContext> = {}): StrategyContext {
  const base = tinyContext(frugal, overrides);
  return { ...base, data: { ...base.data, unlabelled: undefined, unlabelledStream: stream } };
}

describe('teacherLabels: the first student learns from a pseudo-label file', () => {
  it.each(['pseudo-label', 'noisy-student'])('%s selects from the file, and the teacher never labels the folder', async (strategy) => {
    const frugal = testFrugal(3);
    const stream = recordingStream();
    const counter = tensorCounter();
    const params = {
      confidenceThreshold: 0.9,
      stepsPerEpoch: 3,
      teacherLabels: labelFile(`${strategy}.jsonl`),
      ...(strategy === 'noisy-student' ? { iterations: 1, noise: { augment: [], dropout: 0, stochasticDepthRate: 0 } } : {}),
    };
    const result = await frugal.strategies.create(strategy, params).run(streamedContext(frugal, stream, { callbacks: [counter] }));
    result.model.model.dispose();
    const stats = (result.details?.generations as GenerationRecord[])[1]?.pseudoLabels;
    // The 30 images the file is sure of, 10 a class, and no other.
    expect(stats).toMatchObject({ kept: 30, perClass: [10, 10, 10] });
    expect(stats?.meanConfidence).toBeCloseTo(0.96, 6);
    // Only the images the file kept were ever decoded: the teacher's labelling pass did not run.
    expect([...stream.seen].every((i) => i % 2 === 0)).toBe(true);
    expect(stream.seen.size).toBeGreaterThan(0);
    expect(counter.flat()).toBe(true);
  });

  it('is checked before the teacher trains: an image that is not in the folder, classes of another model', async () => {
    const frugal = testFrugal(3);
    const log: string[] = [];
    const run = (file: string) => frugal.strategies.create('pseudo-label', { confidenceThreshold: 0.9, teacherLabels: file }).run(streamedContext(frugal, recordingStream(), { log: (m) => log.push(m) }));
    const stranger = labelFile('stranger.jsonl', pseudoLabelLines(['elsewhere/x.png'], Float32Array.from([1, 0, 0]), CLASSES));
    await expect(run(stranger)).rejects.toThrow(
      `pseudo-label: strategy.params.teacherLabels ${stranger} labels "elsewhere/x.png", which is not in the unlabelled folder /test/unlabelled; label that folder (frugal label --unlabelled /test/unlabelled)`,
    );
    const other = labelFile('other-classes.jsonl', pseudoLabelLines(files, rows, ['cat', 'dog', 'fox']));
    await expect(run(other)).rejects.toThrow(/other-classes\.jsonl line 1: class "cat" is label 0 there, and "vertical" here/);
    expect(log.filter((m) => m.includes('training'))).toEqual([]);
  });

  it('is refused with unlabelled images held in memory, naming what to give instead', async () => {
    const frugal = testFrugal(3);
    await expect(frugal.strategies.create('pseudo-label', { confidenceThreshold: 0.9, teacherLabels: labelFile('memory.jsonl') }).run(tinyContext(frugal))).rejects.toThrow(
      /pseudo-label: strategy\.params\.teacherLabels gives the labels of an unlabelled folder, and this run's unlabelled images are in memory/,
    );
  });
});
