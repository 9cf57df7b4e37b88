// Optimizers with PyTorch semantics, updating parameters in place with fused
// kernels. Gradients accumulate on parameters; the caller zeroes them.
import { Tensor, keep } from '../autograd/index.js';
import { adamKernel, sgdKernel } from '../kernels/optim.js';

export abstract class Optimizer {
  constructor(readonly params: readonly Tensor[]) {
    if (params.length === 0) throw new Error('optimizer: no parameters given');
  }

  /** Updates every parameter that has a gradient, then submits: the end of a training step. */
  step(): void {
    this.update();
    this.params[0].ctx.submit();
  }

  protected abstract update(): void;

  zeroGrad(): void {
    for (const p of this.params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }
}

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  /** AdamW: decoupled weight decay instead of L2 added to the gradient. */
  decoupled?: boolean;
}

export class Adam extends Optimizer {
  lr: number;
  readonly betas: [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  stepCount = 0;
  /** First and second moments per parameter, created on first use (as PyTorch's lazy state). */
  readonly m = new Map<Tensor, Tensor>();
  readonly v = new Map<Tensor, Tensor>();

  constructor(params: readonly Tensor[], opts: AdamOptions = {}) {
    super(params);
    this.lr = opts.lr ?? 1e-3;
    this.betas = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    this.decoupled = opts.decoupled ?? false;
    if (!(this.lr >= 0)) throw new Error(`Adam: lr must be >= 0, got ${this.lr}`);
    if (!(this.betas[0] >= 0 && this.betas[0] < 1 && this.betas[1] >= 0 && this.betas[1] < 1)) throw new Error(`Adam: betas must be in [0, 1), got ${this.betas.join(', ')}`);
  }

  protected update(): void {
    this.stepCount++;
    for (const p of this.params) {
      if (!p.grad) continue;
      let m = this.m.get(p);
      let v = this.v.get(p);
      if (!m || !v) {
        m = keep(Tensor.zeros(p.ctx, p.shape));
        v = keep(Tensor.zeros(p.ctx, p.shape));
        this.m.set(p, m);
        this.v.set(p, v);
      }
      adamKernel(p.ctx, p.size, p.binding('adam'), p.grad.binding('adam'), m.binding('adam'), v.binding('adam'), {
        lr: this.lr, beta1: this.betas[0], beta2: this.betas[1], eps: this.eps,
        weightDecay: this.weightDecay, decoupled: this.decoupled, step: this.stepCount,
      });
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}

export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly buffers = new Map<Tensor, Tensor>();

  constructor(params: readonly Tensor[], readonly opts: SgdOptions) {
    super(params);
    if (opts.nesterov && (!opts.momentum || opts.dampening)) throw new Error('SGD: Nesterov momentum requires a momentum and zero dampening');
  }

  protected update(): void {
    const momentum = this.opts.momentum ?? 0;
    for (const p of this.params) {
      if (!p.grad) continue;
      let buf = this.buffers.get(p);
      const first = !buf;
      if (!buf) {
        buf = keep(momentum ? Tensor.empty(p.ctx, p.shape) : Tensor.empty(p.ctx, [1]));
        this.buffers.set(p, buf);
      }
      sgdKernel(p.ctx, p.size, p.binding('sgd'), p.grad.binding('sgd'), buf.binding('sgd'), {
        lr: this.opts.lr, momentum, dampening: this.opts.dampening ?? 0, weightDecay: this.opts.weightDecay ?? 0,
        nesterov: this.opts.nesterov ?? false, firstStep: first,
      });
    }
  }

  dispose(): void {
    for (const t of this.buffers.values()) t.dispose();
    this.buffers.clear();
  }
}
