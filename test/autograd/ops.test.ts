// Every core op, forward and backward, against the float64 reference and by
// finite differences, on every adapter present. Shapes include sizes that are not
// multiples of the workgroup (256) or matmul tile (64), and length-1 dims.
import { test } from 'vitest';
import * as ag from '../../src/autograd/index.js';
import { type OpCase, checkOp, randomArr, seeded } from '../helpers/check.js';
import { describeAdapters } from '../helpers/adapters.js';
import * as ref from '../reference/ops.js';

const rand = seeded(1234);
const R = (shape: number[], positive = false) => randomArr(shape, rand, positive);

const cases: OpCase[] = [
  { name: 'add same shape 257', inputs: [R([257]), R([257])], gpu: ([a, b]) => ag.add(a, b), ref: ([a, b]) => ref.binary(a, b, (x, y) => x + y) },
  { name: 'add broadcast [3,1,5]+[4,1]', inputs: [R([3, 1, 5]), R([4, 1])], gpu: ([a, b]) => ag.add(a, b), ref: ([a, b]) => ref.binary(a, b, (x, y) => x + y) },
  { name: 'sub broadcast [2,3,7]-[3,1]', inputs: [R([2, 3, 7]), R([3, 1])], gpu: ([a, b]) => ag.sub(a, b), ref: ([a, b]) => ref.binary(a, b, (x, y) => x - y) },
  { name: 'mul broadcast [1,4]*[5,1]', inputs: [R([1, 4]), R([5, 1])], gpu: ([a, b]) => ag.mul(a, b), ref: ([a, b]) => ref.binary(a, b, (x, y) => x * y) },
  { name: 'mul scalar-like [6,1,3]*[1]', inputs: [R([6, 1, 3]), R([1])], gpu: ([a, b]) => ag.mul(a, b), ref: ([a, b]) => ref.binary(a, b, (x, y) => x * y) },
  { name: 'div broadcast [2,5]/[5]', inputs: [R([2, 5]), R([5], true)], gpu: ([a, b]) => ag.div(a, b), ref: ([a, b]) => ref.binary(a, b, (x, y) => x / y) },
  { name: 'affine 300', inputs: [R([300])], gpu: ([a]) => ag.affine(a, -1.5, 0.25), ref: ([a]) => ref.unary(a, (x) => -1.5 * x + 0.25) },
  { name: 'relu [3,1,33]', inputs: [R([3, 1, 33])], gpu: ([a]) => ag.relu(a), ref: ([a]) => ref.unary(a, (x) => Math.max(x, 0)) },
  { name: 'sigmoid 70', inputs: [R([70])], gpu: ([a]) => ag.sigmoid(a), ref: ([a]) => ref.unary(a, ref.sigmoid) },
  { name: 'exp [5,3]', inputs: [R([5, 3])], gpu: ([a]) => ag.exp(a), ref: ([a]) => ref.unary(a, Math.exp) },
  { name: 'log [9]', inputs: [R([9], true)], gpu: ([a]) => ag.log(a), ref: ([a]) => ref.unary(a, Math.log) },
  { name: 'sum axis 1 [3,300,2]', inputs: [R([3, 300, 2])], gpu: ([a]) => ag.sum(a, 1), ref: ([a]) => ref.sumAxis(a, 1, false) },
  { name: 'sum axis -1 keepDims [4,5]', inputs: [R([4, 5])], gpu: ([a]) => ag.sum(a, -1, true), ref: ([a]) => ref.sumAxis(a, 1, true) },
  { name: 'sum all [7,1,3]', inputs: [R([7, 1, 3])], gpu: ([a]) => ag.sum(a), ref: ([a]) => ref.sumAxis(a, undefined, false) },
  { name: 'sum long axis [1,1000]', inputs: [R([1, 1000])], gpu: ([a]) => ag.sum(a, 1), ref: ([a]) => ref.sumAxis(a, 1, false) },
  { name: 'mean axis 0 [6,4]', inputs: [R([6, 4])], gpu: ([a]) => ag.mean(a, 0), ref: ([a]) => ref.sumAxis(a, 0, false, true) },
  { name: 'reshape [2,6]→[3,4]', inputs: [R([2, 6])], gpu: ([a]) => ag.reshape(a, [3, -1]), ref: ([a]) => ({ shape: [3, 4], data: a.data.slice() }) },
  { name: 'transpose [3,5]', inputs: [R([3, 5])], gpu: ([a]) => ag.transpose(a), ref: ([a]) => ref.permute(a, [1, 0]) },
  { name: 'permute [2,3,1,4]', inputs: [R([2, 3, 1, 4])], gpu: ([a]) => ag.permute(a, [3, 0, 2, 1]), ref: ([a]) => ref.permute(a, [3, 0, 2, 1]) },
  { name: 'slice axis 1 [2,7,3]', inputs: [R([2, 7, 3])], gpu: ([a]) => ag.slice(a, 1, 2, 6), ref: ([a]) => ref.slice(a, 1, 2, 6) },
  { name: 'concat axis 0', inputs: [R([2, 3]), R([1, 3]), R([4, 3])], gpu: (xs) => ag.concat(xs, 0), ref: (xs) => ref.concat(xs, 0) },
  { name: 'concat axis -1 [2,1,3]+[2,1,5]', inputs: [R([2, 1, 3]), R([2, 1, 5])], gpu: (xs) => ag.concat(xs, -1), ref: (xs) => ref.concat(xs, 2) },
  { name: 'broadcastTo [3,1]→[2,3,4]', inputs: [R([3, 1])], gpu: ([a]) => ag.broadcastTo(a, [2, 3, 4]), ref: ([a]) => ref.binary(a, { shape: [2, 3, 4], data: new Float64Array(24) }, (x) => x) },
  { name: 'matmul [65,7]·[7,66]', inputs: [R([65, 7]), R([7, 66])], gpu: ([a, b]) => ag.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b) },
  { name: 'matmul large tile [257,5]·[5,130]', inputs: [R([257, 5]), R([5, 130])], gpu: ([a, b]) => ag.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b) },
  { name: 'matmul [1,1]·[1,1]', inputs: [R([1, 1]), R([1, 1])], gpu: ([a, b]) => ag.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b) },
  { name: 'matmul batched [3,5,17]·[3,17,2]', inputs: [R([3, 5, 17]), R([3, 17, 2])], gpu: ([a, b]) => ag.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b) },
  { name: 'matmul broadcast [2,4,6]·[6,3]', inputs: [R([2, 4, 6]), R([6, 3])], gpu: ([a, b]) => ag.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b) },
  { name: 'matmul broadcast [4,6]·[2,6,3]', inputs: [R([4, 6]), R([2, 6, 3])], gpu: ([a, b]) => ag.matmul(a, b), ref: ([a, b]) => ref.matmul(a, b) },
  { name: 'linear [5,70]→65 with bias', inputs: [R([5, 70]), R([65, 70]), R([65])], gpu: ([x, w, b]) => ag.linear(x, w, b), ref: ([x, w, b]) => ref.linear(x, w, b) },
  { name: 'linear [2,3,4]→1 no bias', inputs: [R([2, 3, 4]), R([1, 4])], gpu: ([x, w]) => ag.linear(x, w), ref: ([x, w]) => ref.linear(x, w) },
  { name: 'composite sigmoid(x·y)+x', inputs: [R([4, 3]), R([4, 3])], gpu: ([x, y]) => ag.add(ag.sigmoid(ag.mul(x, y)), x), ref: ([x, y]) => ref.binary(ref.unary(ref.binary(x, y, (a, b) => a * b), ref.sigmoid), x, (a, b) => a + b) },
];

await describeAdapters('ops', ({ ctx }) => {
  test.each(cases)('$name', async (c) => {
    await checkOp(ctx, c, rand);
  });
});
