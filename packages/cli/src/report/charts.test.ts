import { afterEach, describe, expect, it, vi } from 'vitest';
import { confusionSpec, ladderSpec, renderSvg } from './charts.js';

describe('charts', () => {
  afterEach(() => vi.restoreAllMocks());

  it('draws the ladder in the rungs\' order, without Vega warnings', async () => {
    const warn = vi.spyOn(console, 'warn');
    const svg = await renderSvg(ladderSpec([{ rung: 'supervised', accuracy: 0.48 }, { rung: '+ augmentation', accuracy: 0.73 }], 'ladder'));
    expect(svg.indexOf('>supervised<')).toBeGreaterThan(0);
    expect(svg.indexOf('>supervised<')).toBeLessThan(svg.indexOf('>+ augmentation<'));
    expect(svg).toContain('73.0%');
    expect(warn).not.toHaveBeenCalled();
  });

  it('draws a confusion matrix with every count, without Vega warnings', async () => {
    const warn = vi.spyOn(console, 'warn');
    const svg = await renderSvg(confusionSpec([[7, 2], [3, 11]], ['cat', 'dog'], 'confusion'));
    for (const n of ['>7<', '>2<', '>3<', '>11<']) expect(svg).toContain(n);
    expect(warn).not.toHaveBeenCalled();
  });
});
