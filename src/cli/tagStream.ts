// Tagging a recording that arrives in blocks (AudioDecoder.streamFile): only
// the windows of the current batch and the per-window logits are held, so a
// 20-minute file costs what a 20-second one does plus 4 bytes × tags per
// window. The windows, the file probabilities and the timeline are those of
// eval/tagging.ts's tagAudio (non-overlapping windows, the partial last one
// dropped unless it is the only one, file score = mean of window sigmoids).
import { clipProbabilities, sigmoid } from '../eval/clip.js';
import type { PredictFn } from '../eval/grid.js';
import type { TaggingOptions, TaggingResult } from '../eval/tagging.js';

export async function tagStream(blocks: AsyncIterable<Float32Array>, predict: PredictFn, opts: TaggingOptions): Promise<TaggingResult> {
  const T = opts.tagNames.length;
  const L = opts.windowLength;
  const batch = Math.max(1, opts.batchWindows ?? 16);
  const windows = new Float32Array(batch * L);
  let filled = 0; // samples in `windows`
  let total = 0; // samples seen
  const logits: number[] = [];
  const run = async (count: number): Promise<void> => {
    const out = await predict(windows.subarray(0, count * L), count, L);
    if (out.length !== count * T) throw new Error(`the model returned ${out.length} values for ${count} windows × ${T} tags`);
    for (const v of out) logits.push(v);
    opts.onProgress?.(logits.length / T, Math.floor(total / L));
  };
  for await (const block of blocks) {
    total += block.length;
    for (let at = 0; at < block.length;) {
      const n = Math.min(block.length - at, windows.length - filled);
      windows.set(block.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === windows.length) {
        await run(batch);
        filled = 0;
      }
    }
  }
  if (total === 0) throw new Error('the audio is empty: nothing to tag');
  const whole = Math.floor(filled / L);
  if (whole > 0) await run(whole);
  else if (logits.length === 0) {
    // Shorter than one window: the one window, zero-padded (as tagAudio does).
    windows.fill(0, filled, L);
    await run(1);
  }
  const count = logits.length / T;
  const file = clipProbabilities(logits, count, T);
  const tags = opts.tagNames.map((tag, i) => ({ tag, probability: file[i] })).sort((a, b) => b.probability - a.probability);
  const timeline = Array.from({ length: count }, (_, w) => ({
    startSeconds: (w * L) / opts.sampleRate,
    endSeconds: Math.min((w + 1) * L, total) / opts.sampleRate,
    probabilities: logits.slice(w * T, (w + 1) * T).map(sigmoid),
  }));
  return { durationSeconds: total / opts.sampleRate, windowSeconds: L / opts.sampleRate, tagNames: [...opts.tagNames], tags, timeline };
}
