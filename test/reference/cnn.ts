// Plain-TS float64 references for the audio-CNN ops, written from the PyTorch
// definitions (not from the shaders), with hand-derived backward rules.
// Layout: NCL row-major, element (n, c, l) at (n·C + c)·L + l.

export type F64 = Float64Array;

export function conv1dRef(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, N: number, Cin: number, L: number, Cout: number, K: number, stride: number, padding: number): { y: F64; Lout: number } {
  const Lout = Math.floor((L + 2 * padding - K) / stride) + 1;
  const y = new Float64Array(N * Cout * Lout);
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      for (let l = 0; l < Lout; l++) {
        let s = b ? b[co] : 0;
        for (let ci = 0; ci < Cin; ci++) {
          for (let k = 0; k < K; k++) {
            const pos = l * stride + k - padding;
            if (pos >= 0 && pos < L) s += w[(co * Cin + ci) * K + k] * x[(n * Cin + ci) * L + pos];
          }
        }
        y[(n * Cout + co) * Lout + l] = s;
      }
    }
  }
  return { y, Lout };
}

/** Gradients of Σ gy·conv1d(x, w, b) by the chain rule, scattered from each output. */
export function conv1dBackwardRef(x: ArrayLike<number>, w: ArrayLike<number>, gy: ArrayLike<number>, N: number, Cin: number, L: number, Cout: number, K: number, stride: number, padding: number): { gx: F64; gw: F64; gb: F64 } {
  const Lout = Math.floor((L + 2 * padding - K) / stride) + 1;
  const gx = new Float64Array(N * Cin * L);
  const gw = new Float64Array(Cout * Cin * K);
  const gb = new Float64Array(Cout);
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      for (let l = 0; l < Lout; l++) {
        const g = gy[(n * Cout + co) * Lout + l];
        gb[co] += g;
        for (let ci = 0; ci < Cin; ci++) {
          for (let k = 0; k < K; k++) {
            const pos = l * stride + k - padding;
            if (pos < 0 || pos >= L) continue;
            gx[(n * Cin + ci) * L + pos] += g * w[(co * Cin + ci) * K + k];
            gw[(co * Cin + ci) * K + k] += g * x[(n * Cin + ci) * L + pos];
          }
        }
      }
    }
  }
  return { gx, gw, gb };
}

export interface BatchNormRef {
  y: F64;
  mean: F64;
  /** Biased batch variance (training) or the running variance (eval). */
  varUsed: F64;
  runningMean: F64;
  runningVar: F64;
}

/** PyTorch BatchNorm1d over [N, C, L] (L = 1 for [N, C]). */
export function batchNormRef(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, rm: ArrayLike<number>, rv: ArrayLike<number>, N: number, C: number, L: number, training: boolean, momentum: number, eps: number): BatchNormRef {
  const M = N * L;
  const mean = new Float64Array(C);
  const varUsed = new Float64Array(C);
  const runningMean = Float64Array.from(rm);
  const runningVar = Float64Array.from(rv);
  for (let c = 0; c < C; c++) {
    if (training) {
      let s = 0;
      for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) s += x[(n * C + c) * L + l];
      const m = s / M;
      let v = 0;
      for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) v += (x[(n * C + c) * L + l] - m) ** 2;
      mean[c] = m;
      varUsed[c] = v / M;
      runningMean[c] = (1 - momentum) * rm[c] + momentum * m;
      runningVar[c] = (1 - momentum) * rv[c] + momentum * (v / (M - 1));
    } else {
      mean[c] = rm[c];
      varUsed[c] = rv[c];
    }
  }
  const y = new Float64Array(N * C * L);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const inv = 1 / Math.sqrt(varUsed[c] + eps);
      for (let l = 0; l < L; l++) {
        const i = (n * C + c) * L + l;
        y[i] = (x[i] - mean[c]) * inv * gamma[c] + beta[c];
      }
    }
  }
  return { y, mean, varUsed, runningMean, runningVar };
}

