// `robust-tagger tag`: tags audio files of any length and sample rate with a
// trained checkpoint: top-k tags for each file and a per-window timeline.
// Files are streamed (decoded, resampled and windowed a block at a time).
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { AudioDecoder, DecodeError } from '../data/decode.js';
import { type TaggedFile, formatTagging, taggingDocument } from '../eval/tagging.js';
import { parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { loadTagger } from '../models/tagger.js';
import { resolveModelFile } from './modelFile.js';
import { backendOption, intOption, onRun, runCommand } from './options.js';
import { tagStream } from './tagStream.js';

interface TagFlags {
  model: string;
  topK: number;
  json?: boolean;
  batch: number;
  backend?: string;
}

export function tagCommand(): Command {
  const cmd = new Command('tag')
    .description('tag audio files (WAV, MP3, FLAC, Ogg Vorbis; any length and sample rate) with the model of a dat, baseline or supervised run: top-k tags and a per-window timeline')
    .argument('<audio...>', 'audio files')
    .requiredOption('--model <path>', 'trained checkpoint, or a stage folder (<run>/dat): its best.safetensors (best on validation), else model.safetensors')
    .addOption(intOption('--top-k <n>', 'tags to list per file', { min: 1, max: 10000, default: 5 }))
    .option('--json', 'print one JSON document with every file\'s tags and timeline')
    .addOption(intOption('--batch <n>', 'windows per GPU call', { min: 1, max: 4096, default: 32 }))
    .addOption(backendOption())
    .addHelpText('after', '\nEach file is resampled to the model\'s rate and cut into non-overlapping windows; file probabilities\nare the mean of the windows\' sigmoid outputs.\n\nExit status: 0 when every file was tagged; 1 when a file could not be read or decoded (the message\nnames the file and the reason); 2 for bad options.');
  return onRun(cmd, (files: string[], v: TagFlags) => tag(files, v));
}

export const runTag = (args: readonly string[]): Promise<number> => runCommand(tagCommand(), args);

async function tag(files: string[], v: TagFlags): Promise<number> {
  let modelBytes: Uint8Array;
  const model = resolveModelFile(v.model);
  try {
    modelBytes = readFileSync(model);
  } catch (e) {
    console.error(`robust-tagger tag: cannot read the model ${model}: ${(e as Error).message}`);
    return 1;
  }
  const ctx = await getDevice({ backend: parseBackend(v.backend, '--backend') });
  const tagger = loadTagger(ctx, modelBytes, model);
  // The quality the training cache is prepared with, so the model hears what it was trained on.
  const decoder = new AudioDecoder(tagger.sampleRate, 'medium');
  const results: TaggedFile[] = [];
  let failed = 0;
  try {
    for (const file of files) {
      let r;
      try {
        r = await tagStream(decoder.streamFile(file), (w, n, l) => tagger.predict(w, n, l), {
          tagNames: tagger.tags, sampleRate: tagger.sampleRate, windowLength: tagger.windowLength, batchWindows: v.batch,
        });
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        failed++;
        console.error(`robust-tagger tag: ${e.message}`);
        continue;
      }
      if (v.json) results.push({ file, result: r });
      else console.log(`${formatTagging(file, r, v.topK)}\n`);
    }
  } finally {
    decoder.close();
    tagger.dispose();
    ctx.destroy();
  }
  if (v.json) console.log(JSON.stringify(taggingDocument(model, results, v.topK), null, 2));
  return failed > 0 ? 1 : 0;
}
