// Helpers of the build-time WGSL generators (*.gen.ts): register blocks are
// written out one named variable per element (no dynamically indexed private
// arrays, which CPU adapters spill to memory), so the generators emit the same
// line once per row, column or accumulator. These say which.

/** f(0) … f(n − 1). */
export const each = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

/** The zeroed accumulators acc<r>_<g> of a block of `rows` × `groups` values of `type`, one declaration a line. */
export const accumulators = (rows: number, groups: number, type = 'vec4<f32>'): string[] =>
  each(rows, (r) => each(groups, (g) => `  var acc${r}_${g} = ${type}(0.0);`).join('\n'));

/** `name<i> = expr(i)` for i < n, one a line: the clamped per-row or per-column offsets a block starts from. */
export const offsets = (kind: 'let' | 'var', name: string, n: number, expr: (i: number) => string, indent = '  '): string[] =>
  each(n, (i) => `${indent}${kind} ${name}${i} = ${expr(i)};`);

/** One statement per i < n on one line (index increments, vector stores). */
export const inline = (n: number, f: (i: number) => string): string => each(n, f).join(' ');

/**
 * Row r of a register block in one line: `let a<r> = vec4<f32>(load)` broadcast
 * against the column vectors b0 … b<groups−1>, acc<r>_<g> = fma(a<r>, b<g>, acc<r>_<g>).
 */
export const fmaRow = (r: number, groups: number, load: string, a = 'a', b = 'b'): string =>
  `let ${a}${r} = vec4<f32>(${load}); ${inline(groups, (g) => `acc${r}_${g} = fma(${a}${r}, ${b}${g}, acc${r}_${g});`)}`;