export function batchNormBackwardRef(x: ArrayLike<number>, gamma: ArrayLike<number>, gy: ArrayLike<number>, ref: BatchNormRef, N: number, C: number, L: number, training: boolean, eps: number): { gx: F64; gGamma: F64; gBeta: F64 } {
  const M = N * L;
  const gx = new Float64Array(N * C * L);
  const gGamma = new Float64Array(C);
  const gBeta = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const inv = 1 / Math.sqrt(ref.varUsed[c] + eps);
    let sg = 0;
    let sgx = 0;
    for (let n = 0; n < N; n++) {
      for (let l = 0; l < L; l++) {
        const i = (n * C + c) * L + l;
        const xh = (x[i] - ref.mean[c]) * inv;
        sg += gy[i];
        sgx += gy[i] * xh;
      }
    }
    gBeta[c] = sg;
    gGamma[c] = sgx;
    for (let n = 0; n < N; n++) {
      for (let l = 0; l < L; l++) {
        const i = (n * C + c) * L + l;
        const xh = (x[i] - ref.mean[c]) * inv;
        gx[i] = training ? (gamma[c] * inv / M) * (M * gy[i] - sg - xh * sgx) : gy[i] * gamma[c] * inv;
      }
    }
  }
  return { gx, gGamma, gBeta };
}

/** ReLU after a forward y: max(y, 0), and the upstream gradient gy masked where y ≤ 0 (what reaches y). */
export function reluRef(y: ArrayLike<number>, gy: ArrayLike<number>): { y: F64; gy: F64 } {
  return { y: Float64Array.from(y, (v) => Math.max(v, 0)), gy: Float64Array.from(gy, (g, i) => (y[i] > 0 ? g : 0)) };
}

/** MaxPool1d, floor mode, no padding; argmax is the first maximum's index in the row. */
export function maxPoolRef(x: ArrayLike<number>, rows: number, L: number, kernel: number, stride: number): { y: F64; argmax: Int32Array; Lout: number } {
  const Lout = Math.floor((L - kernel) / stride) + 1;
  const y = new Float64Array(rows * Lout);
  const argmax = new Int32Array(rows * Lout);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < Lout; o++) {
      let best = -Infinity;
      let at = -1;
      for (let k = 0; k < kernel; k++) {
        const v = x[r * L + o * stride + k];
        if (v > best) {
          best = v;
          at = o * stride + k;
        }
      }
      y[r * Lout + o] = best;
      argmax[r * Lout + o] = at;
    }
  }
  return { y, argmax, Lout };
}

export function maxPoolBackwardRef(gy: ArrayLike<number>, argmax: Int32Array, rows: number, L: number, Lout: number): F64 {
  const gx = new Float64Array(rows * L);
  for (let r = 0; r < rows; r++) for (let o = 0; o < Lout; o++) gx[r * L + argmax[r * Lout + o]] += gy[r * Lout + o];
  return gx;
}

/**
 * BCE on logits, Σ w·ℓ / Σ w (w = 1 without weights; `rowWidth` > 0 means one
 * weight per row of that width); also its gradient w.r.t. the logits.
 */
export function bceRef(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number> | null, rowWidth: number, byCount = false): { loss: number; grad: F64 } {
  const n = x.length;
  let num = 0;
  let den = 0;
  const wAt = (i: number): number => (w ? w[rowWidth > 0 ? Math.floor(i / rowWidth) : i] : 1);
  for (let i = 0; i < n; i++) {
    const p = 1 / (1 + Math.exp(-x[i]));
    const l = -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
    num += wAt(i) * l;
    den += wAt(i);
  }
  if (byCount) den = n;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) grad[i] = den > 0 ? (wAt(i) * (1 / (1 + Math.exp(-x[i])) - y[i])) / den : 0;
  return { loss: den > 0 ? num / den : 0, grad };
}

