// Browser bundle entry: the runtime, layers and models, without Node-only code.
export * from './autograd/index.js';
export * from './nn/index.js';
export * from './models/index.js';
export { getDevice } from './gpu/device.js';
export type { GpuContext } from './gpu/context.js';
