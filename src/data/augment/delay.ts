// CLMR's delay: out = (x + 0.5 * x delayed) / 2, the echo 200-450 ms late.

export function applyDelay(x: Float32Array, delayMs: number, sampleRate: number): void {
  const d = Math.round((delayMs / 1000) * sampleRate);
  // Walk backwards so x[i - d] is still the dry sample when it is read.
  for (let i = x.length - 1; i >= 0; i--) {
    const echo = i >= d ? x[i - d] : 0;
    x[i] = (x[i] + 0.5 * echo) / 2;
  }
}
