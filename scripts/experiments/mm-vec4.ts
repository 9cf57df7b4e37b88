// Would matmul_large gain from reading B four contiguous columns at a time?
// Today each lane reads 4 scalars of B at a 16-column stride per vec4 group
// (shaders/matmul.gen.ts). This is the same 16×8 register block, same
// summation order (so max|diff| is 0), with B bound as array<vec4<f32>> and each
// lane owning 2 vec4s of contiguous columns; 512³, timed interleaved, median of 9.
// Measured 2026-12-01 (2-core Xeon VM, idle): SwiftShader 71.1 vs 78.8 and 77.6 vs 90.3 ms (−10%, −14%),
// llvmpipe 16.9 vs 20.2 ms (−16%). Not yet a candidate: it needs contiguous
// columns and 4-aligned B rows and N (an applies rule on the strides).
// Build and run:
//   node scripts/build.mjs scripts/experiments/mm-vec4.ts
//   EGL_PLATFORM=surfaceless node dist/mm-vec4.js swiftshader|opengl
import { getDevice } from '../../src/gpu/device.js';
import { parseBackend } from '../../src/gpu/backend.js';
import { MATMUL_TUNABLE } from '../../src/kernels/matmul.js';
const ctx = await getDevice({ backend: parseBackend(process.argv[2], 'backend'), tune: 'off' });
const n = 512;
const rows = 16;
const wgsl = `
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;
const N = ${n}u; const K = ${n}u; const N4 = ${n / 4}u;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r0 = wid.y * ${16 * rows}u + lid.y * ${rows}u;
  let q = wid.x * 32u + lid.x;
${Array.from({ length: rows }, (_, r) => `  var acc${r}_0 = vec4<f32>(0.0); var acc${r}_1 = vec4<f32>(0.0); var ia${r} = (r0 + ${r}u) * K;`).join('\n')}
  var ib = q;
  for (var k = 0u; k < K; k++) {
    let b0 = b[ib]; let b1 = b[ib + 16u];
${Array.from({ length: rows }, (_, r) => `    { let av = a[ia${r}]; acc${r}_0 = fma(vec4<f32>(av), b0, acc${r}_0); acc${r}_1 = fma(vec4<f32>(av), b1, acc${r}_1); ia${r} += 1u; }`).join('\n')}
    ib += N4;
  }
${Array.from({ length: rows }, (_, r) => `  out[(r0 + ${r}u) * N4 + q] = acc${r}_0; out[(r0 + ${r}u) * N4 + q + 16u] = acc${r}_1;`).join('\n')}
}`;
const dev = ctx.device;
const mod = dev.createShaderModule({ code: wgsl });
const pipe = dev.createComputePipeline({ layout: 'auto', compute: { module: mod, entryPoint: 'main' } });
const s = { batch: 1, M: n, N: n, K: n, bias: false };
const trial = MATMUL_TUNABLE.trial(ctx, s);
const args = trial.args;
const outB = dev.createBuffer({ size: n * n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
const bg = dev.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: args.a.buffer as GPUBuffer } }, { binding: 1, resource: { buffer: args.b.buffer as GPUBuffer } }, { binding: 2, resource: { buffer: outB } }] });
const runVec = () => { const e = dev.createCommandEncoder(); const p = e.beginComputePass(); p.setPipeline(pipe); p.setBindGroup(0, bg); p.dispatchWorkgroups(n / 128, n / (16 * rows)); p.end(); dev.queue.submit([e.finish()]); };
const large = MATMUL_TUNABLE.candidates.find((c) => c.name === 'large')!;
const runLarge = () => large.run(ctx, s, trial.args);
const time = async (f: () => void) => { await ctx.sync(); const t0 = performance.now(); f(); await ctx.sync(); await dev.queue.onSubmittedWorkDone(); return performance.now() - t0; };
await time(runVec); await time(runLarge);
const ref = new Float32Array(await ctx.read(trial.output.buffer, n * n * 4));
const st = dev.createBuffer({ size: n * n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
const e = dev.createCommandEncoder(); e.copyBufferToBuffer(outB, 0, st, 0, n * n * 4); dev.queue.submit([e.finish()]);
await st.mapAsync(GPUMapMode.READ); const got = new Float32Array(st.getMappedRange().slice(0)); st.unmap();
let worst = 0; for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
const ms: Record<string, number[]> = { large: [], vec4b: [] };
for (let i = 0; i < 9; i++) for (const k of i % 2 ? ['vec4b', 'large'] : ['large', 'vec4b']) ms[k].push(await time(k === 'large' ? runLarge : runVec));
const med = (x: number[]) => [...x].sort((p, q) => p - q)[4];
console.log(process.argv[2], `max|diff| ${worst.toExponential(2)}`, `large ${med(ms.large).toFixed(1)} ms`, `vec4b ${med(ms.vec4b).toFixed(1)} ms`);
ctx.destroy();
