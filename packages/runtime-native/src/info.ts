import { loadAddon } from './addon.js';
import { nativePrecision, type Precision } from './precision.js';
import { nativeThreads } from './threads.js';
import { waitPolicy, type WaitPolicy } from './wait-policy.js';

/** What the device report shows of the native kernels. */
export interface NativeInfo {
  oneDNN: string;
  /** The oneDNN library file the addon loaded. */
  oneDNNLibrary: string;
  isa: string;
  threads: number;
  /** What the convolutions compute in (see `setNativePrecision`). */
  precision: Precision;
  /** How the threads wait between kernels (see `chooseWaitPolicy`). */
  waitPolicy: WaitPolicy | null;
  cores: number;
  addon: string;
}

/** Versions, instruction set and threads of the loaded addon, or null when it is absent. */
export function nativeInfo(): NativeInfo | null {
  const status = loadAddon();
  if (!status.available) return null;
  const info = status.addon.info();
  return { oneDNN: info.dnnl, oneDNNLibrary: info.library, isa: info.isa, threads: nativeThreads(), precision: nativePrecision(), waitPolicy: waitPolicy() ?? null, cores: info.cores, addon: status.path };
}
