// WGSL generated at build time (shaders/*.gen.ts, imported as *.gen.wgsl): the
// source the kernel modules receive is the generator's output (so nothing
// stale is pasted anywhere), and each entry point's Params struct has exactly
// the fields listed here (the kernel module packs by name and throws on any
// other field). Their bindings and compilation on every adapter are checked
// with every other shader's in shaders.test.ts.
import { describe, expect, test } from 'vitest';
import generateK3 from '../../shaders/conv1d-k3.gen.js';
import generateK3GradWeight from '../../shaders/conv1d-k3-grad-weight.gen.js';
import { Shader } from '../../src/gpu/shader.js';
import { CONV1D_K3, CONV1D_K3_GRAD_WEIGHT } from '../../src/kernels/conv1dKernels.js';

const GENERATED = [
  {
    module: CONV1D_K3,
    generate: generateK3,
    params: ['N', 'M', 'ncol', 'C', 'has_bias', 'a_row', 'a_c', 'b_n', 'b_c', 'Lin', 'tap_base', 'out_n', 'nblk', 'win_shift', 'k_off0', 'k_off1', 'k_off2', 'c0', 'c1', 'r_base', 'accumulate'],
  },
  {
    module: CONV1D_K3_GRAD_WEIGHT,
    generate: generateK3GradWeight,
    params: ['N', 'Cin', 'L', 'Cout', 'Lout', 'stride', 'padding', 'tiles_m', 'tiles_n', 'batches', 'chunk'],
  },
];

describe('generated WGSL', () => {
  test.each(GENERATED.map((g) => [g.module.name, g] as const))('%s: the loader hands the kernel module the generator\'s output', (_, g) => {
    expect(g.module.source).toBe(g.generate());
    expect(g.module.source).not.toMatch(/\$\{|undefined|NaN/);
  });

  test.each(GENERATED.map((g) => [g.module.name, g] as const))('%s: every entry point reflects with its own Params', (_, g) => {
    const shader = new Shader(g.module.name, g.module.source);
    for (const entry of Object.keys(g.module.entries)) expect([...shader.entry(entry).uniform!.fields.keys()], `${entry}: Params`).toEqual(g.params);
  });
});
