// Operands for the tuner's trials (src/gpu/tuner.ts): pool buffers of a real
// shape filled with fixed pseudo-random values, so every candidate of a trial
// reads the same inputs and every run of the tuner measures the same thing.
import type { GpuContext } from '../gpu/context.js';
import type { ElementBuffer } from './batchChunks.js';

export type Operands<K extends string> = Record<K, ElementBuffer> & { dispose(): void };

/** One buffer per name with `sizes[name]` floats in [lo, hi) (default [-1, 1)). */
export function trialOperands<K extends string>(ctx: GpuContext, sizes: Record<K, number>, range: Partial<Record<K, [number, number]>> = {}): Operands<K> {
  const out = {} as Record<K, ElementBuffer>;
  let s = 1;
  for (const name of Object.keys(sizes) as K[]) {
    const n = sizes[name];
    const [lo, hi] = range[name] ?? [-1, 1];
    const data = new Float32Array(Math.max(n, 1));
    // A small LCG: the same values on every run and adapter.
    for (let i = 0; i < data.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      data[i] = lo + ((hi - lo) * s) / 2 ** 32;
    }
    const buffer = ctx.storage.acquire(data.length * 4, true);
    ctx.write(buffer, data);
    out[name] = { buffer, size: n };
  }
  const owned = Object.values(out) as ElementBuffer[];
  return Object.assign(out, { dispose: () => owned.forEach((b) => ctx.storage.release(b.buffer)) });
}
