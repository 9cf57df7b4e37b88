// Tensor: a shaped view of a reference-counted GPU buffer, plus its place in the
// autograd graph. Views (reshape, detach) share storage; the buffer returns to
// the pool when the last view is disposed.
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import { type Shape, assertShape, contiguousStrides, sizeOf } from '../kernels/shape.js';
import { type Disposable, track } from './scope.js';

export type DType = 'f32' | 'u32' | 'i32';
export type TypedArrayFor<D extends DType> = D extends 'f32' ? Float32Array : D extends 'u32' ? Uint32Array : Int32Array;

class Storage {
  refs = 1;
  constructor(readonly ctx: GpuContext, readonly buffer: GPUBuffer, readonly bytes: number) {}
  release(): void {
    if (--this.refs === 0) this.ctx.storage.release(this.buffer);
  }
}

/**
 * The op that produced a tensor, as recorded by tape.ts's record(): defined
 * here beside Tensor, which holds one, so the two files do not import each other.
 */
export interface GradNode {
  op: string;
  inputs: readonly Tensor[];
  /** Tensors the op computed in forward for its backward only (statistics, argmax, …). */
  saved: readonly Tensor[];
  /** Gradients for each input given the output's gradient; null where not needed. */
  backward(grad: Tensor): (Tensor | null)[];
}

let nextId = 1;

export class Tensor implements Disposable {
  readonly id = nextId++;
  readonly size: number;
  requiresGrad = false;
  /** Accumulated gradient of a leaf (or of a tensor with retainGrad). */
  grad: Tensor | null = null;
  /** The op that produced this tensor, when it was recorded for backward. */
  node: GradNode | null = null;
  retainGrad = false;
  name = '';
  private _disposed = false;

  private constructor(readonly ctx: GpuContext, readonly shape: readonly number[], readonly dtype: DType, private storage: Storage) {
    this.size = sizeOf(shape);
    track(this);
  }

  /** Uninitialised; for kernel outputs (GPU-written, so a just-released buffer may be reused). */
  static empty(ctx: GpuContext, shape: Shape, dtype: DType = 'f32'): Tensor {
    return Tensor.allocate(ctx, shape, dtype, false);
  }

  private static allocate(ctx: GpuContext, shape: Shape, dtype: DType, hostWrite: boolean): Tensor {
    assertShape(shape, 'Tensor.empty');
    const bytes = Math.max(sizeOf(shape) * 4, 4);
    return new Tensor(ctx, [...shape], dtype, new Storage(ctx, ctx.storage.acquire(bytes, hostWrite), bytes));
  }

  static fromData(ctx: GpuContext, data: ArrayLike<number>, shape: Shape, dtype: DType = 'f32'): Tensor {
    if (data.length !== sizeOf(shape)) throw new Error(`Tensor.fromData: ${data.length} values do not fill shape [${shape.join(', ')}] (${sizeOf(shape)} elements)`);
    const t = Tensor.allocate(ctx, shape, dtype, true);
    const arr = dtype === 'f32' ? Float32Array.from(data) : dtype === 'u32' ? Uint32Array.from(data) : Int32Array.from(data);
    if (arr.length) ctx.write(t.storage.buffer, arr);
    return t;
  }

  static zeros(ctx: GpuContext, shape: Shape, dtype: DType = 'f32'): Tensor {
    const t = Tensor.empty(ctx, shape, dtype);
    ctx.clear(t.storage.buffer, 0, Math.ceil(t.storage.bytes / 4) * 4);
    return t;
  }

  get disposed(): boolean {
    return this._disposed;
  }

  get rank(): number {
    return this.shape.length;
  }

  get strides(): number[] {
    return contiguousStrides(this.shape);
  }

  /**
   * The buffer to bind, sized to this tensor and checked against the binding
   * limit, for ops that never split their inputs; `op` names the op in the error.
   */
  binding(op = 'this op'): BufferBinding {
    this.assertAlive('binding');
    const bytes = Math.max(this.size * 4, 4);
    const limit = this.ctx.maxBindingBytes;
    if (bytes > limit) throw new Error(`${op}: tensor [${this.shape.join(', ')}] is ${bytes} bytes, above one storage binding on this adapter (${limit} bytes), and ${op} does not split tensors: use a smaller batch`);
    return { buffer: this.storage.buffer, offset: 0, size: Math.ceil(bytes / 4) * 4 };
  }

  /** The whole tensor for kernels that split large tensors themselves. */
  elements(): { buffer: GPUBuffer; size: number } {
    this.assertAlive('elements');
    return { buffer: this.storage.buffer, size: this.size };
  }

  get buffer(): GPUBuffer {
    this.assertAlive('buffer');
    return this.storage.buffer;
  }

  /** A new handle on the same storage with another shape (same element count). */
  view(shape: Shape): Tensor {
    this.assertAlive('view');
    if (sizeOf(shape) !== this.size) throw new Error(`view: cannot view [${this.shape.join(', ')}] as [${shape.join(', ')}]`);
    this.storage.refs++;
    return new Tensor(this.ctx, [...shape], this.dtype, this.storage);
  }

  assertAlive(what: string): void {
    if (this._disposed) throw new Error(`${what}: tensor #${this.id}${this.name ? ` (${this.name})` : ''} [${this.shape.join(', ')}] was already disposed`);
  }

  async read(): Promise<TypedArrayFor<DType>> {
    this.assertAlive('read');
    const bytes = await this.ctx.read(this.storage.buffer, this.size * 4);
    if (this.dtype === 'u32') return new Uint32Array(bytes);
    if (this.dtype === 'i32') return new Int32Array(bytes);
    return new Float32Array(bytes);
  }

  /** Reads a one-element tensor as a number. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new Error(`item: tensor has ${this.size} elements, expected 1`);
    return (await this.read())[0];
  }

  /** Overwrites the contents from host data (same element count). */
  write(data: ArrayLike<number>): void {
    this.assertAlive('write');
    if (data.length !== this.size) throw new Error(`write: ${data.length} values for a tensor of ${this.size}`);
    const arr = this.dtype === 'f32' ? Float32Array.from(data) : this.dtype === 'u32' ? Uint32Array.from(data) : Int32Array.from(data);
    // queue.writeBuffer overtakes unsubmitted commands; submit them first so
    // earlier reads of this tensor see the old contents.
    this.ctx.submit();
    if (arr.length) this.ctx.write(this.storage.buffer, arr);
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.storage.release();
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
    this.node = null;
  }

  toString(): string {
    return `Tensor#${this.id}[${this.shape.join(', ')}]${this.dtype === 'f32' ? '' : ` ${this.dtype}`}${this.requiresGrad ? ' requiresGrad' : ''}`;
  }
}
