// Fused in-place optimizer updates (see optim.wgsl).
import type { BufferBinding, GpuContext } from '../gpu/context.js';
import source from '../../shaders/optim.wgsl';
import { threadsGrid } from './grid.js';

export const OPTIM = { name: 'optim', source, entries: { adam: ['param', 'grad', 'm', 'v'], sgd: ['param', 'grad', 'm'] } } as const;

export interface AdamStepArgs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  step: number;
}

export function adamKernel(ctx: GpuContext, n: number, param: BufferBinding, grad: BufferBinding, m: BufferBinding, v: BufferBinding, a: AdamStepArgs): void {
  ctx.dispatch(ctx.shader(OPTIM.name, OPTIM.source), 'adam', {
    bindings: { param, grad, m, v },
    uniforms: {
      n, decoupled: a.decoupled ? 1 : 0, lr: a.lr, beta1: a.beta1, beta2: a.beta2, eps: a.eps, weight_decay: a.weightDecay,
      bias_correction1: 1 - a.beta1 ** a.step, bias_correction2: 1 - a.beta2 ** a.step,
    },
    workgroups: threadsGrid(ctx, n, 256),
  });
}

export interface SgdStepArgs {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  firstStep: boolean;
}

export function sgdKernel(ctx: GpuContext, n: number, param: BufferBinding, grad: BufferBinding, momentumBuf: BufferBinding, a: SgdStepArgs): void {
  ctx.dispatch(ctx.shader(OPTIM.name, OPTIM.source), 'sgd', {
    bindings: { param, grad, m: momentumBuf },
    uniforms: { n, first_step: a.firstStep ? 1 : 0, nesterov: a.nesterov ? 1 : 0, lr: a.lr, momentum: a.momentum, dampening: a.dampening, weight_decay: a.weightDecay },
    workgroups: threadsGrid(ctx, n, 256),
  });
}
