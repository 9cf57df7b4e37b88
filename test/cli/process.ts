// Running the real CLI as child processes (locks, signals and memory are
// properties of processes): src/cli/main.ts bundled once per test file by
// esbuild, the way `npm run build` bundles it, into node_modules/.cache so
// its external packages resolve from the repository.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Plugin, build } from 'esbuild';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let bundled: Promise<string> | null = null;

/** Path of a runner script: `node <runner> <args>` is `robust-tagger <args>`, printing its peak RSS to stderr at exit. */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    // The same WGSL loader as `npm run build` (it also runs the build-time generators of *.gen.wgsl).
    const { wgslText } = (await import(pathToFileURL(join(repo, 'scripts/esbuild-plugins.mjs')).href)) as { wgslText: Plugin };
    const built = await build({
      entryPoints: [join(repo, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'esm', write: false,
      packages: 'external', plugins: [wgslText], logLevel: 'silent', target: 'es2022',
    });
    const code = built.outputFiles[0].contents;
    // Named by content: test files share one bundle per source version, and reruns leave nothing new behind.
    const dir = join(repo, 'node_modules', '.cache', 'robust-tagger-test', createHash('sha256').update(code).digest('hex').slice(0, 16));
    const runner = join(dir, 'run.mjs');
    if (!existsSync(runner)) {
      mkdirSync(dir, { recursive: true });
      const cli = join(dir, 'cli.mjs');
      writeAtomically(cli, code);
      writeAtomically(runner, [
        "process.on('exit', () => process.stderr.write(`\\nmaxRSS_kB ${process.resourceUsage().maxRSS}\\n`));",
        `await import(${JSON.stringify(pathToFileURL(cli).href)});`,
      ].join('\n'));
    }
    return runner;
  })();
  return bundled;
}

function writeAtomically(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process exits. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; maxRssMb: number }>;
}

export async function startCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const runner = await cliBundle();
  const child = spawn(process.execPath, [runner, ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += String(d)));
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; maxRssMb: number }>((resolve) => {
    child.on('close', (code, signal) => {
      const rss = /maxRSS_kB (\d+)/.exec(stderr);
      resolve({ code, signal, stdout, stderr, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN });
    });
  });
  return { child, done };
}

export async function runCli(args: string[], env?: Record<string, string>) {
  return (await startCli(args, env)).done;
}
