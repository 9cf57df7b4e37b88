// Band-limited sample-rate conversion through libsamplerate (WebAssembly port).
// Linear interpolation would alias high partials into the band the model
// hears; the sinc converters do not.
import libsamplerate from '@alexanderolsen/libsamplerate-js';

export const TARGET_SAMPLE_RATE = 22050;

export type ResampleQuality = 'best' | 'medium' | 'fastest';

type Src = Awaited<ReturnType<typeof libsamplerate.create>>;

// libsamplerate's "simple" API switches to its stateful "full" API above 4 MB
// of input; a converter used that way is not reused for the next file.
const SIMPLE_LIMIT_BYTES = 4 * 1024 * 1024;

export class Resampler {
  private converters = new Map<number, Src>();

  constructor(
    readonly outputRate = TARGET_SAMPLE_RATE,
    readonly quality: ResampleQuality = 'medium',
  ) {}

  async resample(mono: Float32Array, inputRate: number): Promise<Float32Array> {
    if (inputRate === this.outputRate) return mono;
    if (!(inputRate > 0)) throw new RangeError(`bad input sample rate ${inputRate}`);
    let src = this.converters.get(inputRate);
    if (!src) {
      const type = { best: 0, medium: 1, fastest: 2 }[this.quality] as 0 | 1 | 2;
      src = await libsamplerate.create(1, inputRate, this.outputRate, { converterType: type });
      this.converters.set(inputRate, src);
    }
    const out = src.simple(mono);
    if (mono.length * 4 > SIMPLE_LIMIT_BYTES) {
      src.destroy();
      this.converters.delete(inputRate);
    }
    // The library hands back a view into wasm memory in some paths; copy so
    // the next call cannot overwrite what the caller holds.
    return Float32Array.from(out);
  }

  /**
   * A converter for one continuous signal fed block by block: the filter state
   * carries across blocks, so the joins are seamless. close() frees it.
   */
  async stream(inputRate: number): Promise<{ push(block: Float32Array): Float32Array; close(): void }> {
    if (inputRate === this.outputRate) return { push: (b) => b.slice(), close: () => {} };
    if (!(inputRate > 0)) throw new RangeError(`bad input sample rate ${inputRate}`);
    const type = { best: 0, medium: 1, fastest: 2 }[this.quality] as 0 | 1 | 2;
    const src = await libsamplerate.create(1, inputRate, this.outputRate, { converterType: type });
    return { push: (b) => Float32Array.from(src.full(b)), close: () => src.destroy() };
  }

  close(): void {
    for (const src of this.converters.values()) src.destroy();
    this.converters.clear();
  }
}
