// src/kernels/readiness.ts: invocations per dispatch from @workgroup_size (numbers,
// override constants given by the dispatch or their defaults) and the flag on
// dispatches with much work and little parallelism.
import { describe, expect, it } from 'vitest';
import { formatReadiness, readinessRows, workgroupThreads } from '../../src/kernels/readiness.js';

const SRC = `override WG_X: u32 = 64u;
const WG: u32 = 256u;
@compute @workgroup_size(16, 16)
fn tiled() {}
@compute @workgroup_size(WG)
fn stats() {}
@compute @workgroup_size(WG_X)
fn lanes() {}`;

describe('GPU readiness table', () => {
  it('reads workgroup sizes, with override constants from the dispatch or their defaults', () => {
    expect(workgroupThreads(SRC, 'tiled')).toBe(256);
    expect(workgroupThreads(SRC, 'stats')).toBe(256);
    expect(workgroupThreads(SRC, 'lanes')).toBe(64);
    expect(workgroupThreads(SRC, 'lanes', { WG_X: 8 })).toBe(8);
    expect(() => workgroupThreads(SRC, 'missing')).toThrow(/no @workgroup_size/);
  });

  it('flags > 10 MFLOP over < 32k invocations, groups by entry point and variant', () => {
    // conv1d-k3:conv_k3_r16 runs WG_X lanes per workgroup (default 64).
    const log = [
      { kernel: 'conv1d-k3:conv_k3_r16', workgroups: 100, flop: 50e6, loops: 128, variant: 'conv1d.forward=k3-storage' },
      { kernel: 'conv1d-k3:conv_k3_r16', workgroups: 1000, flop: 50e6, loops: 128, variant: 'conv1d.forward=k3-storage' },
      { kernel: 'conv1d:forward_tiled', workgroups: 100, flop: 50e6, loops: 24, variant: 'conv1d.forward=tiled' },
      { kernel: 'conv1d:grad_bias', workgroups: 1, flop: 1e6, loops: 9 },
    ];
    const rows = readinessRows(log);
    const k3 = rows.find((r) => r.kernel === 'conv1d-k3:conv_k3_r16')!;
    expect(k3).toMatchObject({ dispatches: 2, minInvocations: 6400, maxInvocations: 64000, maxLoops: 128, hostile: 1 });
    expect(rows.find((r) => r.kernel === 'conv1d:forward_tiled')!.hostile, '25,600 invocations, 50 MFLOP').toBe(1);
    expect(rows.find((r) => r.kernel === 'conv1d:grad_bias')!.hostile, 'little work').toBe(0);
    expect(formatReadiness(log)).toMatch(/2 GPU-hostile dispatches/);
  });
});
