import { describe, expect, it } from 'vitest';
import { chooseBackend } from './backends.js';

describe('backends example', () => {
  it('picks the best backend present and says why the faster ones were skipped', async () => {
    const report = await chooseBackend();
    expect(report.backend).not.toBeNull();
    expect(report.tfjsBackend).toBe(report.backend === 'tensorflow-gpu' ? 'tensorflow' : report.backend);
    const skipped = report.candidates.filter((c) => !c.available);
    for (const c of skipped) expect(c.reason?.length).toBeGreaterThan(0);
    expect(report.reason).toMatch(/^auto/);
  });
});
