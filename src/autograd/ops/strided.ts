// How autograd ops hand tensors to kernels: contiguous or broadcast reads.
import type { StridedInput } from '../../kernels/elementwise.js';
import { type Shape, broadcastStrides4, contiguousStrides, pad4 } from '../../kernels/shape.js';
import type { Tensor } from '../tensor.js';

export function contiguous(t: Tensor): StridedInput {
  return { ...t.elements(), strides: pad4(contiguousStrides(t.shape), 'strides'), offset: 0 };
}

export function broadcastRead(t: Tensor, outShape: Shape, op: string): StridedInput {
  return { ...t.elements(), strides: broadcastStrides4(t.shape, outShape, op), offset: 0 };
}

export function assertSameDevice(op: string, ...ts: Tensor[]): void {
  for (const t of ts) {
    t.assertAlive(op);
    if (t.ctx !== ts[0].ctx) throw new Error(`${op}: tensors live on different GPU devices`);
    if (t.dtype !== 'f32') throw new Error(`${op}: expects f32 tensors, got ${t.dtype}`);
  }
}
