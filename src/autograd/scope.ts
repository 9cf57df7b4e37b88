// Ownership of GPU tensors. Tensors created inside `tidy(fn)` are disposed when
// fn returns, except what fn returns (handed to the enclosing scope) and what
// was `keep()`-ed. Outside any scope the creator owns the tensor.

export interface Disposable {
  dispose(): void;
  readonly disposed: boolean;
}

const stack: Set<Disposable>[] = [];

export function track<T extends Disposable>(t: T): T {
  stack[stack.length - 1]?.add(t);
  return t;
}

/** Takes a tensor out of every scope: the caller now owns it. */
export function keep<T extends Disposable>(t: T): T {
  for (const s of stack) s.delete(t);
  return t;
}

function collect(value: unknown, out: Set<Disposable>, depth = 0): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if ('dispose' in value && 'disposed' in value) {
    out.add(value as Disposable);
    return;
  }
  const items = Array.isArray(value) ? value : Object.values(value);
  for (const v of items) collect(v, out, depth + 1);
}

/** Runs fn and disposes every tensor it created that it does not return. Synchronous only. */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Disposable>();
  stack.push(scope);
  let result: T;
  try {
    result = fn();
    if (result instanceof Promise) throw new Error('tidy(): the function must be synchronous; await outside tidy');
  } finally {
    stack.pop();
  }
  const returned = new Set<Disposable>();
  collect(result, returned);
  for (const t of scope) {
    if (returned.has(t)) stack[stack.length - 1]?.add(t);
    else if (!t.disposed) t.dispose();
  }
  return result;
}
