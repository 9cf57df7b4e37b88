# Generates the unrolled K=3 entries at the end of shaders/conv1d.wgsl:
#   python3 scripts/gen-conv1d-k3.py > /tmp/k3.wgsl, then replace the part after
#   the "K = 3, stride 1 forward" banner with it.
def fwd(R):
    G = R // 4
    o=[]
    a=o.append
    a(f"// {R}×8 outputs per invocation: rows r0 … r0+{R-1} (from the workgroup id), columns")
    a("// j0 … j0+7 of one signal; weights come packed by pack_k3 (wq).")
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
    a("  let mb4 = (p.M + 3u) / 4u;")
    a(f"  var iw = wid.y * {G}u * 3u;")
    a("  let iw_step = mb4 * 3u;")
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
    comps="xyzw"
    for g in range(G):
        a(f"    {{ let w0 = wq[iw + {3*g}u]; let w1 = wq[iw + {3*g+1}u]; let w2 = wq[iw + {3*g+2}u];")
        for t in range(4):
            i=4*g+t; c=comps[t]
            a(f"      acc{i}_0 = fma(vec4<f32>(w2.{c}), t2a, fma(vec4<f32>(w1.{c}), t1a, fma(vec4<f32>(w0.{c}), t0a, acc{i}_0))); acc{i}_1 = fma(vec4<f32>(w2.{c}), t2b, fma(vec4<f32>(w1.{c}), t1b, fma(vec4<f32>(w0.{c}), t0b, acc{i}_1)));")
        a("    }")
    a("    iw += iw_step;")
    a("    ib += p.b_c;")
    a("  }")
    a("  if (!valid) { return; }")
    a("  let ob = n * p.out_n + j0;")
    for i in range(R):
        a(f"  store_k3(r0 + {i}u, ob, j0, acc{i}_0, acc{i}_1);")
    a("}")
    return "\n".join(o)

