import { closestName, FrugalInputError } from '@frugal/core';
import { createBackendProviders, isBackendName, type BackendProviderOptions } from './backends/providers.js';
import { BACKEND_NAMES, errorMessage, type BackendName, type RuntimeBackendProvider } from './backends/provider.js';
import { deviceReport, type BackendCandidate, type DeviceReport } from './doctor.js';

/** The backend chosen last in this process (tfjs has one active backend per process). */
export interface BackendChoice {
  readonly name: BackendName;
  readonly reason: string;
  readonly candidates: readonly BackendCandidate[];
}

let current: BackendChoice | undefined;

/** What `useBackend` chose last in this process, if anything. */
export function currentBackendChoice(): BackendChoice | undefined {
  return current;
}

/**
 * Activates a backend and returns the device report. `'auto'` takes the best one present
 * (tensorflow-gpu > tensorflow > wasm > cpu); a named backend that cannot run here is an error that
 * says why (not installed, libtensorflow failed to load, no CUDA device) and what to do.
 */
export async function useBackend(name: BackendName | 'auto' = 'auto', options: BackendProviderOptions = {}): Promise<DeviceReport> {
  const providers = createBackendProviders(options);
  if (name !== 'auto' && !isBackendName(name)) {
    const close = closestName(String(name), ['auto', ...BACKEND_NAMES]);
    throw new FrugalInputError(`Unknown backend "${String(name)}"${close ? ` (did you mean "${close}"?)` : ''}. Known backends: auto, ${BACKEND_NAMES.join(', ')}.`);
  }
  const order: RuntimeBackendProvider[] =
    name === 'auto' ? Object.values(providers).sort((a, b) => b.priority - a.priority) : [providers[name]];
  const candidates: BackendCandidate[] = [];
  for (const provider of order) {
    const status = await provider.probe();
    if (!status.available) {
      candidates.push({ name: provider.name, priority: provider.priority, available: false, reason: status.reason, remedy: status.remedy });
      if (name !== 'auto') {
        throw new FrugalInputError(`Backend "${provider.name}" is unavailable: ${status.reason}. ${status.remedy}`);
      }
      continue;
    }
    try {
      await provider.activate();
    } catch (error) {
      if (name !== 'auto') throw error;
      candidates.push({ name: provider.name, priority: provider.priority, available: false, reason: errorMessage(error), remedy: '' });
      continue;
    }
    candidates.push({ name: provider.name, priority: provider.priority, available: true });
    const skipped = candidates.filter((c) => !c.available).map((c) => `${c.name}: ${c.reason}`);
    const reason =
      name === 'auto'
        ? `auto: the best backend present${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}`
        : `asked for "${name}"`;
    current = { name: provider.name, reason, candidates };
    return deviceReport(provider, reason, candidates);
  }
  throw new Error(
    `No backend could start. ${candidates.map((c) => `${c.name}: ${c.reason}${c.remedy ? ` (${c.remedy})` : ''}`).join('; ')}`,
  );
}
