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