/** NT-Xent (SimCLR / CLMR) on zi, zj [N, D]; loss and gradients by explicit chain rule. */
export function ntXentRef(zi: ArrayLike<number>, zj: ArrayLike<number>, N: number, D: number, tau: number): { loss: number; gzi: F64; gzj: F64 } {
  const R = 2 * N;
  const z = new Float64Array(R * D);
  z.set(Array.from(zi), 0);
  z.set(Array.from(zj), N * D);
  const norm = new Float64Array(R);
  const u = new Float64Array(R * D);
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let d = 0; d < D; d++) s += z[r * D + d] ** 2;
    norm[r] = Math.max(Math.sqrt(s), 1e-8);
    for (let d = 0; d < D; d++) u[r * D + d] = z[r * D + d] / norm[r];
  }
  const sim = new Float64Array(R * R);
  for (let a = 0; a < R; a++) {
    for (let b = 0; b < R; b++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += u[a * D + d] * u[b * D + d];
      sim[a * R + b] = s / tau;
    }
  }
  let loss = 0;
  const gs = new Float64Array(R * R); // dLoss / dsim
  for (let k = 0; k < R; k++) {
    const pos = (k + N) % R;
    let m = -Infinity;
    for (let j = 0; j < R; j++) if (j !== k) m = Math.max(m, sim[k * R + j]);
    let den = 0;
    for (let j = 0; j < R; j++) if (j !== k) den += Math.exp(sim[k * R + j] - m);
    loss += m + Math.log(den) - sim[k * R + pos];
    for (let j = 0; j < R; j++) {
      if (j === k) continue;
      gs[k * R + j] = (Math.exp(sim[k * R + j] - m) / den - (j === pos ? 1 : 0)) / R;
    }
  }
  loss /= R;
  // sim = u uᵀ / τ → du_a = Σ_b (gs[a,b] + gs[b,a]) u_b / τ; u = z / ‖z‖.
  const gz = new Float64Array(R * D);
  for (let a = 0; a < R; a++) {
    const du = new Float64Array(D);
    for (let b = 0; b < R; b++) {
      const c = (gs[a * R + b] + gs[b * R + a]) / tau;
      for (let d = 0; d < D; d++) du[d] += c * u[b * D + d];
    }
    let dot = 0;
    for (let d = 0; d < D; d++) dot += du[d] * u[a * D + d];
    const clamped = norm[a] <= 1e-8;
    for (let d = 0; d < D; d++) gz[a * D + d] = clamped ? du[d] / norm[a] : (du[d] - u[a * D + d] * dot) / norm[a];
  }
  return { loss, gzi: gz.slice(0, N * D), gzj: gz.slice(N * D) };
}

/**
 * maxPool1d(relu(batchNorm1d(x)), kernel k, stride k), composed from the three
 * references: forward, running statistics, and the gradients for `gout` (the
 * pooled output's gradient) taken back through the pool, the ReLU and BatchNorm.
 */
export function bnReluPoolRef(x: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, rm: ArrayLike<number>, rv: ArrayLike<number>, gout: ArrayLike<number>, N: number, C: number, L: number, kernel: number, training: boolean) {
  const bn = batchNormRef(x, gamma, beta, rm, rv, N, C, L, training, 0.1, 1e-5);
  const relu = reluRef(bn.y, new Float64Array(bn.y.length));
  const pool = maxPoolRef(relu.y, N * C, L, kernel, kernel);
  const gRelu = maxPoolBackwardRef(gout, pool.argmax, N * C, L, pool.Lout);
  const gBn = reluRef(bn.y, gRelu).gy;
  return { out: pool.y, Lout: pool.Lout, runningMean: bn.runningMean, runningVar: bn.runningVar, ...batchNormBackwardRef(x, gamma, gBn, bn, N, C, L, training, 1e-5) };
}
