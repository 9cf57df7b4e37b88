// The layering of src/ (ARCHITECTURE.md's table, plus util/ below everything,
// and eval below train): every import of every file in src/ is read from its
// source text, and the test fails on an import from a higher layer, on an
// import cycle between files, and on bench/ imported from anywhere but its
// one entry point. `import type` counts like any other import: a type-only
// import upward still couples the lower layer to the higher one's
// definitions, and none is needed.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * The layers, lowest first, and what each may import besides itself. A folder
 * under src/ that is not listed here fails the test: add it with its place.
 */
const LAYERS: Record<string, readonly string[]> = {
  // Small Node-only utilities shared by layers that may not import each other (atomic file writes).
  util: [],
  gpu: ['util'],
  kernels: ['gpu', 'util'],
  autograd: ['kernels', 'gpu', 'util'],
  nn: ['autograd', 'kernels', 'gpu', 'util'],
  models: ['nn', 'autograd', 'kernels', 'gpu', 'util'],
  // Plain TypeScript, no GPU: apart from the tensor stack.
  data: ['util'],
  eval: ['models', 'nn', 'autograd', 'kernels', 'gpu', 'data', 'util'],
  // ARCHITECTURE.md puts train and eval side by side; in fact training uses the
  // evaluation (validation runs the evaluation grid, warnings and the demo read
  // eval's log series and reports) and eval uses nothing of train, so train sits above.
  train: ['eval', 'models', 'nn', 'autograd', 'kernels', 'gpu', 'data', 'util'],
  // The thesis grid: jobs that run train's stages and eval's evaluation; the CLI hands it its folder locks.
  grid: ['train', 'eval', 'models', 'nn', 'autograd', 'kernels', 'gpu', 'data', 'util'],
  cli: ['grid', 'train', 'eval', 'models', 'nn', 'autograd', 'kernels', 'gpu', 'data', 'util'],
  // src/index.browser.ts, the browser bundle's entry: the runtime and models, no Node-only code.
  browser: ['models', 'nn', 'autograd', 'kernels', 'gpu'],
};

/** WGSL sources are loaded by the kernel modules only (one per shader file). */
const SHADER_IMPORTERS = new Set(['kernels']);

/** The one file in src/ that may import bench/ (the `bench` command, through bench/main.ts's runBench). */
const BENCH_ENTRY = 'src/cli/bench.ts';

interface Import {
  /** Repository-relative path of what is imported (a .ts file, a .wgsl file, …), or `package:<name>`. */
  target: string;
  typeOnly: boolean;
}

/**
 * Import cycles allowed because one of their edges is an `import type`, which
 * the compiler erases (verbatimModuleSyntax), so no module waits on another
 * at load time; each joins two mutually recursive types. The test fails when
 * one is gone as well as when another appears, so this list stays exact.
 */
const TYPE_ONLY_CYCLES: readonly (readonly string[])[] = [
  // GpuContext holds its Tuner; the Tuner's candidates run on a GpuContext (tuner.ts
  // imports the type). src/gpu is not in the autograd/nn/train clean-up of issue 14:
  // giving Tuner a context type parameter would remove it.
  ['src/gpu/context.ts', 'src/gpu/tuner.ts'],
];

/**
 * The module specifiers a TypeScript file imports: static imports and
 * re-exports (`import type` marked), side-effect imports and dynamic
 * `import('…')`. Comments are skipped and string literals are read whole, so
 * neither an import written in a comment nor one inside a string counts.
 */
