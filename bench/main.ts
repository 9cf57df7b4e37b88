// `npm run bench`: kernel and step benchmarks on the current adapter, each beside
// its JavaScript WebGPU peers measured in the same run, reported as ratios.
import { parseArgs } from 'node:util';
import { parseBackend } from '../src/gpu/backend.js';
import { getDevice } from '../src/gpu/device.js';
import { type BenchResult, benchMatmul } from './matmul.js';

function report(r: BenchResult): string {
  let line = `${r.name.padEnd(34)} ours ${r.ms.toFixed(1).padStart(9)} ms ${r.gflops.toFixed(2).padStart(7)} GFLOP/s`;
  if (r.peer && 'ms' in r.peer) {
    line += ` | ${r.peer.name} ${r.peer.ms.toFixed(1).padStart(9)} ms ${r.peer.gflops.toFixed(2).padStart(7)} GFLOP/s | speed-up ×${(r.peer.ms / r.ms).toFixed(2)}`;
  } else if (r.peer) {
    line += ` | ${r.peer.name}: not measured (${r.peer.error})`;
  }
  return line;
}

export async function runBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { backend: { type: 'string' }, only: { type: 'string' }, reps: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('usage: robust-tagger bench [--backend auto|vulkan|opengl|swiftshader] [--only matmul] [--reps N]');
    return 0;
  }
  const ctx = await getDevice({ backend: parseBackend(values.backend, '--backend') });
  console.log(`adapter: ${ctx.adapter.backend} ${ctx.adapter.featureLevel} — ${ctx.adapter.description || ctx.adapter.device}`);
  const reps = values.reps ? Number(values.reps) : 5;
  const want = (name: string): boolean => !values.only || values.only.split(',').includes(name);
  if (want('matmul')) console.log(report(await benchMatmul(ctx, reps)));
  return 0;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  runBench(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
