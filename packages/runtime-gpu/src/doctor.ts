import * as tf from '@tensorflow/tfjs-core';
import os from 'node:os';
import { createBackendProviders, type BackendProviderOptions } from './backends/providers.js';
import { installedVersion, type BackendName, type RuntimeBackendProvider } from './backends/provider.js';
import { WASM_TRAINING_KERNELS } from './kernels/wasm/register.js';
import { currentBackendChoice } from './use-backend.js';

export interface BackendCandidate {
  name: BackendName;
  priority: number;
  available: boolean;
  reason?: string;
  remedy?: string;
}

/** What `doctor()` and `useBackend()` report. */
export interface DeviceReport {
  /** The chosen backend, or null when none was chosen yet (then `reason` says what auto would take). */
  backend: BackendName | null;
  /** The tfjs backend that is active now. */
  tfjsBackend: string | null;
  reason: string;
  candidates: BackendCandidate[];
  versions: Record<string, string | null>;
  /** Facts from the backend: SIMD, threads, wasm folder, GPU name and memory on CUDA. */
  backendDetails: Record<string, string | number | boolean | null>;
  /** Threads the chosen backend computes with. */
  threads: number | null;
  cpu: { model: string; cores: number };
  memory: { totalMiB: number; freeMiB: number; processRssMiB: number; tensorMiB: number };
  /** Kernels this package registers on wasm. */
  wasmTrainingKernels: string[];
}

const MiB = 1024 * 1024;

/** Builds the report for `provider` (active). */
export async function deviceReport(
  provider: RuntimeBackendProvider | undefined,
  reason: string,
  candidates: BackendCandidate[],
): Promise<DeviceReport> {
  const details = provider ? await provider.details() : {};
  const cpus = os.cpus();
  const threads =
    provider?.name === 'wasm'
      ? ((details['threadsInWasm'] as number | null) ?? 1)
      : provider?.name === 'native'
        ? ((details['nativeThreads'] as number | null) ?? 1)
      : provider?.name === 'cpu'
        ? 1
        : provider
          ? cpus.length
          : null;
  return {
    backend: provider?.name ?? null,
    tfjsBackend: safeBackendName(),
    reason,
    candidates,
    versions: {
      node: process.versions.node,
      'tfjs-core': tf.version_core,
      'tfjs-layers': installedVersion('@tensorflow/tfjs-layers'),
      'tfjs-backend-wasm': installedVersion('@tensorflow/tfjs-backend-wasm'),
      'tfjs-backend-cpu': installedVersion('@tensorflow/tfjs-backend-cpu'),
      'tfjs-node': installedVersion('@tensorflow/tfjs-node'),
      'tfjs-node-gpu': installedVersion('@tensorflow/tfjs-node-gpu'),
      '@frugal/runtime-gpu': installedVersion('@frugal/runtime-gpu'),
    },
    backendDetails: details,
    threads,
    cpu: { model: cpus[0]?.model ?? 'unknown', cores: cpus.length },
    memory: {
      totalMiB: Math.round(os.totalmem() / MiB),
      freeMiB: Math.round(os.freemem() / MiB),
      processRssMiB: Math.round(process.memoryUsage().rss / MiB),
      tensorMiB: safeBackendName() ? Math.round(tf.memory().numBytes / MiB) : 0,
    },
    wasmTrainingKernels: WASM_TRAINING_KERNELS.map((k) => k.kernelName),
  };
}

function safeBackendName(): string | null {
  try {
    return tf.engine().backendName ?? null;
  } catch {
    return null;
  }
}

/**
 * The device report: the backend chosen by `useBackend` (or, if none was, what `auto` would take —
 * nothing is activated), every backend with whether it can run here and if not why, versions,
 * SIMD, threads, memory, and the GPU's name and memory on CUDA.
 */
export async function doctor(options: BackendProviderOptions = {}): Promise<DeviceReport> {
  const providers = createBackendProviders(options);
  const candidates: BackendCandidate[] = [];
  for (const provider of Object.values(providers).sort((a, b) => b.priority - a.priority)) {
    const status = await provider.probe();
    candidates.push(
      status.available
        ? { name: provider.name, priority: provider.priority, available: true }
        : { name: provider.name, priority: provider.priority, available: false, reason: status.reason, remedy: status.remedy },
    );
  }
  const chosen = currentBackendChoice();
  if (chosen) return deviceReport(providers[chosen.name], chosen.reason, candidates);
  const best = candidates.find((c) => c.available);
  return deviceReport(
    undefined,
    best ? `no backend chosen yet; useBackend('auto') would take "${best.name}"` : 'no backend can run here',
    candidates,
  );
}

/** The report as lines of text (for `frugal doctor`). */
export function formatDeviceReport(report: DeviceReport): string {
  const lines = [
    `backend: ${report.backend ?? '(none chosen)'}${report.tfjsBackend ? ` (tfjs backend "${report.tfjsBackend}")` : ''}`,
    `why: ${report.reason}`,
    'backends:',
    ...report.candidates.map(
      (c) => `  ${c.available ? '✓' : '✗'} ${c.name} (priority ${c.priority})${c.available ? '' : `: ${c.reason}${c.remedy ? ` — ${c.remedy}` : ''}`}`,
    ),
    `versions: ${Object.entries(report.versions)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    ...Object.entries(report.backendDetails).map(([k, v]) => `${k}: ${v ?? 'n/a'}`),
    `threads: ${report.threads ?? 'n/a'}`,
    `cpu: ${report.cpu.model} × ${report.cpu.cores}`,
    `memory: ${report.memory.freeMiB} MiB free of ${report.memory.totalMiB} MiB; process ${report.memory.processRssMiB} MiB; tensors ${report.memory.tensorMiB} MiB`,
    `wasm training kernels: ${report.wasmTrainingKernels.join(', ')}`,
  ];
  return lines.join('\n');
}
