// The robust-tagger command line: one commander program; every subcommand
// declares its options once (src/cli/options.ts) and help is generated from them.
import { Command, Option } from 'commander';
import { getDevice } from '../gpu/device.js';
import { benchCommand } from './bench.js';
import { describeDevice } from './info.js';
import { demoCommand } from './demo.js';
import { evalCommand } from './eval.js';
import { gridCommand } from './grid.js';
import { adapterOption, backendOption, onRun, runCommand } from './options.js';
import { prepareCommand } from './prepare.js';
import { summaryCommand } from './summary.js';
import { tagCommand } from './tag.js';
import { tuneCommand } from './tune.js';
import { trainCommand } from './train.js';
import { workerCommand } from './worker.js';
import { parseBackend } from '../gpu/backend.js';

const program = new Command('robust-tagger')
  .description('Noise-robust music auto-tagging (SampleCNN + domain adversarial training) on WebGPU')
  .addOption(new Option('--tune <mode>', 'kernel autotuning: off, cached (use the per-adapter cache), full (measure again) (env ROBUST_TAGGER_TUNE)').choices(['off', 'cached', 'full']))
  .hook('preAction', (root) => {
    const o = root.opts<{ tune?: string }>();
    if (o.tune) process.env.ROBUST_TAGGER_TUNE = o.tune;
  });

const info = new Command('info').description('print the WebGPU adapter, backend, feature level and limits').addOption(backendOption()).addOption(adapterOption());
onRun(info, async (o: { backend?: string; adapter?: string }) => {
  const ctx = await getDevice({ backend: parseBackend(o.backend, '--backend'), adapter: o.adapter });
  console.log(describeDevice(ctx));
  ctx.destroy();
  return 0;
});

for (const c of [info, demoCommand(), prepareCommand(), summaryCommand(), trainCommand(), evalCommand(), tagCommand(), tuneCommand(), gridCommand(), workerCommand(), benchCommand()]) program.addCommand(c);

runCommand(program, process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`robust-tagger: ${(e as Error).message}`);
    process.exitCode = 1;
  },
);
