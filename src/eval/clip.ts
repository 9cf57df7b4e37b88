// Clip-level prediction from a fixed-input model: split the clip into
// non-overlapping chunks, run the model on each, average the sigmoid outputs
// (CLMR's and the thesis's evaluation protocol).

/** SampleCNN input length: 3^9 samples, ~2.7 s at 22050 Hz. */
export const SAMPLECNN_CHUNK = 59049;

/**
 * Start offsets of the non-overlapping chunks of a clip. The last partial
 * chunk is dropped (the protocol above), so the tail of a clip shorter than
 * a whole number of chunks is never seen.
 *
 * A clip shorter than one chunk still yields one chunk at offset 0: dropping
 * it would remove the clip (and its labels) from the evaluated set and bias
 * the averages. `extractChunks` zero-pads that chunk at the end; silence is
 * what an unconditioned padding adds to a waveform model, and it is the
 * choice that keeps the real samples unshifted.
 */
export function chunkOffsets(clipLength: number, chunkLength: number): number[] {
  if (!Number.isInteger(chunkLength) || chunkLength <= 0) {
    throw new Error(`chunkLength must be a positive integer, got ${chunkLength}`);
  }
  if (!Number.isInteger(clipLength) || clipLength < 0) {
    throw new Error(`clipLength must be a non-negative integer, got ${clipLength}`);
  }
  const whole = Math.floor(clipLength / chunkLength);
  if (whole === 0) return [0];
  return Array.from({ length: whole }, (_, i) => i * chunkLength);
}

/** The chunks of one clip, concatenated: [chunks, chunkLength], zero-padded if short. */
export function extractChunks(audio: Float32Array, chunkLength: number): { data: Float32Array; count: number } {
  const offsets = chunkOffsets(audio.length, chunkLength);
  const data = new Float32Array(offsets.length * chunkLength);
  offsets.forEach((offset, i) => {
    const end = Math.min(offset + chunkLength, audio.length);
    data.set(audio.subarray(offset, end), i * chunkLength);
  });
  return { data, count: offsets.length };
}

/** Logistic function without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Mean over chunks of sigmoid(logit): `logits` is [chunks, tags] row-major;
 * the result is one row of `tags` probabilities. The average is taken after
 * the sigmoid (not on logits) because that is what the protocol specifies.
 */
export function clipProbabilities(logits: ArrayLike<number>, chunks: number, tags: number): Float32Array {
  if (chunks <= 0) throw new Error('a clip needs at least one chunk');
  if (logits.length !== chunks * tags) {
    throw new Error(`expected ${chunks} chunks × ${tags} tags = ${chunks * tags} logits, got ${logits.length}`);
  }
  const sums = new Float64Array(tags);
  for (let c = 0; c < chunks; c++) {
    for (let t = 0; t < tags; t++) sums[t] += sigmoid(logits[c * tags + t]);
  }
  const out = new Float32Array(tags);
  for (let t = 0; t < tags; t++) out[t] = sums[t] / chunks;
  return out;
}
