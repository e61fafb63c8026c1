import * as tf from '@tensorflow/tfjs-core';
import { errorMessage, installedVersion, PRIORITIES, requireOptional, type ProbeResult, type RuntimeBackendProvider } from './provider.js';

const PACKAGE = '@tensorflow/tfjs-backend-cpu';

/** tfjs-backend-cpu: plain JavaScript, one thread; always there, slowest. */
export function cpuProvider(): RuntimeBackendProvider {
  async function probe(): Promise<ProbeResult> {
    try {
      await requireOptional(PACKAGE);
      return { available: true };
    } catch (error) {
      if (installedVersion(PACKAGE) === null) {
        return { available: false, reason: `${PACKAGE} is not installed`, remedy: `Run \`npm install ${PACKAGE}@${tf.version_core}\`.` };
      }
      return { available: false, reason: `${PACKAGE} failed to load: ${errorMessage(error)}`, remedy: `Reinstall ${PACKAGE}.` };
    }
  }
  return {
    name: 'cpu',
    tfjsBackend: 'cpu',
    packageName: PACKAGE,
    description: 'Plain JavaScript on one thread (slow; convolution training takes minutes per step)',
    priority: PRIORITIES.cpu,
    probe,
    async activate() {
      const status = await probe();
      if (!status.available) throw new Error(`Backend "cpu" is unavailable: ${status.reason}. ${status.remedy}`);
      if (!(await tf.setBackend('cpu'))) throw new Error('Backend "cpu": tf.setBackend("cpu") failed');
    },
    async details() {
      return { package: PACKAGE, packageVersion: installedVersion(PACKAGE) };
    },
  };
}
