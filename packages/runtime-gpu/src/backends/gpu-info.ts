import { execFile } from 'node:child_process';

export interface GpuInfo {
  name: string;
  memoryTotalMiB: number;
  memoryFreeMiB: number;
  driverVersion: string;
}

/**
 * The CUDA devices as `nvidia-smi` reports them; an empty list when there is no NVIDIA driver or
 * device (nvidia-smi missing or failing).
 */
export function listCudaDevices(timeoutMs = 5000): Promise<GpuInfo[]> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=name,memory.total,memory.free,driver_version', '--format=csv,noheader,nounits'],
      { timeout: timeoutMs },
      (error, stdout) => {
        if (error) return resolve([]);
        resolve(parseNvidiaSmi(stdout));
      },
    );
  });
}

export function parseNvidiaSmi(stdout: string): GpuInfo[] {
  return stdout
    .split('\n')
    .map((line) => line.split(',').map((s) => s.trim()))
    .filter((cols) => cols.length >= 4 && cols[0])
    .map(([name, total, free, driver]) => ({
      name: name!,
      memoryTotalMiB: Number(total),
      memoryFreeMiB: Number(free),
      driverVersion: driver!,
    }));
}
