import { formatDeviceReport, useBackend } from '@frugal/runtime-gpu';

/** Activates the fastest backend present and prints what was chosen, and why. */
export async function chooseBackend() {
  const report = await useBackend('auto');
  console.log(formatDeviceReport(report));
  return report;
}
