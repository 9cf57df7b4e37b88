// `robust-tagger prepare`: decode and resample a data set once into the
// int16 shard cache that training reads. Resumable: run it again after an
// interruption and it continues where the last complete shard ended.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { buildCache } from '../data/cacheBuilder.js';
import { demoLayout, generateDemoData } from '../data/demo.js';
import { readJamendo } from '../data/jamendo.js';
import { readMtat } from '../data/mtat.js';
import { readNoiseSet } from '../data/noiseSet.js';
import { ProgressBar } from '../data/progress.js';
import { AudioDecoder } from '../data/decode.js';
import type { ResampleQuality } from '../data/resample.js';
import type { DatasetListing } from '../data/types.js';
import { existsSync } from 'node:fs';

export const PREPARE_HELP = `Usage: robust-tagger prepare --dataset <kind> --root <dir> --out <cache dir> [options]

Decodes every audio file once (WAV, MP3, FLAC, Ogg Vorbis), mixes it to mono,
resamples it to 22,050 Hz and stores it as int16 shards plus index.json.
Re-running resumes an interrupted build and re-decodes changed files.

Kinds:
  mtat      MagnaTagATune: <root>/annotations_final.csv, audio in 0-9,a-f
  jamendo   MTG-Jamendo: <root>/data/splits/split-N/autotagging*-{train,validation,test}.tsv
  noise     any folder of audio files (MUSAN tree, AudioSet clips, ...)
  demo      generate the synthetic demo set into --root (if missing) and cache
            it into <out>/music, <out>/noise-internal and <out>/noise-external

Options:
  --dataset <kind>      mtat | jamendo | noise | demo (required)
  --root <dir>          data set folder (required)
  --out <dir>           cache folder (required)
  --audio-dir <dir>     folder audio paths are relative to (mtat, jamendo)
  --tags <a,b,...>      tag list instead of the 50 most frequent in training
  --top <n>             number of most frequent tags to keep (default 50)
  --split-index <n>     MTG-Jamendo split-N (default 0)
  --subset <name>       MTG-Jamendo file prefix (default autotagging_top50tags if present)
  --include <a,b,...>   noise: keep only these top-level folders (e.g. noise)
  --seed <n>            noise split seed / demo seed (default 0)
  --quality <q>         resampler: best | medium | fastest (default medium)
  --verify              re-check checksums of already cached clips
  --shard-mb <n>        shard size in MiB (default 64)
  -h, --help            show this help
`;

export async function runPrepare(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      allowPositionals: false,
      options: {
        dataset: { type: 'string' },
        root: { type: 'string' },
        out: { type: 'string' },
        'audio-dir': { type: 'string' },
        tags: { type: 'string' },
        top: { type: 'string' },
        'split-index': { type: 'string' },
        subset: { type: 'string' },
        include: { type: 'string' },
        seed: { type: 'string' },
        quality: { type: 'string' },
        verify: { type: 'boolean' },
        'shard-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`prepare: ${(e as Error).message}\n\n${PREPARE_HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(PREPARE_HELP);
    return 0;
  }
  const { dataset, root, out } = values;
  if (!dataset || !root || !out) {
    process.stderr.write(`prepare: --dataset, --root and --out are required\n\n${PREPARE_HELP}`);
    return 2;
  }
  const num = (v: string | undefined, name: string, dflt: number) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a number (got ${v})`);
    return n;
  };
  const list = (v: string | undefined) => v?.split(',').map((s) => s.trim()).filter(Boolean);
  const quality = (values.quality ?? 'medium') as ResampleQuality;
  if (!['best', 'medium', 'fastest'].includes(quality)) {
    process.stderr.write(`prepare: --quality must be best, medium or fastest\n`);
    return 2;
  }
  try {
    const seed = num(values.seed, 'seed', 0);
    const jobs: { name: string; listing: () => DatasetListing; dir: string }[] = [];
    switch (dataset) {
      case 'mtat':
        jobs.push({ name: 'mtat', dir: out, listing: () => readMtat({ root, audioDir: values['audio-dir'], tags: list(values.tags), topN: num(values.top, 'top', 50) }) });
        break;
      case 'jamendo':
        jobs.push({
          name: 'jamendo', dir: out,
          listing: () => readJamendo({ root, audioDir: values['audio-dir'], tags: list(values.tags), topN: num(values.top, 'top', 50), splitIndex: num(values['split-index'], 'split-index', 0), subset: values.subset }),
        });
        break;
      case 'noise':
        jobs.push({ name: 'noise', dir: out, listing: () => readNoiseSet({ root, seed, include: list(values.include) }) });
        break;
      case 'demo': {
        const layout = existsSync(join(root, 'mtat', 'annotations_final.csv')) ? demoLayout(root) : generateDemoData(root, { seed });
        jobs.push({ name: 'demo music', dir: join(out, 'music'), listing: () => readMtat({ root: layout.music }) });
        jobs.push({ name: 'demo internal noise', dir: join(out, 'noise-internal'), listing: () => readNoiseSet({ root: layout.noiseInternal, seed }) });
        jobs.push({ name: 'demo external noise', dir: join(out, 'noise-external'), listing: () => readNoiseSet({ root: layout.noiseExternal, seed }) });
        break;
      }
      default:
        process.stderr.write(`prepare: unknown --dataset ${dataset} (mtat, jamendo, noise or demo)\n`);
        return 2;
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
          shardBytes: num(values['shard-mb'], 'shard-mb', 64) * 1024 * 1024,
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
  }
}
