// The robust-tagger command line.
import { Command, Option } from 'commander';
import { BACKENDS, parseBackend } from '../gpu/backend.js';
import { getDevice } from '../gpu/device.js';
import { describeDevice } from './info.js';

const program = new Command('robust-tagger')
  .description('Noise-robust music auto-tagging (SampleCNN + domain adversarial training) on WebGPU')
  .showHelpAfterError();

const backendOption = (): Option => new Option('--backend <name>', 'WebGPU backend (env ROBUST_TAGGER_BACKEND)').choices([...BACKENDS]);
const adapterOption = (): Option => new Option('--adapter <text>', 'pick the adapter whose name contains this text (env ROBUST_TAGGER_ADAPTER)');

program
  .command('info')
  .description('print the WebGPU adapter, backend, feature level and limits')
  .addOption(backendOption())
  .addOption(adapterOption())
  .action(async (opts: { backend?: string; adapter?: string }) => {
    const ctx = await getDevice({ backend: parseBackend(opts.backend, '--backend'), adapter: opts.adapter });
    console.log(describeDevice(ctx));
    ctx.destroy();
  });

/** Commands that parse their own flags (and print their own --help). */
function delegate(name: string, description: string, run: () => Promise<(args: string[]) => Promise<number>>): void {
  program
    .command(name)
    .description(description)
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]')
    .action(async (args: string[]) => {
      process.exitCode = await (await run())(args);
    });
}

delegate('demo', 'the whole pipeline on built-in synthetic data, from nothing to a report (demo --help)', async () => (await import('./demo.js')).runDemo);
delegate('prepare', 'decode and resample a data set once into the training cache (--help for layouts)', async () => (await import('./prepare.js')).runPrepare);
delegate('summary', 'print a model layer by layer as thesis Table 3.1 (summary --help)', async () => (await import('./summary.js')).runSummary);
delegate('train', 'train one stage: pretrain | domain | dat | baseline | supervised (train --help)', async () => (await import('./train.js')).runTrain);
delegate('eval', 'evaluate models on clean and noisy audio (SNR 10 … -10 dB, seen and unseen noise) (eval --help)', async () => (await import('./eval.js')).runEval);
delegate('tag', 'tag audio files with a trained model: top-k tags and a timeline (tag --help)', async () => (await import('./tag.js')).runTag);
delegate('tune', 'measure kernel variants for a model\'s training step and tagging on this adapter; caches the winners (tune --help)', async () => (await import('./tune.js')).runTune);
delegate('bench', 'benchmarks against the JavaScript WebGPU peers, on the current adapter', async () => (await import('../../bench/main.js')).runBench);

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(`robust-tagger: ${(e as Error).message}`);
  process.exit(1);
});
