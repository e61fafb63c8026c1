export { loadAddon, ADDON_PATH, BUILD_COMMAND } from './addon.js';
export type { AddonStatus, NativeAddon } from './addon.js';
export { setNativeThreads, nativeThreads, defaultThreads, THREADS_ENV } from './threads.js';
export { registerNativeKernels, unregisterNativeKernels, nativeKernelsRegistered, NATIVE_KERNELS, NATIVE_GRADIENTS } from './kernels/register.js';
export { nativeInfo } from './info.js';
export type { NativeInfo } from './info.js';
export { chooseWaitPolicy, waitPolicy, machineBusy } from './wait-policy.js';
export type { WaitPolicy } from './wait-policy.js';
