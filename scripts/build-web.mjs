// Builds the in-browser tagging page into a self-contained folder (default
// dist/web): index.html, styles.css, the page bundle, manifest.json and, when
// one is found, a default model so the page tags audio without a user checkpoint.
//
//   node scripts/build-web.mjs [--out dist/web] [--model <checkpoint.safetensors> | --no-model]
//
// Without --model the demo's model is used when present: the first seed's
// runs/demo/seed-N/dat/best.safetensors, else another checkpoint with a label predictor.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { prebuiltWgsl, stubNodeGpu } from './esbuild-plugins.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The header of a safetensors file: tensor names and metadata, without reading the weights. */
function readHeader(path) {
  const bytes = readFileSync(path);
  if (bytes.length < 8) throw new Error(`${path}: too short to be a safetensors file`);
  const n = Number(bytes.readBigUInt64LE(0));
  if (n <= 0 || 8 + n > bytes.length) throw new Error(`${path}: bad safetensors header length ${n}`);
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  return { names: Object.keys(header).filter((k) => k !== '__metadata__'), meta: header.__metadata__ ?? {} };
}

/** A cheap build-time check; the page runs the full validation (loadTagger) when it loads the model. */
export function checkTaggerCheckpoint(path) {
  const { names, meta } = readHeader(path);
  if (!meta.model_config) throw new Error(`${path}: no model_config in the metadata; not a robust-tagger checkpoint`);
  if (!meta.tags) throw new Error(`${path}: no tag list in the metadata`);
  if (!names.some((n) => n.startsWith('label_predictor.'))) throw new Error(`${path}: no label predictor (stage "${meta.stage ?? '?'}"); use a dat, baseline or supervised model`);
  return { stage: meta.stage ?? null, tags: JSON.parse(meta.tags).length };
}

/**
 * The demo's model: the DAT stage's best-on-validation weights of the first
 * seed (runs/demo/seed-N/dat/best.safetensors), then its last weights, then
 * any other stage holding a label predictor; run folders without seed-N
 * subfolders (a single `train` run) are searched the same way.
 */
export function findDemoModel(runsDir = join(root, 'runs', 'demo')) {
  const dirs = (d) => (existsSync(d) ? readdirSync(d).filter((n) => statSync(join(d, n)).isDirectory()).sort() : []);
  const seeds = dirs(runsDir).filter((n) => /^seed-\d+$/.test(n)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const candidates = [];
  for (const run of [...seeds.map((s) => join(runsDir, s)), runsDir]) {
    const stages = ['dat', ...dirs(run).filter((n) => n !== 'dat' && !/^seed-\d+$/.test(n))];
    for (const stage of stages) for (const file of ['best.safetensors', 'model.safetensors']) candidates.push(join(run, stage, file));
  }
  for (const p of candidates) {
    if (!existsSync(p)) continue;
    try {
      checkTaggerCheckpoint(p);
      return p;
    } catch {
      // e.g. a pretrain checkpoint: no label predictor, cannot tag.
    }
  }
  return null;
}

/**
 * @param {{ outDir?: string, model?: string | null | false, minify?: boolean, quiet?: boolean }} opts
 *   model: a checkpoint path; undefined → look for the demo's; null/false → none.
 */
export async function buildWeb(opts = {}) {
  const outDir = resolve(opts.outDir ?? join(root, 'dist', 'web'));
  const model = opts.model === undefined ? findDemoModel() : opts.model || null;
  if (model) checkTaggerCheckpoint(model);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: { 'tagger-page': join(root, 'web', 'main.ts') },
    outdir: outDir,
    bundle: true,
    minify: opts.minify ?? true,
    sourcemap: true,
    loader: { '.wgsl': 'text' },
    logLevel: 'warning',
    target: 'es2022',
    platform: 'browser',
    format: 'esm',
    plugins: [stubNodeGpu, prebuiltWgsl(root)],
  });
  for (const f of ['index.html', 'styles.css']) copyFileSync(join(root, 'web', f), join(outDir, f));
  const manifest = { defaultModel: null, modelSource: null, builtAt: new Date().toISOString() };
  if (model) {
    copyFileSync(model, join(outDir, 'model.safetensors'));
    manifest.defaultModel = 'model.safetensors';
    const rel = relative(root, resolve(model));
    manifest.modelSource = rel.startsWith('..') ? model.split(/[\\/]/).slice(-2).join('/') : rel;
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const bundle = readFileSync(join(outDir, 'tagger-page.js'));
  const sizes = { bundle: bundle.length, bundleGzip: gzipSync(bundle, { level: 9 }).length, model: model ? statSync(model).size : 0 };
  if (!opts.quiet) {
    console.log(`built ${relative(process.cwd(), outDir) || '.'}: tagger-page.js ${sizes.bundle} bytes (${sizes.bundleGzip} gzipped)`);
    console.log(model ? `default model: ${model} (${sizes.model} bytes)` : 'no default model (the page asks for a .safetensors); pass --model <file> or run the demo first');
  }
  return { outDir, model, sizes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, model: { type: 'string' }, 'no-model': { type: 'boolean' }, 'no-minify': { type: 'boolean' } } });
  try {
    await buildWeb({ outDir: values.out, model: values['no-model'] ? null : values.model, minify: !values['no-minify'] });
  } catch (e) {
    console.error(`build:web: ${e.message}`);
    process.exit(1);
  }
}