export function importSpecifiers(source: string): { spec: string; typeOnly: boolean }[] {
  const strings: string[] = [];
  let code = '';
  let i = 0;
  const templateDepth: number[] = [];
  let braces = 0;
  let lastSignificant = '';
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
      code += ' ';
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < source.length && source[j] !== c && source[j] !== '\n') {
        if (source[j] === '\\') j++;
        text += source[j];
        j++;
      }
      code += `"${strings.length}"`;
      strings.push(text);
      i = j + 1;
      lastSignificant = '"';
    } else if (c === '`' || (c === '}' && templateDepth.length && templateDepth[templateDepth.length - 1] === braces)) {
      // A template literal (or the rest of one after a `${…}`): skipped up to its end or its next `${`.
      if (c === '}') templateDepth.pop();
      let j = i + 1;
      while (j < source.length && source[j] !== '`' && !(source[j] === '$' && source[j + 1] === '{')) j += source[j] === '\\' ? 2 : 1;
      if (source[j] === '$') {
        templateDepth.push(braces);
        j += 2;
      } else j++;
      code += '""';
      i = j;
      lastSignificant = '"';
    } else if (c === '/' && (lastSignificant === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSignificant))) {
      // A regular-expression literal: skipped, so quotes inside it are not read as strings.
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== '\n' && (inClass || source[j] !== '/')) {
        if (source[j] === '\\') j++;
        else if (source[j] === '[') inClass = true;
        else if (source[j] === ']') inClass = false;
        j++;
      }
      code += '/r/';
      i = j + 1;
      lastSignificant = 'r';
    } else {
      if (c === '{') braces++;
      if (c === '}') braces--;
      if (!/\s/.test(c)) lastSignificant = /[\w$]/.test(c) ? 'w' : c;
      code += c;
      i++;
    }
  }
  const out: { spec: string; typeOnly: boolean }[] = [];
  const literal = (s: string): string => strings[Number(s)];
  for (const m of code.matchAll(/(?<![\w$.])(import|export)\s+(type\s+)?[\w$*{},\s]*?\bfrom\s*"(\d+)"/g)) out.push({ spec: literal(m[3]), typeOnly: !!m[2] });
  for (const m of code.matchAll(/(?<![\w$.])import\s*"(\d+)"/g)) out.push({ spec: literal(m[1]), typeOnly: false });
  for (const m of code.matchAll(/(?<![\w$.])import\s*\(\s*"(\d+)"\s*\)/g)) out.push({ spec: literal(m[1]), typeOnly: false });
  return out;
}

/** Which layer a repository-relative path belongs to; null outside src/. */
export function layerOf(path: string): string | null {
  if (path === 'src/index.browser.ts') return 'browser';
  const m = /^src\/([^/]+)\//.exec(path);
  return m ? m[1] : null;
}

/** Every violation of the layering in an import graph (repository-relative paths → their imports). */
export function layeringViolations(graph: ReadonlyMap<string, readonly Import[]>): string[] {
  const problems: string[] = [];
  for (const [file, imports] of graph) {
    const layer = layerOf(file);
    if (layer === null) continue;
    const allowed = LAYERS[layer];
    if (!allowed) {
      problems.push(`${file}: src/${layer}/ is not a known layer; give it its place in LAYERS (test/layering.test.ts)`);
      continue;
    }
    for (const { target, typeOnly } of imports) {
      const how = typeOnly ? 'imports (type only)' : 'imports';
      if (target.startsWith('bench/')) {
        if (file !== BENCH_ENTRY) problems.push(`${file} ${how} ${target}: src/ reaches bench/ only through ${BENCH_ENTRY}`);
      } else if (target.startsWith('shaders/')) {
        if (!SHADER_IMPORTERS.has(layer)) problems.push(`${file} ${how} ${target}: only src/kernels/ loads shaders`);
      } else if (target.startsWith('src/')) {
        const to = layerOf(target);
        if (to !== null && to !== layer && !allowed.includes(to)) problems.push(`${file} ${how} ${target}: ${layer} may import only ${allowed.join(', ') || 'nothing outside itself'}`);
      } else if (!target.startsWith('package:')) {
        problems.push(`${file} ${how} ${target}: src/ imports nothing outside src/, shaders/ and (from ${BENCH_ENTRY}) bench/`);
      }
    }
  }
  return problems;
}