def fwd_u(R=16):
    o=[]; a=o.append
    a(f"// conv_k3u_r{R}: {R}×8 outputs per invocation like conv_k3_r{R}, weights from the uniform")
    a("// buffer wu (one row group, channels c0 … c1−1; see pack_k3u); accumulates into")
    a("// out when p.accumulate is set (channel chunks after the first).")
    a("@compute @workgroup_size(WG_X)")
    a(f"fn conv_k3u_r{R}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {{")
    a("  let r0 = p.r_base;")
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
    a("  var ib = n * p.b_n + p.c0 * p.b_c;")
    a("  var iw = 0u;")
    for i in range(R):
        a(f"  var acc{i}_0 = vec4<f32>(0.0);")
        a(f"  var acc{i}_1 = vec4<f32>(0.0);")
    a("  for (var ch = p.c0; ch < p.c1; ch++) {")
    for u in range(10):
        a(f"    let x{u} = rhs[ib + d{u}] * m{u};")
    a("    let t0a = vec4<f32>(x0, x1, x2, x3); let t0b = vec4<f32>(x4, x5, x6, x7);")
    a("    let t1a = vec4<f32>(x1, x2, x3, x4); let t1b = vec4<f32>(x5, x6, x7, x8);")
    a("    let t2a = vec4<f32>(x2, x3, x4, x5); let t2b = vec4<f32>(x6, x7, x8, x9);")
    comps="xyzw"
    for g in range(R//4):
        a(f"    {{ let w0 = wu[iw + {g}u]; let w1 = wu[iw + {4+g}u]; let w2 = wu[iw + {8+g}u];")
        for t in range(4):
            i=4*g+t; c=comps[t]
            a(f"      acc{i}_0 = fma(vec4<f32>(w2.{c}), t2a, fma(vec4<f32>(w1.{c}), t1a, fma(vec4<f32>(w0.{c}), t0a, acc{i}_0))); acc{i}_1 = fma(vec4<f32>(w2.{c}), t2b, fma(vec4<f32>(w1.{c}), t1b, fma(vec4<f32>(w0.{c}), t0b, acc{i}_1)));")
        a("    }")
    a("    iw += 12u;")
    a("    ib += p.b_c;")
    a("  }")
    a("  if (!valid) { return; }")
    a("  let ob = n * p.out_n + j0;")
    for i in range(R):
        a(f"  store_k3u(r0 + {i}u, ob, j0, acc{i}_0, acc{i}_1);")
    a("}")
    return "\n".join(o)

def gw_s1(CO, CI):
    o=[]; a=o.append
    a(f"// grad_weight_k3s1_ci{CI}: {CO} co (workgroup-uniform) × {CI} ci (per lane) × 3 taps per invocation.")
    a("@compute @workgroup_size(WG_X)")
    a(f"fn grad_weight_k3s1_ci{CI}(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {{")
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
// the workgroup id, so weight reads are workgroup-uniform; that makes them
// cheap only from a uniform buffer on llvmpipe (conv_k3u_*), see below.
override WG_X: u32 = 64u;

// Weights for conv_k3_r*, packed so one vec4 load serves 4 rows (measured: no
// faster than scalar loads on llvmpipe, where each component still costs a
// per-lane store and reload; kept as the storage path for other adapters). wq[(ch·mb4 + row/4)·3 + o][row % 4] = lhs[row·a_row + ch·a_c + k_off<o>],
// zero for rows ≥ M (mb4 = ceil(M / 4)).
@group(0) @binding(10) var<storage, read_write> wq_out: array<vec4<f32>>;
@group(0) @binding(11) var<storage, read> wq: array<vec4<f32>>;
// Weights for conv_k3u_*, in a uniform buffer: llvmpipe turns uniform-buffer reads
// at a workgroup-uniform index into one scalar load and a broadcast, where a
// storage-buffer read is a per-lane loop. One binding holds 16 rows × up to
// WU_CH = 64 channels × 3 taps (12 KiB, under the 16 KiB compatibility limit):
// wu[ch_local·12 + o·4 + q][t] = weight of row r_base + 4q + t, channel c0 + ch_local,
// window offset o. pack_k3u writes all (row group, chunk) blocks at once.
@group(0) @binding(13) var<uniform> wu: array<vec4<f32>, 768>;

@compute @workgroup_size(64)
fn pack_k3u(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let flat = (wid.x + wid.y * nwg.x) * 64u + t;
  let chunks = (p.C + 63u) / 64u;
  let groups = (p.M + 15u) / 16u;
  if (flat >= groups * chunks * 768u) { return; }
  let q = flat % 4u;
  let o = (flat / 4u) % 3u;
  let chl = (flat / 12u) % 64u;
  let gh = flat / 768u;
  let h = gh % chunks;
  let g = gh / chunks;
  let ch = h * 64u + chl;
  let koff = select(select(p.k_off2, p.k_off1, o == 1u), p.k_off0, o == 0u);
  var v = vec4<f32>(0.0);
  for (var u = 0u; u < 4u; u++) {
    let row = g * 16u + q * 4u + u;
    if (row < p.M && ch < p.C) { v[u] = lhs[row * p.a_row + ch * p.a_c + koff]; }
  }
  wq_out[flat] = v;
}

fn store_k3u(row: u32, ob: u32, j0: u32, v0: vec4<f32>, v1: vec4<f32>) {
  if (row >= p.M) { return; }
  var b = 0.0;
  if (p.has_bias != 0u) { b = bias[row]; }
  let base = ob + row * p.ncol;
  let acc = p.accumulate != 0u;
  for (var u = 0u; u < 4u; u++) {
    if (j0 + u < p.ncol) { out[base + u] = select(v0[u] + b, out[base + u] + v0[u], acc); }
    if (j0 + 4u + u < p.ncol) { out[base + 4u + u] = select(v1[u] + b, out[base + 4u + u] + v1[u], acc); }
  }
}


@compute @workgroup_size(64)
fn pack_k3(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let flat = (wid.x + wid.y * nwg.x) * 64u + t;
  let mb4 = (p.M + 3u) / 4u;
  if (flat >= p.C * mb4 * 3u) { return; }
  let o = flat % 3u;
  let rest = flat / 3u;
  let rb = rest % mb4;
  let ch = rest / mb4;
  let koff = select(select(p.k_off2, p.k_off1, o == 1u), p.k_off0, o == 0u);
  var v = vec4<f32>(0.0);
  for (var u = 0u; u < 4u; u++) {
    let row = rb * 4u + u;
    if (row < p.M) { v[u] = lhs[row * p.a_row + ch * p.a_c + koff]; }
  }
  wq_out[flat] = v;
}

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
print(fwd_u(16)); print(); print(fwd(16)); print(); print(fwd(8)); print(); print(fwd(4)); print(); print(gw_s1(16, 16)); print(); print(gw_s1(16, 8)); print(); print(gw_s1(16, 4)); print(); print(gw_any(16))
