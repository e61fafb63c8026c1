import { describe, expect, it } from 'vitest';
import { pseudoLabelLines } from './label-lines.js';

describe('pseudoLabelLines', () => {
  it('one JSON line per image: the top class by name and index, its probability and the float32 softmax', () => {
    const probabilities = Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.25, 0.25]);
    const text = pseudoLabelLines(['a.png', 'b/c.png'], probabilities, ['cat', 'dog', 'fox']);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual({ file: 'a.png', class: 'dog', label: 1, confidence: Math.fround(0.7), probabilities: Array.from(probabilities.subarray(0, 3)) });
    expect(JSON.parse(lines[1]!)).toMatchObject({ file: 'b/c.png', class: 'cat', label: 0, confidence: 0.5 });
  });
});
