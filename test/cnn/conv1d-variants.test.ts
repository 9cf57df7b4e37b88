// Every candidate of every conv1d op (src/kernels/conv1d.ts: CONV1D_TUNABLES),
// pinned through the context, against the float64 reference on every shape it
// applies to, called through the kernel module's exported functions
// with every operand bound at a non-zero offset inside a larger buffer whose
// guard regions hold 1e30: a kernel that ignored the offset or read/wrote outside
// its binding would pick those up or change them.
// Tolerances: forward atol 1e-4 + rtol 1e-4; grad-input atol 2e-4 + rtol 1e-3;
// grad-weight and grad-bias sum up to ~4000 products, atol 2e-3 + rtol 1e-3.
import { expect, it, onTestFinished } from 'vitest';
import { describeAdapters } from '../helpers/adapters.js';
import { Tensor } from '../../src/autograd/index.js';
import type { BufferBinding, GpuContext } from '../../src/gpu/context.js';
import type { Tunable } from '../../src/gpu/tuner.js';
import { CONV1D_TUNABLES, type Conv1dGeometry, conv1dForwardKernel, conv1dGradBiasKernel, conv1dGradBiasChunked, conv1dGradInputKernel, conv1dGradWeightKernel, conv1dOutputLength } from '../../src/kernels/conv1d.js';
import { conv1dBackwardRef, conv1dRef } from '../reference/cnn.js';
import { expectClose, randArray } from '../helpers/check.js';

const GUARD = Math.fround(1e30);
/** Floats before each operand (256 bytes: the storage-offset alignment) and after it. */
const HEAD = 64;
const TAIL = 37;

const SHAPES: [string, Conv1dGeometry][] = [
  ['Cin 1, stride 3, batch 1', { N: 1, Cin: 1, L: 27, Cout: 5, K: 3, stride: 3, padding: 0 }],
  ['Cin 1, stride 3, split reduction', { N: 4, Cin: 1, L: 3000, Cout: 20, K: 3, stride: 3, padding: 0 }],
  ['odd length, rows < 8', { N: 2, Cin: 3, L: 17, Cout: 7, K: 3, stride: 1, padding: 1 }],
  ['Cin over one 64-channel chunk, 20 rows', { N: 3, Cin: 70, L: 37, Cout: 20, K: 3, stride: 1, padding: 1 }],
  ['Cin 130 (16-ci lanes), 9 rows', { N: 2, Cin: 130, L: 45, Cout: 9, K: 3, stride: 1, padding: 1 }],
  ['length 1', { N: 1, Cin: 33, L: 1, Cout: 17, K: 3, stride: 1, padding: 1 }],
  ['padding 2', { N: 2, Cin: 4, L: 50, Cout: 3, K: 3, stride: 1, padding: 2 }],
  ['long reduction, splits mid-signal', { N: 3, Cin: 20, L: 700, Cout: 18, K: 3, stride: 1, padding: 1 }],
];

// One run per candidate name: that candidate pinned on every op that has it
// (ops without it run their default). 'default' pins nothing.
const NAMES = ['default', ...new Set(CONV1D_TUNABLES.flatMap((t) => t.candidates.map((c) => c.name)))];

/** `data` inside a guarded buffer; returns the tensor (owner) and the operand's binding. */
function guarded(ctx: GpuContext, data: ArrayLike<number>): { t: Tensor; b: BufferBinding; n: number } {
  const all = new Float32Array(HEAD + data.length + TAIL).fill(GUARD);
  all.set(Array.from(data), HEAD);
  const t = Tensor.fromData(ctx, all, [all.length]);
  const whole = t.binding() as { buffer: GPUBuffer };
  return { t, b: { buffer: whole.buffer, offset: HEAD * 4, size: data.length * 4 }, n: data.length };
}

