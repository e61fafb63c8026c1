import { describe, expect, it } from 'vitest';
import { chooseBackend } from './backends.js';

describe('backends example', () => {
  it('picks the best backend present and says why the faster ones were skipped', async () => {
    const report = await chooseBackend();
    expect(report.backend).not.toBeNull();
    const tfjsBackend: Record<string, string> = { 'tensorflow-gpu': 'tensorflow', native: 'wasm' };
    expect(report.tfjsBackend).toBe(tfjsBackend[report.backend!] ?? report.backend);
    const skipped = report.candidates.filter((c) => !c.available);
    for (const c of skipped) expect(c.reason?.length).toBeGreaterThan(0);
    expect(report.reason).toMatch(/^auto/);
  });
});
