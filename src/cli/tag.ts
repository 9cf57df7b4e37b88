// `robust-tagger tag`: tags audio files of any length and sample rate with a
// trained checkpoint: top-k tags for each file and a per-window timeline.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AudioDecoder, DecodeError } from '../data/decode.js';
import { type TaggedFile, formatTagging, tagAudio, taggingDocument } from '../eval/tagging.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { loadTagger } from '../models/tagger.js';

export const TAG_HELP = `Usage: robust-tagger tag --model <checkpoint.safetensors> [options] <audio files...>

Tags WAV, MP3, FLAC or Ogg Vorbis files of any length and sample rate with the
model of a dat, baseline or supervised run (<run>/<stage>/model.safetensors).
Each file is resampled to the model's rate and cut into non-overlapping windows;
file probabilities are the mean of the windows' sigmoid outputs.

Options:
  --model <file>     trained checkpoint (required)
  --top-k <n>        tags to list per file (default 5)
  --json             print one JSON document with every file's tags and timeline
  --batch <n>        windows per GPU call (default 32)
  --backend <name>   WebGPU backend: auto | vulkan | opengl | swiftshader | metal | d3d12
  -h, --help         show this help

Exit status: 0 when every file was tagged; 1 when a file could not be read or
decoded (the message names the file and the reason); 2 for bad options.
`;

export async function runTag(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { model: { type: 'string' }, 'top-k': { type: 'string' }, json: { type: 'boolean' }, batch: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    console.error(`robust-tagger tag: ${(e as Error).message}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(TAG_HELP);
    return 0;
  }
  if (!values.model || positionals.length === 0) {
    console.error(`robust-tagger tag: ${!values.model ? '--model is required' : 'no audio files given'}\n\n${TAG_HELP}`);
    return 2;
  }
  const topK = Number(values['top-k'] ?? 5);
  if (!Number.isInteger(topK) || topK < 1) {
    console.error(`robust-tagger tag: --top-k must be a positive integer, got "${values['top-k']}"`);
    return 2;
  }
  const ctx = await getDevice({ backend: parseBackend(values.backend, '--backend') });
  let modelBytes: Uint8Array;
  try {
    modelBytes = readFileSync(values.model);
  } catch (e) {
    console.error(`robust-tagger tag: cannot read the model ${values.model}: ${(e as Error).message}`);
    return 1;
  }
  const tagger = loadTagger(ctx, modelBytes, values.model);
  // The quality the training cache is prepared with, so the model hears what it was trained on.
  const decoder = new AudioDecoder(tagger.sampleRate, 'medium');
  const results: TaggedFile[] = [];
  let failed = 0;
  for (const file of positionals) {
    let samples: Float32Array;
    try {
      samples = (await decoder.decodeFile(file)).samples;
    } catch (e) {
      failed++;
      const why = e instanceof DecodeError ? e.message : `${file}: ${(e as Error).message}`;
      console.error(`robust-tagger tag: ${why}`);
      continue;
    }
    const r = await tagAudio(samples, (w, n, l) => tagger.predict(w, n, l), {
      tagNames: tagger.tags, sampleRate: tagger.sampleRate, windowLength: tagger.windowLength, batchWindows: Number(values.batch ?? 32),
    });
    if (values.json) results.push({ file, result: r });
    else console.log(`${formatTagging(file, r, topK)}\n`);
  }
  if (values.json) console.log(JSON.stringify(taggingDocument(values.model, results, topK), null, 2));
  tagger.dispose();
  ctx.destroy();
  return failed > 0 ? 1 : 0;
}
