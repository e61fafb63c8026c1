import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * How OpenMP's threads wait between kernels, chosen once, when the addon loads (OpenMP reads it
 * then): `spin` keeps them spinning a few milliseconds before they sleep (OpenMP's default, and
 * PyTorch's), `sleep` puts them to sleep at once (OMP_WAIT_POLICY=passive), `environment` means
 * OMP_WAIT_POLICY or GOMP_SPINCOUNT was set by the user and is left as it is.
 *
 * Measured on the 2-vCPU development machine (ResNet-20, two threads): spinning trains 260 images/s
 * and infers 1002 where sleeping does 187 and 669 (waking a sleeping thread costs about 0.3 ms
 * there); but beside one other busy process, spinning collapses to 71 and 253 while sleeping keeps
 * 179 and 682. So the threads spin when no other process is running at load time, and sleep when
 * one is.
 */
export type WaitPolicy = 'spin' | 'sleep' | 'environment';

let chosen: WaitPolicy | undefined;

/** Processes running now besides this one, from /proc/stat (0 where it cannot be read). */
function othersRunning(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('procs_running '));
    return Math.max(0, Number(line?.split(' ')[1] ?? 1) - 1);
  } catch {
    return 0;
  }
}

/**
 * Whether other work is taking cores now: the fewest other tasks running over a few samples
 * (~20 ms), against the cores. Work that holds a core is running in every sample; a task that runs
 * for a moment (this process's own start-up threads, the kernel's) is not load, and on an idle
 * 2-vCPU machine one shows in about one start in two.
 */
export function machineBusy(samples = 5, cores = availableParallelism(), running: () => number = othersRunning): boolean {
  let fewest = Infinity;
  for (let i = 0; i < samples; i++) {
    fewest = Math.min(fewest, running());
    if (i + 1 < samples) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4);
  }
  return fewest >= Math.max(1, Math.floor(cores / 2));
}

/** Sets OpenMP's wait policy for this process (before the addon loads) and says which it is. */
export function chooseWaitPolicy(busy: () => boolean = machineBusy): WaitPolicy {
  if (chosen) return chosen;
  if (process.env['OMP_WAIT_POLICY'] !== undefined || process.env['GOMP_SPINCOUNT'] !== undefined) chosen = 'environment';
  else if (busy()) {
    process.env['OMP_WAIT_POLICY'] = 'passive';
    chosen = 'sleep';
  } else chosen = 'spin';
  return chosen;
}

/** The wait policy chosen when the addon loaded, if it has. */
export function waitPolicy(): WaitPolicy | undefined {
  return chosen;
}

/**
 * Above how many values the addon's memory-bound loops (element-wise, batch norm, sums) take every
 * thread: where threads sleep between kernels, waking one costs more than it saves below about 2^20
 * values (a 500k-value ReLU or batch norm was slower on two threads than on one); where they spin,
 * a second thread pays from about 2^15.
 */
export function parallelAbove(policy: WaitPolicy, env: NodeJS.ProcessEnv = process.env): number {
  const sleeping = policy === 'sleep' || (policy === 'environment' && env['OMP_WAIT_POLICY']?.toLowerCase() === 'passive');
  return sleeping ? 2 ** 20 : 2 ** 15;
}
