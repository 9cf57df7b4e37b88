// Every op with more than one implementation, for the tune command, the
// agreement tests and the readiness table.
import { BATCHNORM_TUNABLES } from './batchnorm.js';
import { BN_RELU_POOL_BACKWARD_REDUCE } from './bnReluPool.js';
import { CONV1D_TUNABLES } from './conv1d.js';
import { MATMUL_TUNABLE } from './matmul.js';
import { MAXPOOL_BACKWARD } from './maxpool.js';

export const ALL_TUNABLES = [...CONV1D_TUNABLES, ...BATCHNORM_TUNABLES, BN_RELU_POOL_BACKWARD_REDUCE, MATMUL_TUNABLE, MAXPOOL_BACKWARD] as const;
