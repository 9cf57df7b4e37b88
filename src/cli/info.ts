// `robust-tagger info`: which adapter, backend and feature level we run on, and its limits.
import type { GpuContext } from '../gpu/context.js';

const SHOWN_LIMITS = [
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage',
  'minUniformBufferOffsetAlignment', 'minStorageBufferOffsetAlignment',
] as const;

export function describeDevice(ctx: GpuContext): string {
  const a = ctx.adapter;
  const lines = [
    `adapter:       ${a.description || a.device || '(unnamed)'}`,
    `vendor:        ${a.vendor || '-'}  architecture: ${a.architecture || '-'}  device: ${a.device || '-'}`,
    `backend:       ${a.backend}`,
    `feature level: ${a.featureLevel}`,
    'limits:',
    ...SHOWN_LIMITS.map((k) => `  ${k.padEnd(36)} ${ctx.limits[k]}`),
  ];
  return lines.join('\n');
}