async function readGuarded(t: Tensor, n: number, what: string): Promise<Float32Array> {
  const all = await t.read();
  for (let i = 0; i < HEAD; i++) expect(all[i], `${what}: guard before the binding`).toBe(GUARD);
  for (let i = HEAD + n; i < all.length; i++) expect(all[i], `${what}: guard after the binding`).toBe(GUARD);
  return Float32Array.from(all.slice(HEAD, HEAD + n));
}

await describeAdapters('conv1d kernel variants with offset bindings', ({ ctx }) => {
  for (const vname of NAMES) {
    it.for(SHAPES)(`${vname}: %s`, async ([, g], t) => {
      const pins = Object.fromEntries(CONV1D_TUNABLES.filter((t) => t.candidates.some((c) => c.name === vname)).map((t) => [t.op, vname]));
      onTestFinished(ctx.configure({ variants: pins }));
      // What actually ran: a pin that does not apply to the shape falls back to the default.
      const ran = CONV1D_TUNABLES.map((t) => ctx.tuner.choose(t as Tunable<Conv1dGeometry, unknown>, g).name);
      if (vname !== 'default' && !ran.includes(vname)) t.skip(`${vname} does not apply to ${JSON.stringify(g)}: covered by the default`);
      const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
      const xs = randArray(g.N * g.Cin * g.L, 41);
      const ws = randArray(g.Cout * g.Cin * g.K, 42, -0.5, 0.5);
      const bs = randArray(g.Cout, 43);
      const gys = randArray(g.N * g.Cout * Lout, 44);
      const x = guarded(ctx, xs);
      const w = guarded(ctx, ws);
      const b = guarded(ctx, bs);
      const gy = guarded(ctx, gys);
      const y = guarded(ctx, new Float32Array(g.N * g.Cout * Lout));
      const gx = guarded(ctx, new Float32Array(g.N * g.Cin * g.L));
      const gw = guarded(ctx, new Float32Array(g.Cout * g.Cin * g.K));
      const gb = guarded(ctx, new Float32Array(g.Cout));
      conv1dForwardKernel(ctx, g, x.b, w.b, b.b, y.b);
      conv1dGradInputKernel(ctx, g, w.b, gy.b, gx.b);
      conv1dGradWeightKernel(ctx, g, x.b, gy.b, gw.b);
      conv1dGradBiasKernel(ctx, g, gy.b, gb.b);
      // The grad-bias op's chosen candidate takes whole buffers (its sums split them by themselves).
      const gyWhole = Tensor.fromData(ctx, gys, [gys.length]);
      const gbWhole = Tensor.zeros(ctx, [g.Cout]);
      conv1dGradBiasChunked(ctx, g, gyWhole.elements(), gbWhole.elements());
      const ref = conv1dRef(xs, ws, bs, g.N, g.Cin, g.L, g.Cout, g.K, g.stride, g.padding);
      const gref = conv1dBackwardRef(xs, ws, gys, g.N, g.Cin, g.L, g.Cout, g.K, g.stride, g.padding);
      expectClose(await readGuarded(y.t, ref.y.length, 'forward'), ref.y, { atol: 1e-4, rtol: 1e-4 }, 'conv1d forward');
      expectClose(await readGuarded(gx.t, gref.gx.length, 'grad-input'), gref.gx, { atol: 2e-4, rtol: 1e-3 }, 'conv1d grad-input');
      expectClose(await readGuarded(gw.t, gref.gw.length, 'grad-weight'), gref.gw, { atol: 2e-3, rtol: 1e-3 }, 'conv1d grad-weight');
      expectClose(await readGuarded(gb.t, gref.gb.length, 'grad-bias'), gref.gb, { atol: 2e-3, rtol: 1e-3 }, 'conv1d grad-bias (per-channel kernel)');
      expectClose(await gbWhole.read(), gref.gb, { atol: 2e-3, rtol: 1e-3 }, `conv1d grad-bias (${ran[3]})`);
      gyWhole.dispose();
      gbWhole.dispose();
      for (const o of [x, w, b, gy]) await readGuarded(o.t, o.n, 'input');
      for (const o of [x, w, b, gy, y, gx, gw, gb]) o.t.dispose();
    });
  }
});
