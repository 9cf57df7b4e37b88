// Turns a count of workgroups into a 2-D grid so no dimension exceeds the
// device's per-dimension limit (65,535 on most adapters); shaders rebuild the
// flat id as wid.x + wid.y * num_workgroups.x.
import type { GpuContext } from '../gpu/context.js';

export function grid1d(ctx: GpuContext, workgroups: number): [number, number] {
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  if (workgroups <= max) return [Math.max(workgroups, 0), 1];
  const y = Math.ceil(workgroups / max);
  if (y > max) throw new Error(`a dispatch of ${workgroups} workgroups exceeds ${max}² even as a 2-D grid`);
  return [Math.ceil(workgroups / y), y];
}

export function threadsGrid(ctx: GpuContext, threads: number, wg: number): [number, number] {
  return grid1d(ctx, Math.ceil(threads / wg));
}

/**
 * The most loop iterations a kernel lets one invocation run, all its loops
 * together. llvmpipe (Mesa's gallivm, Mesa 22.3) keeps one budget of 65,535
 * loop iterations per invocation, shared by every loop and nested loop in it,
 * and silently leaves each loop it reaches once that is spent; the result is
 * then simply wrong. Kernels whose invocations walk a long axis serially take a
 * parallel form, or split the axis, beyond this (test/gpu/loopLimit.test.ts
 * checks that the bound holds on every adapter).
 */
export const MAX_LOOP_ITERATIONS = 60_000;
