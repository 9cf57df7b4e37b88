// The `bench` command, and the one entry point from src/ into bench/:
// bench/main.ts's runBench. test/layering.test.ts lets no other file in src/
// import bench/. bench parses its own flags (it also runs on its own as
// dist/bench.js) and is loaded only when the command runs, so the CLI's other
// commands never load the peers it measures against (tfjs, jax-js).
import { Command } from 'commander';
import { onRun } from './options.js';

export function benchCommand(): Command {
  const bench = new Command('bench')
    .description('benchmarks against the JavaScript WebGPU peers, on the current adapter (bench --help)')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .argument('[args...]');
  onRun(bench, async (args: string[]) => (await import('../../bench/main.js')).runBench(args));
  return bench;
}
