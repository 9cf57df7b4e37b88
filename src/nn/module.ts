// Module: named parameters, buffers and children, train/eval mode, PyTorch-style
// dotted names (`sequential.0.0.weight`) so state dicts line up with PyTorch.
import { Tensor, keep } from '../autograd/index.js';

export abstract class Module {
  training = true;
  private readonly params = new Map<string, Tensor>();
  private readonly bufs = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  abstract forward(x: Tensor): Tensor;

  protected registerParameter(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    t.name = name;
    this.params.set(name, keep(t));
    return t;
  }

  protected registerBuffer(name: string, t: Tensor): Tensor {
    t.name = name;
    this.bufs.set(name, keep(t));
    return t;
  }

  protected registerModule<M extends Module>(name: string, m: M): M {
    this.children.set(name, m);
    return m;
  }

  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [...this.params].map(([k, v]) => [prefix + k, v]);
    for (const [name, child] of this.children) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [...this.bufs].map(([k, v]) => [prefix + k, v]);
    for (const [name, child] of this.children) out.push(...child.namedBuffers(`${prefix}${name}.`));
    return out;
  }

  /** Parameters and buffers together: what a checkpoint stores. */
  stateEntries(prefix = ''): [string, Tensor][] {
    return [...this.namedParameters(prefix), ...this.namedBuffers(prefix)];
  }

  /** This module and every descendant, depth first. */
  *modules(): Generator<Module> {
    yield this;
    for (const c of this.children.values()) yield* c.modules();
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  parameterCount(): number {
    return this.parameters().reduce((s, t) => s + t.size, 0);
  }

  train(on = true): this {
    this.training = on;
    for (const c of this.children.values()) c.train(on);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Freezes or unfreezes every parameter (e.g. the encoder in stage 2). */
  requiresGrad(on: boolean): this {
    for (const p of this.parameters()) p.requiresGrad = on;
    return this;
  }

  dispose(): void {
    for (const t of this.params.values()) t.dispose();
    for (const t of this.bufs.values()) t.dispose();
    for (const c of this.children.values()) c.dispose();
  }
}
