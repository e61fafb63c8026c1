import { formatDeviceReport, useBackend, type BackendName } from '@frugal/runtime-gpu';
import type { Output } from '../output.js';

/** `frugal doctor` — the backend chosen and why, versions, threads/SIMD, GPU when present. */
export async function doctor(flags: { backend?: string }, out: Output): Promise<number> {
  const report = await useBackend((flags.backend ?? 'auto') as BackendName | 'auto');
  out.result(report, () => formatDeviceReport(report));
  return 0;
}
