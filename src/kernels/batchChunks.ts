// Splitting a leading dimension (batch, rows) so every bound tensor's slice fits
// one storage binding and every dispatch fits the workgroup grid. WebGPU
// guarantees only 128 MiB per binding, below one thesis-size activation
// ([48, 128, 19683] floats is ~484 MB), so the kernel modules split internally.
//
// Chunks are multiples of the smallest item count q that puts every slice at a
// byte offset that is a multiple of minStorageBufferOffsetAlignment; then every
// shader reads its slice from element 0, exactly as for a whole tensor. When q
// items already exceed a binding, the plan is marked unaligned: slices are bound
// from the aligned offset below their start and the shader is told how many
// elements to skip (`base`), or the caller copies them to aligned temporaries.
import type { GpuContext } from '../gpu/context.js';

/** A whole f32/u32 tensor buffer: `size` 4-byte elements from the start of `buffer`. */
export interface ElementBuffer {
  buffer: GPUBuffer;
  size: number;
}

export interface Chunk {
  start: number;
  count: number;
}

export interface ChunkPlan {
  chunks: Chunk[];
  /** Every slice starts at an aligned byte offset (its `base` is 0). */
  aligned: boolean;
}

export interface ChunkRequest {
  /** Names the op, the shape and what to do in the error when no split exists. */
  op: string;
  shape: readonly number[];
  /** Extent of the leading dimension being split. */
  items: number;
  /** 4-byte elements per leading index of each tensor sliced along with it. */
  perItem: readonly number[];
  maxBindingBytes: number;
  alignBytes: number;
  /** Most items one dispatch may cover (from the workgroup grid limit). */
  maxItems?: number;
  /** What the caller can do when one item is too large. */
  hint?: string;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The smallest item count whose slices of every tensor are a multiple of `alignBytes` long. */
export function alignedItemMultiple(perItem: readonly number[], alignBytes: number): number {
  let q = 1;
  for (const p of perItem) {
    const need = alignBytes / gcd(p * 4, alignBytes);
    q = (q * need) / gcd(q, need);
  }
  return q;
}

export function planChunks(r: ChunkRequest): ChunkPlan {
  const itemBytes = Math.max(4, ...r.perItem.map((p) => p * 4));
  const maxItems = r.maxItems ?? Infinity;
  // The fast path: one dispatch over everything, bound exactly as before.
  if (r.items * itemBytes <= r.maxBindingBytes && r.items <= maxItems) return { chunks: r.items > 0 ? [{ start: 0, count: r.items }] : [], aligned: true };
  const cap = Math.min(Math.floor(r.maxBindingBytes / itemBytes), maxItems);
  const q = alignedItemMultiple(r.perItem, r.alignBytes);
  let size = Math.floor(cap / q) * q;
  let aligned = true;
  if (size < 1) {
    // Unaligned slices are bound from up to alignBytes − 4 bytes before their start.
    size = Math.min(Math.floor((r.maxBindingBytes - (r.alignBytes - 4)) / itemBytes), maxItems);
    aligned = false;
  }
  if (size < 1) {
    const why = maxItems < 1 ? `needs more workgroups than the grid allows` : `needs ${itemBytes} bytes, above one storage binding on this adapter (${r.maxBindingBytes} bytes)`;
    throw new Error(`${r.op}: one item of [${r.shape.join(', ')}] ${why}; ${r.hint ?? 'use shorter inputs or fewer channels'}`);
  }
  const chunks: Chunk[] = [];
  for (let start = 0; start < r.items; start += size) chunks.push({ start, count: Math.min(size, r.items - start) });
  return { chunks, aligned };
}

/** The plan for the context's binding limit and alignment. */
export function planFor(ctx: GpuContext, r: Omit<ChunkRequest, 'maxBindingBytes' | 'alignBytes'>): ChunkPlan {
  return planChunks({ ...r, maxBindingBytes: ctx.maxBindingBytes, alignBytes: ctx.limits.minStorageBufferOffsetAlignment });
}

export interface Slice {
  binding: GPUBufferBinding;
  /** Elements between the binding's start and the slice's first element. */
  base: number;
}

/** Binds `count` elements from element `start`, starting at the aligned offset at or below it. */
export function sliceOf(buf: ElementBuffer, start: number, count: number, alignBytes: number): Slice {
  const startByte = start * 4;
  const offset = startByte - (startByte % alignBytes);
  const base = (startByte - offset) / 4;
  return { binding: { buffer: buf.buffer, offset, size: Math.max(base + count, 1) * 4 }, base };
}

/** The whole buffer as one binding, refused with the op and shape named when it is too large. */
export function wholeBinding(ctx: GpuContext, buf: ElementBuffer, op: string, shape: readonly number[]): GPUBufferBinding {
  const bytes = Math.max(buf.size, 1) * 4;
  if (bytes > ctx.maxBindingBytes) throw new Error(`${op}: [${shape.join(', ')}] is ${bytes} bytes, above one storage binding on this adapter (${ctx.maxBindingBytes} bytes), and ${op} does not split it; use a smaller batch`);
  return { buffer: buf.buffer, offset: 0, size: bytes };
}
