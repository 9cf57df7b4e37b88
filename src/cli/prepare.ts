// `robust-tagger prepare`: decode and resample a data set once into the
// int16 shard cache that training reads. Resumable: run it again after an
// interruption and it continues where the last complete shard ended.
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildCache } from '../data/cacheBuilder.js';
import { AudioDecoder } from '../data/decode.js';
import { demoLayout, generateDemoData } from '../data/demo.js';
import { readJamendo } from '../data/jamendo.js';
import { readMtat } from '../data/mtat.js';
import { readNoiseSet } from '../data/noiseSet.js';
import { ProgressBar } from '../data/progress.js';
import type { ResampleQuality } from '../data/resample.js';
import type { DatasetListing } from '../data/types.js';
import { lockForCommand } from './lock.js';
import { choiceOption, intOption, listOption, onRun, runCommand } from './options.js';

const KINDS = `Kinds:
  mtat      MagnaTagATune: <root>/annotations_final.csv, audio in 0-9,a-f; tags: the canonical top 50
            of published MTAT results (tags without positives are reported and excluded)
  jamendo   MTG-Jamendo: <root>/data/splits/split-N/autotagging*-{train,validation,test}.tsv
  noise     any folder of audio files (MUSAN tree, AudioSet clips, ...)
  demo      generate the synthetic demo set into --root (if missing) and cache
            it into <out>/music, <out>/noise-internal and <out>/noise-external`;

interface PrepareFlags {
  dataset: 'mtat' | 'jamendo' | 'noise' | 'demo';
  root: string;
  out: string;
  audioDir?: string;
  tags?: string[];
  top?: number;
  splitIndex: number;
  subset?: string;
  include?: string[];
  seed: number;
  quality: ResampleQuality;
  verify?: boolean;
  shardMb: number;
}

export function prepareCommand(): Command {
  const cmd = new Command('prepare')
    .description('decode and resample a data set once into the training cache (WAV, MP3, FLAC, Ogg Vorbis → mono int16 at 22,050 Hz); rerunning resumes')
    .addOption(choiceOption('--dataset <kind>', 'data set layout', ['mtat', 'jamendo', 'noise', 'demo']).makeOptionMandatory())
    .requiredOption('--root <dir>', 'data set folder')
    .requiredOption('--out <dir>', 'cache folder (locked while prepare runs)')
    .option('--audio-dir <dir>', 'folder audio paths are relative to (mtat, jamendo)')
    .addOption(listOption('--tags <a,b,...>', 'tag list to use instead of the default one'))
    .addOption(intOption('--top <n>', 'use the n most frequent training tags instead (mtat: instead of the canonical 50; jamendo default 50)', { min: 1, max: 10000 }).conflicts('tags'))
    .addOption(intOption('--split-index <n>', 'MTG-Jamendo split-N', { min: 0, max: 99, default: 0 }))
    .option('--subset <name>', 'MTG-Jamendo file prefix (default autotagging_top50tags if present)')
    .addOption(listOption('--include <a,b,...>', 'noise: keep only these top-level folders (e.g. noise)'))
    .addOption(intOption('--seed <n>', 'noise split seed / demo seed', { min: 0, max: 2 ** 32 - 1, default: 0 }))
    .addOption(choiceOption('--quality <q>', 'resampler quality', ['best', 'medium', 'fastest'], 'medium'))
    .option('--verify', 're-check checksums of already cached clips')
    .addOption(intOption('--shard-mb <n>', 'shard size in MiB', { min: 1, max: 4096, default: 64 }))
    .addHelpText('after', `\n${KINDS}`);
  return onRun(cmd, (v: PrepareFlags) => prepare(v));
}

export const runPrepare = (args: readonly string[]): Promise<number> => runCommand(prepareCommand(), args);

async function prepare(values: PrepareFlags): Promise<number> {
  const { dataset, root, out } = values;
  const lock = lockForCommand(out, `robust-tagger prepare --dataset ${dataset}`, 'prepare');
  if (!lock) return 1;
  try {
    const { seed, quality } = values;
    const jobs: { name: string; listing: () => DatasetListing; dir: string }[] = [];
    switch (dataset) {
      case 'mtat':
        jobs.push({ name: 'mtat', dir: out, listing: () => readMtat({ root, audioDir: values.audioDir, tags: values.tags ?? (values.top ? undefined : 'canonical'), topN: values.top }) });
        break;
      case 'jamendo':
        jobs.push({
          name: 'jamendo', dir: out,
          listing: () => readJamendo({ root, audioDir: values.audioDir, tags: values.tags, topN: values.top ?? 50, splitIndex: values.splitIndex, subset: values.subset }),
        });
        break;
      case 'noise':
        jobs.push({ name: 'noise', dir: out, listing: () => readNoiseSet({ root, seed, include: values.include }) });
        break;
      case 'demo': {
        const layout = existsSync(join(root, 'mtat', 'annotations_final.csv')) ? demoLayout(root) : generateDemoData(root, { seed });
        jobs.push({ name: 'demo music', dir: join(out, 'music'), listing: () => readMtat({ root: layout.music }) });
        jobs.push({ name: 'demo internal noise', dir: join(out, 'noise-internal'), listing: () => readNoiseSet({ root: layout.noiseInternal, seed }) });
        jobs.push({ name: 'demo external noise', dir: join(out, 'noise-external'), listing: () => readNoiseSet({ root: layout.noiseExternal, seed }) });
        break;
      }
    }
    const decoder = new AudioDecoder(undefined, quality);
    try {
      for (const job of jobs) {
        const listing = job.listing();
        for (const w of listing.warnings) process.stderr.write(`warning: ${w}\n`);
        const bar = new ProgressBar(job.name);
        const sum = await buildCache(listing, job.dir, {
          decoder,
          verify: values.verify ?? false,
          shardBytes: values.shardMb * 1024 * 1024,
          onProgress: (d, t) => bar.update(d, t),
          log: (l) => process.stderr.write(`\n${l}\n`),
        });
        process.stdout.write(
          `${job.name}: ${sum.total} files, ${sum.decoded} decoded, ${sum.reused} already cached, ` +
            `${sum.stale} stale, ${sum.corrupt} corrupt, ${sum.skipped.summary()} -> ${job.dir}\n`,
        );
      }
    } finally {
      decoder.close();
    }
    // Skipped files are reported, not fatal: the cache is usable without them.
    return 0;
  } catch (e) {
    process.stderr.write(`prepare: ${(e as Error).message}\n`);
    return 1;
  } finally {
    lock.release();
  }
}
