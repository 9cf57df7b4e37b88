// Are a model's weights still finite? One on-GPU reduction per check: the sum
// of squares of every parameter and buffer, added into one scalar and read
// back once. A NaN or Inf anywhere makes that scalar non-finite (so does a
// weight beyond ~1e19, which is divergence too). Only when it is, each tensor
// is read back on its own, to name the first bad one.
import { add, mul, noGrad, sum, tidy, type Tensor } from '../autograd/index.js';
import type { Module } from '../nn/index.js';

function namedState(modules: Module[]): [string, Tensor][] {
  const seen = new Set<Tensor>();
  const out: [string, Tensor][] = [];
  for (const m of modules) {
    for (const [name, t] of m.stateEntries(`${m.constructor.name}:`)) {
      if (seen.has(t) || name.endsWith('num_batches_tracked')) continue;
      seen.add(t);
      out.push([name, t]);
    }
  }
  return out;
}

const squares = (t: Tensor): Tensor => sum(mul(t, t));

/** Null when every weight is finite; otherwise a message naming the first tensor that is not. */
export async function firstNonFinite(modules: Module[]): Promise<string | null> {
  const state = namedState(modules);
  if (state.length === 0) return null;
  const total = noGrad(() => tidy(() => state.map(([, t]) => squares(t)).reduce((a, b) => add(a, b))));
  const value = await total.item();
  total.dispose();
  if (Number.isFinite(value)) return null;
  for (const [name, t] of state) {
    const values = await t.read();
    const i = values.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) return `weight "${name}" became ${values[i]} (element ${i})`;
  }
  return `the weights' sum of squares became ${value} (a weight beyond ±1e19)`;
}
