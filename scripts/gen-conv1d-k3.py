# Generates the unrolled K=3 entries at the end of shaders/conv1d.wgsl:
#   python3 scripts/gen-conv1d-k3.py > /tmp/k3.wgsl, then replace the part after
#   the "K = 3, stride 1 forward" banner with it.
def fwd(R):
    o=[]
    a=o.append
    a(f"// {R}×8 outputs per invocation: rows r0 … r0+{R-1} (from the workgroup id, so lhs")
    a("// loads are workgroup-uniform), columns j0 … j0+7 of one signal.")
    a("@compute @workgroup_size(WG_X)")
    a(f"fn conv_k3_r{R}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {{")
    a(f"  let r0 = wid.y * {R}u;")
    a("  let cb_raw = wid.x * WG_X + lid.x;")
    a("  let valid = cb_raw < p.N * p.nblk;")
    a("  let cb = min(cb_raw, p.N * p.nblk - 1u);")
    a("  let n = cb / p.nblk;")
    a("  let j0 = (cb - n * p.nblk) * 8u;")
    a("  let lin = i32(p.Lin);")
    a("  let wb = i32(j0) + p.tap_base + p.win_shift;")
    for u in range(10):
        a(f"  let d{u} = u32(clamp(wb + {u}, 0, lin - 1));")
        a(f"  let m{u} = select(0.0, 1.0, wb + {u} >= 0 && wb + {u} < lin);")
    a("  let last_m = p.M - 1u;")
    for i in range(R):
        a(f"  var ia{i} = min(r0 + {i}u, last_m) * p.a_row;")
    a("  var ib = n * p.b_n;")
    for i in range(R):
        a(f"  var acc{i}_0 = vec4<f32>(0.0);")
        a(f"  var acc{i}_1 = vec4<f32>(0.0);")
    a("  for (var ch = 0u; ch < p.C; ch++) {")
    for u in range(10):
        a(f"    let x{u} = rhs[ib + d{u}] * m{u};")
    a("    let t0a = vec4<f32>(x0, x1, x2, x3); let t0b = vec4<f32>(x4, x5, x6, x7);")
    a("    let t1a = vec4<f32>(x1, x2, x3, x4); let t1b = vec4<f32>(x5, x6, x7, x8);")
    a("    let t2a = vec4<f32>(x2, x3, x4, x5); let t2b = vec4<f32>(x6, x7, x8, x9);")
    for i in range(R):
        a(f"    {{ let w0 = vec4<f32>(lhs[ia{i} + p.k_off0]); let w1 = vec4<f32>(lhs[ia{i} + p.k_off1]); let w2 = vec4<f32>(lhs[ia{i} + p.k_off2]);")
        a(f"      acc{i}_0 = fma(w2, t2a, fma(w1, t1a, fma(w0, t0a, acc{i}_0))); acc{i}_1 = fma(w2, t2b, fma(w1, t1b, fma(w0, t0b, acc{i}_1))); }}")
    a("    " + " ".join(f"ia{i} += p.a_c;" for i in range(R)))
    a("    ib += p.b_c;")
    a("  }")
    a("  if (!valid) { return; }")
    a("  let ob = n * p.out_n + j0;")
    for i in range(R):
        a(f"  store_k3(r0 + {i}u, ob, j0, acc{i}_0, acc{i}_1);")
    a("}")
    return "\n".join(o)

