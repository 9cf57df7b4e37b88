// The kernel choices made by hand before the tuner (stop 9 of issue 4), kept
// as pins so a benchmark can run them beside the tuned choices in the same
// process. Measured then on layer (a): Dawn OpenGL on llvmpipe reads uniform
// buffers at a uniform index as one scalar, so weights went in a uniform buffer
// from 1,024 output columns up, and grad-weight took the 16-ci block; other
// adapters (SwiftShader) got storage weights and the 8-ci block. On both,
// serial per-channel reductions and the one-pass grad-bias.
import type { GpuContext } from '../src/gpu/context.js';
import type { Pin } from '../src/gpu/tuner.js';
import type { Conv1dGeometry } from '../src/kernels/conv1d.js';

const UNIFORM_MIN_COLUMNS = 1024;

export function handChoices(ctx: GpuContext): Record<string, Pin> {
  const gl = ctx.adapter.backend === 'opengl';
  const gemm = (rows: (g: Conv1dGeometry) => number) => (g: Conv1dGeometry): string => (gl && rows(g) >= 16 && g.N * g.L >= UNIFORM_MIN_COLUMNS ? 'k3-uniform' : 'k3-storage');
  return {
    'conv1d.forward': gemm((g) => g.Cout),
    'conv1d.gradInput': gemm((g) => g.Cin),
    'conv1d.gradWeight': (g: Conv1dGeometry) => (g.K !== 3 || g.stride !== 1 ? 'k3' : g.Cin >= (gl ? 128 : 64) ? (gl ? 'k3s1-ci16' : 'k3s1-ci8') : 'k3s1-ci4'),
    'conv1d.gradBias': 'per-channel',
    'batchnorm.stats': 'serial',
    'batchnorm.backwardReduce': 'serial',
    'bnReluPool.backwardReduce': 'serial',
  };
}
