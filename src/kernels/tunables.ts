// The ops with more than one implementation that the agreement test
// (test/cnn/tunables.test.ts) measures on every adapter. reduce.sumLong has a
// second candidate only where the device has subgroups; elsewhere that test
// skips it and says so.
import { BATCHNORM_TUNABLES } from './batchnorm.js';
import { BN_RELU_POOL_BACKWARD_REDUCE } from './bnReluPool.js';
import { CONV1D_TUNABLES } from './conv1d.js';
import { MATMUL_TUNABLE } from './matmul.js';
import { MAXPOOL_BACKWARD } from './maxpool.js';
import { REDUCE_SUM_LONG } from './reduce.js';

export const ALL_TUNABLES = [...CONV1D_TUNABLES, ...BATCHNORM_TUNABLES, BN_RELU_POOL_BACKWARD_REDUCE, MATMUL_TUNABLE, MAXPOOL_BACKWARD, REDUCE_SUM_LONG] as const;