def gw_s1(CO, CI):
    o=[]; a=o.append
    a(f"// grad_weight_k3s1: {CO} co (workgroup-uniform) × {CI} ci (per lane) × 3 taps per invocation.")
    a("@compute @workgroup_size(WG_X)")
    a("fn grad_weight_k3s1(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {")
    a("  let split = wid.x / p.tiles_n;")
    a("  let cib_raw = (wid.x - split * p.tiles_n) * WG_X + lid.x;")
    a(f"  let ci0 = cib_raw * {CI}u;")
    a(f"  let co0 = wid.y * {CO}u;")
    a("  let last_ci = p.Cin - 1u;")
    a("  let last_co = p.Cout - 1u;")
    a("  let Q = p.N * p.Lout;")
    a("  let q_begin = split * p.chunk;")
    a("  let q_end = min(q_begin + p.chunk, Q);")
    a("  let lin = i32(p.L);")
    a("  let pad = i32(p.padding);")
    for c in range(CI):
        a(f"  let xo{c} = min(ci0 + {c}u, last_ci) * p.L;")
    for i in range(CO):
        a(f"  let go{i} = min(co0 + {i}u, last_co) * p.Lout;")
    for i in range(CO):
        for c in range(CI):
            a(f"  var acc{i}_{c} = vec3<f32>(0.0);")
    a("  var q = q_begin;")
    a("  while (q < q_end) {")
    a("    let n = q / p.Lout;")
    a("    let l0 = q - n * p.Lout;")
    a("    let l1 = min(p.Lout, l0 + (q_end - q));")
    a("    let xb = n * p.Cin * p.L;")
    a("    let gb = n * p.Cout * p.Lout;")
    a("    // Sliding window over positions l − pad + {0, 1, 2}: one new x per ci and step.")
    a("    let pa = i32(l0) - pad;")
    a("    let ma = select(0.0, 1.0, pa >= 0 && pa < lin);")
    a("    let mb = select(0.0, 1.0, pa + 1 >= 0 && pa + 1 < lin);")
    a("    let ia = xb + u32(clamp(pa, 0, lin - 1));")
    a("    let ib = xb + u32(clamp(pa + 1, 0, lin - 1));")
    for c in range(CI):
        a(f"    var xa{c} = x[ia + xo{c}] * ma;")
        a(f"    var xb{c} = x[ib + xo{c}] * mb;")
    a("    for (var l = l0; l < l1; l++) {")
    a("      let pc = i32(l) - pad + 2;")
    a("      let mc = select(0.0, 1.0, pc >= 0 && pc < lin);")
    a("      let ic = xb + u32(clamp(pc, 0, lin - 1));")
    for c in range(CI):
        a(f"      let xc{c} = x[ic + xo{c}] * mc;")
        a(f"      let v{c} = vec3<f32>(xa{c}, xb{c}, xc{c});")
    for i in range(CO):
        a(f"      let g{i} = vec3<f32>(gy[gb + go{i} + l]);")
        a("      " + " ".join(f"acc{i}_{c} = fma(g{i}, v{c}, acc{i}_{c});" for c in range(CI)))
    a("      " + " ".join(f"xa{c} = xb{c}; xb{c} = xc{c};" for c in range(CI)))
    a("    }")
    a("    q += l1 - l0;")
    a("  }")
    a("  if (cib_raw * " + str(CI) + "u >= p.Cin) { return; }")
    a("  let R = p.Cin * 3u;")
    for i in range(CO):
        for c in range(CI):
            a(f"  store_gw3(split, co0 + {i}u, ci0 + {c}u, R, acc{i}_{c});")
    a("}")
    return "\n".join(o)

