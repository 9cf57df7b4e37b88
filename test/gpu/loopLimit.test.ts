// MAX_LOOP_ITERATIONS (src/kernels/grid.ts) is a bound every adapter honours:
// that many loop iterations in one invocation, in one loop, a nest or two loops
// one after the other, all run. llvmpipe (Mesa 22.3) keeps one budget of 65,535
// iterations per invocation for all its loops and silently leaves a loop once
// it is spent; the kernels keep their serial walks under the bound (the per-op
// suites run sizes beyond it). The test prints what longer loops give.
import { expect, test } from 'vitest';
import { Tensor } from '../../src/autograd/index.js';
import { MAX_LOOP_ITERATIONS } from '../../src/kernels/grid.js';
import { describeAdapters } from '../helpers/adapters.js';

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
fn two_loops() {
  var s = 0u;
  for (var i = 0u; i < p.n; i++) { s += 1u; }
  for (var i = 0u; i < p.m; i++) { s += 1u; }
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

await describeAdapters('loop iterations', ({ ctx }) => {
  const run = async (entry: string, n: number, m: number): Promise<number> => {
    const out = Tensor.zeros(ctx, [1], 'u32');
    ctx.dispatch(ctx.shader('loop-probe', PROBE), entry, { bindings: { out: out.binding('loop probe') }, uniforms: { n, m }, workgroups: [1] });
    const v = (await out.read())[0];
    out.dispose();
    return v;
  };

  test(`MAX_LOOP_ITERATIONS (${MAX_LOOP_ITERATIONS}) iterations in one invocation all run: one loop, a nest, two loops`, async () => {
    expect(await run('single', 1, MAX_LOOP_ITERATIONS)).toBe(MAX_LOOP_ITERATIONS);
    // The nests' outer iterations count too: 4 and 100 of them within the budget.
    expect(await run('nested', 4, MAX_LOOP_ITERATIONS / 4 - 1)).toBe(MAX_LOOP_ITERATIONS - 4);
    expect(await run('nested', 100, MAX_LOOP_ITERATIONS / 100 - 1)).toBe(MAX_LOOP_ITERATIONS - 100);
    expect(await run('two_loops', MAX_LOOP_ITERATIONS / 2, MAX_LOOP_ITERATIONS / 2)).toBe(MAX_LOOP_ITERATIONS);
    const nest = await run('nested', 10, 10_000);
    const two = await run('two_loops', 40_000, 40_000);
    console.info(`[loop limit] ${ctx.adapter.description || ctx.adapter.device}: 100,000 iterations of a nest ran ${nest}; two loops of 40,000 ran ${two}`);
  });
});
