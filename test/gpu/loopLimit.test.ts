// MAX_LOOP_ITERATIONS (src/kernels/grid.ts) is a bound every adapter honours:
// a loop of that many iterations, alone or as the inner loop of a nest, runs in
// full. llvmpipe (Mesa 22.3) stops a loop after 65,535 iterations per
// invocation, counting a nested loop across its entries, with no error; the
// kernels keep their serial walks under the bound (the per-op suites run sizes
// beyond it). The test prints what a longer loop gives on each adapter.
import { describe, expect, test } from 'vitest';
import { Tensor } from '../../src/autograd/index.js';
import { MAX_LOOP_ITERATIONS } from '../../src/kernels/grid.js';
import { adapters } from '../helpers/adapters.js';

const PROBE = `
struct Params { n: u32, m: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1)
fn single() {
  var s = 0u;
  for (var i = 0u; i < p.n * p.m; i++) { s += 1u; }
  out[0] = s;
}
@compute @workgroup_size(1)
fn nested() {
  var s = 0u;
  for (var i = 0u; i < p.n; i++) {
    for (var j = 0u; j < p.m; j++) { s += 1u; }
  }
  out[0] = s;
}
`;

const cases = await adapters();

describe.each(cases)('loop iterations on $name', ({ ctx }) => {
  const run = async (entry: string, n: number, m: number): Promise<number> => {
    const out = Tensor.zeros(ctx, [1], 'u32');
    ctx.dispatch(ctx.shader('loop-probe', PROBE), entry, { bindings: { out: out.binding('loop probe') }, uniforms: { n, m }, workgroups: [1] });
    const v = (await out.read())[0];
    out.dispose();
    return v;
  };

  test(`a loop of MAX_LOOP_ITERATIONS (${MAX_LOOP_ITERATIONS}) runs in full, alone and nested`, async () => {
    expect(await run('single', 1, MAX_LOOP_ITERATIONS)).toBe(MAX_LOOP_ITERATIONS);
    expect(await run('nested', 4, MAX_LOOP_ITERATIONS / 4)).toBe(MAX_LOOP_ITERATIONS);
    expect(await run('nested', 100, MAX_LOOP_ITERATIONS / 100)).toBe(MAX_LOOP_ITERATIONS);
    const longer = await run('nested', 10, 10_000);
    console.info(`[loop limit] ${ctx.adapter.description || ctx.adapter.device}: a nested loop of 100,000 iterations ran ${longer}`);
  });
});