/** The import cycles among the graph's files (strongly connected components of more than one file, or a file importing itself). */
export function importCycles(graph: ReadonlyMap<string, readonly Import[]>): string[][] {
  // Tarjan's algorithm, iterative.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const edges = (f: string): string[] => (graph.get(f) ?? []).map((i) => i.target).filter((t) => graph.has(t));
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const [v, k] = top;
      const out = edges(v);
      if (k < out.length) {
        top[1]++;
        const w = out[k];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || edges(v).includes(v)) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

const ROOT = resolve(import.meta.dirname, '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** src/'s import graph as the files say it: relative specifiers resolved, `.js` read as the `.ts` it is compiled from. */
function srcGraph(): Map<string, Import[]> {
  const graph = new Map<string, Import[]>();
  for (const abs of tsFiles(join(ROOT, 'src'))) {
    const file = relative(ROOT, abs);
    graph.set(file, importSpecifiers(readFileSync(abs, 'utf8')).map(({ spec, typeOnly }) => ({
      target: spec.startsWith('.') ? relative(ROOT, resolve(dirname(abs), spec)).replace(/\.js$/, '.ts') : `package:${spec}`,
      typeOnly,
    })));
  }
  return graph;
}

describe('the checker', () => {
  test('reads static, type-only, side-effect, re-export and dynamic imports, and none in comments or strings', () => {
    const source = [
      "import { a, type B } from './a.js';",
      "import type { C } from '../c.js';",
      "import {\n  d,\n  e as f,\n} from \"./multi.js\";",
      "import './side.js';",
      "export * from './re.js';",
      "export { g } from './re2.js';",
      "const m = await import('../../bench/main.js');",
      "// import { x } from './commented.js';",
      "/* import('./blocked.js') */",
      "const s = \"import { y } from './in-string.js'\";",
      'const t = `import(\'./in-template.js\') ${"x"} from \'./t2.js\'`;',
      "const r = /from '.\\/in-regex.js'/;",
      "export const from = 1;",
      "export type { H } from './h.js';",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      { spec: './a.js', typeOnly: false },
      { spec: '../c.js', typeOnly: true },
      { spec: './multi.js', typeOnly: false },
      { spec: './re.js', typeOnly: false },
      { spec: './re2.js', typeOnly: false },
      { spec: './h.js', typeOnly: true },
      { spec: './side.js', typeOnly: false },
      { spec: '../../bench/main.js', typeOnly: false },
    ]);
  });

  test('fails on a cycle, an upward import, bench/ outside its entry and an unknown layer, on a synthetic graph', () => {
    const imp = (target: string, typeOnly = false): Import => ({ target, typeOnly });
    const graph = new Map<string, Import[]>([
      ['src/kernels/a.ts', [imp('src/kernels/b.ts'), imp('shaders/a.wgsl')]],
      ['src/kernels/b.ts', [imp('src/kernels/c.ts')]],
      ['src/kernels/c.ts', [imp('src/kernels/a.ts'), imp('src/gpu/ok.ts')]],
      ['src/gpu/ok.ts', [imp('src/util/x.ts'), imp('package:node:fs')]],
      ['src/gpu/up.ts', [imp('src/autograd/t.ts', true)]],
      ['src/data/d.ts', [imp('src/gpu/ok.ts'), imp('src/data/d.ts')]],
      ['src/train/t.ts', [imp('bench/main.ts'), imp('shaders/x.wgsl'), imp('test/helpers/h.ts')]],
      ['src/cli/bench.ts', [imp('bench/main.ts')]],
      ['src/misc/g.ts', []],
    ]);
    expect(importCycles(graph)).toEqual([['src/kernels/a.ts', 'src/kernels/b.ts', 'src/kernels/c.ts'], ['src/data/d.ts']]);
    expect(layeringViolations(graph)).toEqual([
      'src/gpu/up.ts imports (type only) src/autograd/t.ts: gpu may import only util',
      'src/data/d.ts imports src/gpu/ok.ts: data may import only util',
      `src/train/t.ts imports bench/main.ts: src/ reaches bench/ only through ${BENCH_ENTRY}`,
      'src/train/t.ts imports shaders/x.wgsl: only src/kernels/ loads shaders',
      `src/train/t.ts imports test/helpers/h.ts: src/ imports nothing outside src/, shaders/ and (from ${BENCH_ENTRY}) bench/`,
      'src/misc/g.ts: src/misc/ is not a known layer; give it its place in LAYERS (test/layering.test.ts)',
    ]);
  });
});

describe('src/', () => {
  const graph = srcGraph();

  test('the scan sees the whole tree', () => {
    expect(graph.size, 'files read under src/').toBeGreaterThan(150);
    expect(graph.get('src/cli/bench.ts')?.map((i) => i.target)).toContain('bench/main.ts');
  });

  test('no file imports from a higher layer, and bench/ only through its entry point', () => {
    expect(layeringViolations(graph)).toEqual([]);
  });

  test('no import cycles between files, but for the type-only ones listed', () => {
    const runtime = new Map([...graph].map(([f, imports]) => [f, imports.filter((i) => !i.typeOnly)]));
    expect(importCycles(runtime), 'cycles of imports that run').toEqual([]);
    expect(importCycles(graph), 'cycles through an import type (TYPE_ONLY_CYCLES)').toEqual(TYPE_ONLY_CYCLES);
  });
});
