// Every shader with the bindings its TS module passes per entry point; the
// conformance test checks these against what wgsl_reflect reads from the WGSL.
import { BATCHNORM, BATCHNORM_SUBGROUPS } from './batchnorm.js';
import { BCE } from './bce.js';
import { BN_RELU_POOL, BN_RELU_POOL_SUBGROUPS } from './bnReluPool.js';
import { CONV1D_SHADERS } from './conv1dKernels.js';
import { MAXPOOL } from './maxpool.js';
import { NTXENT } from './ntxent.js';
import { COPY } from './copy.js';
import { DROPOUT } from './dropout.js';
import { ELEMENTWISE } from './elementwise.js';
import { MATMUL } from './matmul.js';
import { OPTIM } from './optim.js';
import { REDUCE, REDUCE_SUBGROUPS } from './reduce.js';

export interface ShaderEntry {
  name: string;
  source: string;
  entries: Readonly<Record<string, readonly string[]>>;
}

export const SHADERS: readonly ShaderEntry[] = [ELEMENTWISE, COPY, REDUCE, MATMUL, DROPOUT, OPTIM,
  ...CONV1D_SHADERS,
  MAXPOOL,
  BATCHNORM,
  BN_RELU_POOL,
  BCE,
  NTXENT,
];

/** Shaders that need an optional device feature (`feature`): compiled only where the device has it. */
export const OPTIONAL_SHADERS: readonly (ShaderEntry & { feature: GPUFeatureName })[] = [BATCHNORM_SUBGROUPS, BN_RELU_POOL_SUBGROUPS, REDUCE_SUBGROUPS];
