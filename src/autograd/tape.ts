// Reverse-mode autograd. Each recorded op leaves a GradNode on its output; the
// backward pass sorts the graph once (iteratively, no recursion per path) and
// walks it in reverse, accumulating gradients on leaves.
import { sameShape } from '../kernels/shape.js';
import { keep } from './scope.js';
import type { Tensor } from './tensor.js';

let gradEnabled = true;

/** Runs fn without recording ops for backward (evaluation, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/**
 * Attaches a node to `out` when grad mode is on and any input needs a
 * gradient. `saved` are the tensors forward made for `backward` alone: the
 * node keeps them, and when no node is kept they are freed here, so no op
 * frees them by hand.
 */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: (grad: Tensor) => (Tensor | null)[], saved: readonly Tensor[] = []): Tensor {
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = { op, inputs, saved, backward };
  } else {
    for (const t of saved) t.dispose();
  }
  return out;
}

function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const state = new Map<Tensor, 1 | 2>(); // 1 = on stack, 2 = done
  const stack: [Tensor, number][] = [[root, 0]];
  state.set(root, 1);
  while (stack.length) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const child = inputs[i];
      if (child.requiresGrad && !state.has(child)) {
        state.set(child, 1);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      state.set(t, 2);
      order.push(t);
    }
  }
  return order; // inputs before outputs
}

/**
 * Backpropagates from `root` (a scalar unless `grad` is given). `seed` creates
 * the initial gradient (ones) and `add` sums two gradients; both are injected
 * by autograd/index.ts (`backward`) so the tape does not depend on any op.
 */
export function runBackward(root: Tensor, grad: Tensor | undefined, seed: (like: Tensor) => Tensor, add: (a: Tensor, b: Tensor) => Tensor): void {
  if (!root.requiresGrad) throw new Error('backward: the tensor does not require grad (no input of its graph has requiresGrad = true)');
  if (!grad && root.size !== 1) throw new Error(`backward: root has shape [${root.shape.join(', ')}]; pass a gradient for non-scalar outputs`);
  if (grad && !sameShape(grad.shape, root.shape)) throw new Error(`backward: gradient shape [${grad.shape.join(', ')}] does not match [${root.shape.join(', ')}]`);
  const order = topoOrder(root);
  const grads = new Map<Tensor, Tensor>();
  grads.set(root, grad ? grad.view(grad.shape) : seed(root));
  const accumulate = (t: Tensor, g: Tensor): void => {
    const prev = grads.get(t);
    if (!prev) grads.set(t, g);
    else {
      grads.set(t, add(prev, g));
      prev.dispose();
      g.dispose();
    }
  };
  for (let k = order.length - 1; k >= 0; k--) {
    const t = order[k];
    const g = grads.get(t);
    if (!g) continue;
    grads.delete(t);
    const node = t.node;
    if (!node || t.retainGrad) {
      // Leaves (and tensors that asked to) keep their gradient across backward calls.
      if (!t.grad) t.grad = keep(g.view(g.shape));
      else {
        const sum = keep(add(t.grad, g));
        t.grad.dispose();
        t.grad = sum;
      }
      if (!node) {
        g.dispose();
        continue;
      }
    }
    for (const t of [...node.inputs, ...node.saved]) t.assertAlive(`backward of ${node.op} (a saved input was disposed before backward; run forward and backward in the same scope)`);
    // Backward rules build their results from ops; none of that is recorded.
    const inputGrads = noGrad(() => node.backward(g));
    g.dispose();
    node.inputs.forEach((input, i) => {
      const gi = inputGrads[i];
      if (!gi || !input.requiresGrad) {
        gi?.dispose();
        return;
      }
      if (!sameShape(gi.shape, input.shape)) {
        throw new Error(`backward of ${node.op}: gradient for input ${i} has shape [${gi.shape.join(', ')}], expected [${input.shape.join(', ')}]`);
      }
      accumulate(input, gi);
    });
  }
}
