// The register-blocked shaders generated at build time (matmul.gen.ts,
// conv1d-gemm.gen.ts, conv1d-lanes.gen.ts, over shaders/unroll.ts): the kernel
// module receives exactly the generator's output through the loader, nothing
// in it is an unfilled template, and every block shape is there. Compiling
// them and checking their bindings is test/gpu/shaders.test.ts's job (they
// are in the registry).
import { describe, expect, test } from 'vitest';
import generateGemm from '../../shaders/conv1d-gemm.gen.js';
import generateLanes from '../../shaders/conv1d-lanes.gen.js';
import generateMatmul from '../../shaders/matmul.gen.js';
import { CONV1D_GEMM, CONV1D_LANES } from '../../src/kernels/conv1dKernels.js';
import { MATMUL } from '../../src/kernels/matmul.js';

const GENERATED = [
  { module: MATMUL, generate: generateMatmul, accumulators: { matmul_large: 32, matmul_large_v4: 32, matmul_small: 4 } },
  { module: CONV1D_GEMM, generate: generateGemm, accumulators: { conv_gemm_large: 32, conv_gemm_small: 8 } },
  { module: CONV1D_LANES, generate: generateLanes, accumulators: { grad_weight_lanes: 16 } },
];

describe('generated register blocks', () => {
  test.each(GENERATED.map((g) => [g.module.name, g] as const))('%s: the loader hands the kernel module the generator\'s output', (_, g) => {
    expect(g.module.source).toBe(g.generate());
    expect(g.module.source).not.toMatch(/\$\{|undefined|NaN|\[object/);
    for (const [entry, count] of Object.entries(g.accumulators)) {
      const body = g.module.source.slice(g.module.source.indexOf(`fn ${entry}(`));
      const end = body.indexOf('\n}\n');
      expect(end, `${entry} is there`).toBeGreaterThan(0);
      // rows × groups vec4 accumulators, each declared once.
      expect(body.slice(0, end).match(/var acc\d+_\d+ = vec4<f32>\(0\.0\);/g)?.length, `${entry}: accumulators`).toBe(count);
    }
  });
});
