// A small seeded PRNG (splitmix32) for parameter init and dropout seeds, so a
// run is reproducible from its seed and the generator state can be checkpointed.

export class Random {
  constructor(private state: number) {
    this.state = state >>> 0;
  }

  /** Uniform u32. */
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 2 ** 32;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  get seedState(): number {
    return this.state;
  }

  set seedState(s: number) {
    this.state = s >>> 0;
  }
}
