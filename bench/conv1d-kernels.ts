// Per-kernel timings of conv1d (forward, grad-input, grad-weight incl. its split
// reduction) at SampleCNN shapes: median ms of a few synchronised repetitions
// and GFLOP/s (2·N·Cout·Lout·Cin·K per kernel). Uses only the kernel module's
// public entry points, so the same file measures older implementations too.
import { Tensor } from '../src/autograd/index.js';
import type { GpuContext } from '../src/gpu/context.js';
import { type Conv1dGeometry, conv1dForwardKernel, conv1dGradInputKernel, conv1dGradWeightKernel, conv1dOutputLength } from '../src/kernels/conv1d.js';
import { sampleCnnConvs } from '../src/models/index.js';
import { STEP_BATCH, stepConfig } from './samplecnn-step.js';
import { gflops, timeIt } from './timing.js';

export interface KernelRow {
  shape: string;
  kernel: 'forward' | 'grad_input' | 'grad_weight';
  ms: number;
  gflops: number;
}

export const SAMPLECNN_SHAPES: (Conv1dGeometry & { label: string })[] = [
  { label: 'first layer, 1→128 k3 s3', N: 8, Cin: 1, L: 59049, Cout: 128, K: 3, stride: 3, padding: 0 },
  { label: 'layer (a), 128→128', N: 8, Cin: 128, L: 2187, Cout: 128, K: 3, stride: 1, padding: 1 },
  { label: '(b) block 1, 32→32', N: 8, Cin: 32, L: 2187, Cout: 32, K: 3, stride: 1, padding: 1 },
  { label: 'demo, 16→16', N: 16, Cin: 16, L: 6561, Cout: 16, K: 3, stride: 1, padding: 1 },
  { label: 'demo, 8→8', N: 16, Cin: 8, L: 6561, Cout: 8, K: 3, stride: 1, padding: 1 },
  { label: 'deep, 256→256', N: 8, Cin: 256, L: 81, Cout: 256, K: 3, stride: 1, padding: 1 },
  { label: 'deep, 512→512', N: 8, Cin: 512, L: 3, Cout: 512, K: 3, stride: 1, padding: 1 },
];

/** The conv layers of workload (b) (SampleCNN 3^8, widths ÷4, batch 8), one row per distinct shape. */
export function stepShapes(): (Conv1dGeometry & { label: string })[] {
  const seen = new Set<string>();
  const rows: (Conv1dGeometry & { label: string })[] = [];
  for (const c of sampleCnnConvs(stepConfig().sampleCnn)) {
    const label = `(b) ${c.Cin}→${c.Cout} k${c.K} s${c.stride} L${c.L}`;
    if (seen.has(label)) continue;
    seen.add(label);
    rows.push({ label, N: STEP_BATCH, ...c });
  }
  return rows;
}

function fill(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin((i + seed) * 12.9898) * 0.5;
  return a;
}

export async function benchConv1dKernels(ctx: GpuContext, reps = 3, shapes = SAMPLECNN_SHAPES, only?: string): Promise<KernelRow[]> {
  const rows: KernelRow[] = [];
  for (const g of shapes) {
    if (only && !g.label.includes(only)) continue;
    const Lout = conv1dOutputLength(g.L, g.K, g.stride, g.padding);
    const flop = 2 * g.N * g.Cout * Lout * g.Cin * g.K;
    const x = Tensor.fromData(ctx, fill(g.N * g.Cin * g.L, 1), [g.N, g.Cin, g.L]);
    const w = Tensor.fromData(ctx, fill(g.Cout * g.Cin * g.K, 2), [g.Cout, g.Cin, g.K]);
    const b = Tensor.fromData(ctx, fill(g.Cout, 3), [g.Cout]);
    const gy = Tensor.fromData(ctx, fill(g.N * g.Cout * Lout, 4), [g.N, g.Cout, Lout]);
    const y = Tensor.empty(ctx, [g.N, g.Cout, Lout]);
    const gx = Tensor.empty(ctx, [g.N, g.Cin, g.L]);
    const gw = Tensor.empty(ctx, [g.Cout, g.Cin, g.K]);
    const shape = `${g.label}: x [${g.N}, ${g.Cin}, ${g.L}]`;
    const run = async (kernel: KernelRow['kernel'], f: () => void): Promise<void> => {
      const t = await timeIt(async () => {
        f();
        await ctx.sync();
      }, { reps, maxMs: 30_000 });
      rows.push({ shape, kernel, ms: t.ms, gflops: gflops(flop, t.ms) });
    };
    await run('forward', () => conv1dForwardKernel(ctx, g, x.binding(), w.binding(), b.binding(), y.binding()));
    // SampleCNN's strided first layer reads the signal, which needs no gradient.
    if (g.stride === 1) await run('grad_input', () => conv1dGradInputKernel(ctx, g, w.binding(), gy.binding(), gx.binding()));
    await run('grad_weight', () => conv1dGradWeightKernel(ctx, g, x.binding(), gy.binding(), gw.binding()));
    for (const t of [x, w, b, gy, y, gx, gw]) t.dispose();
  }
  return rows;
}

export function formatKernelRows(rows: KernelRow[]): string {
  return rows.map((r) => `${r.shape.padEnd(48)} ${r.kernel.padEnd(12)} ${r.ms.toFixed(1).padStart(9)} ms ${r.gflops.toFixed(2).padStart(7)} GFLOP/s`).join('\n');
}
