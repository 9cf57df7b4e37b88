// The ops with more than one implementation that the agreement test
// (test/cnn/tunables.test.ts) measures on every adapter. reduce.sumLong
// (reduce.ts: tree | subgroup) is not listed yet: on an adapter without
// subgroups it has one candidate, which that test counts as a failure; its
// subgroup form is checked against float64 in test/shaders/subgroupReductions.test.ts.
import { BATCHNORM_TUNABLES } from './batchnorm.js';
import { BN_RELU_POOL_BACKWARD_REDUCE } from './bnReluPool.js';
import { CONV1D_TUNABLES } from './conv1d.js';
import { MATMUL_TUNABLE } from './matmul.js';
import { MAXPOOL_BACKWARD } from './maxpool.js';

export const ALL_TUNABLES = [...CONV1D_TUNABLES, ...BATCHNORM_TUNABLES, BN_RELU_POOL_BACKWARD_REDUCE, MATMUL_TUNABLE, MAXPOOL_BACKWARD] as const;
