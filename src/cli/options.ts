// The one way the command line declares and parses options: commander
// Options whose type, range, choices and default are stated once; help text is
// generated from the same declaration, and a bad value exits 2 naming the flag
// and what it accepts.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { BACKENDS } from '../gpu/backend.js';

export interface IntRange { min: number; max?: number }
export interface NumberRange { min: number; max?: number; minOpen?: boolean; maxOpen?: boolean }

export function describeInt(r: IntRange): string {
  return r.max === undefined ? `an integer >= ${r.min}` : `an integer from ${r.min} to ${r.max}`;
}

export function describeNumber(r: NumberRange): string {
  const lo = `${r.minOpen ? '>' : '>='} ${r.min}`;
  return r.max === undefined ? `a number ${lo}` : `a number ${lo} and ${r.maxOpen ? '<' : '<='} ${r.max}`;
}

/** Parses an integer flag value; rejects "abc", "2.5", "", "1e3x" and out-of-range values. */
export function parseIntIn(text: string, r: IntRange): number {
  const n = /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < r.min || (r.max !== undefined && n > r.max)) throw new InvalidArgumentError(`expected ${describeInt(r)}.`);
  return n;
}

export function parseNumberIn(text: string, r: NumberRange): number {
  const n = text.trim() === '' ? NaN : Number(text);
  const lowOk = r.minOpen ? n > r.min : n >= r.min;
  const highOk = r.max === undefined || (r.maxOpen ? n < r.max : n <= r.max);
  if (!Number.isFinite(n) || !lowOk || !highOk) throw new InvalidArgumentError(`expected ${describeNumber(r)}.`);
  return n;
}

const withDefault = (o: Option, d: unknown): Option => (d === undefined ? o : o.default(d));

export function intOption(flags: string, description: string, r: IntRange & { default?: number }): Option {
  return withDefault(new Option(flags, `${description} (${describeInt(r)})`).argParser((v) => parseIntIn(v, r)), r.default);
}

export function numberOption(flags: string, description: string, r: NumberRange & { default?: number }): Option {
  return withDefault(new Option(flags, `${description} (${describeNumber(r)})`).argParser((v) => parseNumberIn(v, r)), r.default);
}

export function choiceOption(flags: string, description: string, choices: readonly string[], dflt?: string): Option {
  return withDefault(new Option(flags, description).choices([...choices]), dflt);
}

/** A comma-separated list of distinct, non-empty names (tags, folders). */
export function listOption(flags: string, description: string): Option {
  return new Option(flags, `${description} (comma-separated, no duplicates)`).argParser((v) => {
    const items = v.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new InvalidArgumentError('expected comma-separated names with none empty.');
    const dup = items.find((s, i) => items.indexOf(s) !== i);
    if (dup !== undefined) throw new InvalidArgumentError(`"${dup}" is listed twice.`);
    return items;
  });
}

export const backendOption = (): Option => choiceOption('--backend <name>', 'WebGPU backend (env ROBUST_TAGGER_BACKEND)', BACKENDS);
export const adapterOption = (): Option => new Option('--adapter <text>', 'pick the adapter whose name contains this text (env ROBUST_TAGGER_ADAPTER)');
export const workersOption = (): Option => intOption('--workers <n>', 'data worker threads (default: cores - 1)', { min: 0, max: 256 });

/** Reads a JSON file a user hands us: a byte-order mark is allowed, and every error names the file. */
export function readJsonFile(path: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${flag} ${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** A mistake in what the user asked for (flags, files named by flags): exit status 2. */
export class UsageError extends Error {}

/** Exit statuses of the commands being run by runCommand, keyed by the command it was given. */
const exitCodes = new Map<Command, number>();

function runningRoot(c: Command): Command {
  for (let r: Command | null = c; r; r = r.parent) if (exitCodes.has(r)) return r;
  return c;
}

/**
 * Registers an action that returns the command's exit status. UsageError
 * becomes exit 2 with its message; anything else propagates.
 */
export function onRun<A extends unknown[]>(cmd: Command, run: (...args: A) => Promise<number>): Command {
  return cmd.action(async (...args: unknown[]) => {
    let code: number;
    try {
      code = await run(...(args as A));
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      const path: string[] = [];
      for (let c: Command | null = cmd; c && c.name() !== 'robust-tagger'; c = c.parent) path.unshift(c.name());
      console.error(`robust-tagger ${path.join(' ')}: ${e.message}`);
      code = 2;
    }
    exitCodes.set(runningRoot(cmd), code);
  });
}

function prepareTree(c: Command): void {
  const flags = c.options.filter((o) => !o.hidden).map((o) => o.long ?? o.short).filter(Boolean);
  c.exitOverride()
    // Through console, so help and errors go where every other message of the CLI goes (and tests capture them).
    .configureOutput({ writeOut: (t) => console.log(t.trimEnd()), writeErr: (t) => console.error(t.trimEnd()) })
    .showSuggestionAfterError(true)
    .showHelpAfterError(
      [c.commands.length ? `commands: ${c.commands.map((s) => s.name()).join(', ')}` : '', `allowed options: ${[...flags, '--help'].join(', ')}`].filter(Boolean).join('\n'),
    );
  for (const sub of c.commands) prepareTree(sub);
}

/**
 * Parses `args` (the words after the command name) with `cmd` and runs its
 * action. Returns the exit status: the action's, 0 after --help, 2 for a bad
 * flag, a bad value or a missing argument.
 */
export async function runCommand(cmd: Command, args: readonly string[]): Promise<number> {
  // A subcommand run on its own (runTag(args) in tests, demo calling prepare) still prints "Usage: robust-tagger tag".
  const root = cmd.parent || cmd.name() === 'robust-tagger' ? cmd : new Command('robust-tagger').addCommand(cmd);
  const argv = root === cmd ? [...args] : [cmd.name(), ...args];
  prepareTree(root);
  exitCodes.set(cmd, 0);
  try {
    await root.parseAsync(argv, { from: 'user' });
    return exitCodes.get(cmd) ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  } finally {
    exitCodes.delete(cmd);
  }
}