def gw_any(CO):
    o=[]; a=o.append
    a(f"// grad_weight_k3: {CO} co × 1 ci × 3 taps per invocation, any stride and padding.")
    a("// Invocation i: co block (fastest), then ci, then split; every load is per lane.")
    a("@compute @workgroup_size(64)")
    a("fn grad_weight_k3(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {")
    a("  let flat = (wid.x + wid.y * nwg.x) * 64u + t;")
    a("  let cob = flat % p.tiles_m;")
    a("  let rest = flat / p.tiles_m;")
    a("  let ci = rest % p.Cin;")
    a("  let split = rest / p.Cin;")
    a("  if (split >= p.batches) { return; }")
    a(f"  let co0 = cob * {CO}u;")
    a("  let last_co = p.Cout - 1u;")
    a("  let Q = p.N * p.Lout;")
    a("  let q_begin = split * p.chunk;")
    a("  let q_end = min(q_begin + p.chunk, Q);")
    a("  let lin = i32(p.L);")
    a("  let pad = i32(p.padding);")
    for i in range(CO):
        a(f"  let go{i} = min(co0 + {i}u, last_co) * p.Lout;")
        a(f"  var acc{i} = vec3<f32>(0.0);")
    a("  var q = q_begin;")
    a("  while (q < q_end) {")
    a("    let n = q / p.Lout;")
    a("    let l0 = q - n * p.Lout;")
    a("    let l1 = min(p.Lout, l0 + (q_end - q));")
    a("    let xb = (n * p.Cin + ci) * p.L;")
    a("    let gb = n * p.Cout * p.Lout;")
    a("    for (var l = l0; l < l1; l++) {")
    a("      let pa = i32(l * p.stride) - pad;")
    a("      let v = vec3<f32>(")
    a("        select(0.0, x[xb + u32(clamp(pa, 0, lin - 1))], pa >= 0 && pa < lin),")
    a("        select(0.0, x[xb + u32(clamp(pa + 1, 0, lin - 1))], pa + 1 >= 0 && pa + 1 < lin),")
    a("        select(0.0, x[xb + u32(clamp(pa + 2, 0, lin - 1))], pa + 2 >= 0 && pa + 2 < lin));")
    for i in range(CO):
        a(f"      acc{i} = fma(vec3<f32>(gy[gb + go{i} + l]), v, acc{i});")
    a("    }")
    a("    q += l1 - l0;")
    a("  }")
    a("  let R = p.Cin * 3u;")
    for i in range(CO):
        a(f"  store_gw3(split, co0 + {i}u, ci, R, acc{i});")
    a("}")
    return "\n".join(o)

header = """
// ---------------------------------------------------------------------------
// K = 3, stride 1 forward and grad-input (conv_k3_r*), and K = 3 grad-weight
// (grad_weight_k3s1 for stride 1, grad_weight_k3 for any stride), generated by
// scripts/gen-conv1d-k3.py (the unrolled bodies are written out on purpose, as
// in matmul.wgsl: no dynamically indexed private arrays, no inner branches).
//
// conv_k3_r*: same GEMM as conv_gemm_* (fields M, C, a_row, a_c, b_n, b_c, Lin,
// tap_base, out_n), but each invocation owns 8 *contiguous* output columns of
// one signal and loads the 10-wide window of rhs they share once per channel;
// the three taps are shifted views of it. That is 10 per-lane loads per channel
// for 24 products per row instead of 24. Window element u is rhs position
// j0 + tap_base + win_shift + u; window offset o ∈ {0,1,2} pairs with lhs offset
// k_off<o> (forward: tap o; grad-input: tap 2 − o, win_shift −2). Rows come from
// the workgroup id, so lhs reads are workgroup-uniform (a scalar load and a
// broadcast on SIMD-over-invocation implementations).
override WG_X: u32 = 64u;

fn store_k3(row: u32, ob: u32, j0: u32, v0: vec4<f32>, v1: vec4<f32>) {
  if (row >= p.M) { return; }
  var b = 0.0;
  if (p.has_bias != 0u) { b = bias[row]; }
  let base = ob + row * p.ncol;
  for (var u = 0u; u < 4u; u++) {
    if (j0 + u < p.ncol) { out[base + u] = v0[u] + b; }
    if (j0 + 4u + u < p.ncol) { out[base + 4u + u] = v1[u] + b; }
  }
}

// grad-weight, K = 3: one invocation accumulates a block of (co, ci) × 3 taps
// over a contiguous chunk (split) of the flattened (n, l) axis, serially, so
// there is no cross-lane reduction; splits go to gw_partial slices, summed by
// the caller. Stride 1 keeps a sliding window of x (one new load per ci and step).
fn store_gw3(split: u32, co: u32, ci: u32, R: u32, v: vec3<f32>) {
  if (co >= p.Cout || ci >= p.Cin) { return; }
  let o = (split * p.Cout + co) * R + ci * 3u;
  gw_partial[o] = v.x;
  gw_partial[o + 1u] = v.y;
  gw_partial[o + 2u] = v.z;
}
"""
import sys
print(header)
print(fwd(16)); print(); print(fwd(4)); print(); print(gw_s1(8,4)); print(); print(gw_any(16))
