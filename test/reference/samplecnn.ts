// A plain-TS float64 SampleCNN, forward and backward, written from the PyTorch
// definitions of conv1d / BatchNorm1d (training mode) / ReLU / MaxPool1d /
// Linear, independently of the GPU code, to check the whole network end to end.
// Layout: NCL row-major.
import type { SampleCnnConfig } from '../../src/models/config.js';

type F = Float64Array;

/** Parameters by PyTorch name; running stats are updated in place like PyTorch's. */
export type RefParams = Map<string, F>;

interface Act {
  C: number;
  L: number;
  data: F;
}

function conv(x: Act, N: number, w: F, b: F, Cout: number, K: number, stride: number, pad: number): Act {
  const Lout = Math.floor((x.L + 2 * pad - K) / stride) + 1;
  const y = new Float64Array(N * Cout * Lout);
  for (let n = 0; n < N; n++)
    for (let co = 0; co < Cout; co++)
      for (let l = 0; l < Lout; l++) {
        let s = b[co];
        for (let ci = 0; ci < x.C; ci++)
          for (let k = 0; k < K; k++) {
            const p = l * stride + k - pad;
            if (p >= 0 && p < x.L) s += w[(co * x.C + ci) * K + k] * x.data[(n * x.C + ci) * x.L + p];
          }
        y[(n * Cout + co) * Lout + l] = s;
      }
  return { C: Cout, L: Lout, data: y };
}

function convBack(x: Act, N: number, w: F, gy: Act, K: number, stride: number, pad: number): { gx: F; gw: F; gb: F } {
  const gx = new Float64Array(x.data.length);
  const gw = new Float64Array(w.length);
  const gb = new Float64Array(gy.C);
  for (let n = 0; n < N; n++)
    for (let co = 0; co < gy.C; co++)
      for (let l = 0; l < gy.L; l++) {
        const g = gy.data[(n * gy.C + co) * gy.L + l];
        gb[co] += g;
        for (let ci = 0; ci < x.C; ci++)
          for (let k = 0; k < K; k++) {
            const p = l * stride + k - pad;
            if (p < 0 || p >= x.L) continue;
            gw[(co * x.C + ci) * K + k] += g * x.data[(n * x.C + ci) * x.L + p];
            gx[(n * x.C + ci) * x.L + p] += g * w[(co * x.C + ci) * K + k];
          }
      }
  return { gx, gw, gb };
}

interface BnSaved {
  xhat: F;
  invStd: F;
}

/** Training-mode BatchNorm over (N, L): biased variance to normalise, unbiased into running_var. */
function bn(x: Act, N: number, gamma: F, beta: F, rm: F, rv: F, momentum: number, eps: number): { y: Act; saved: BnSaved } {
  const M = N * x.L;
  const y = new Float64Array(x.data.length);
  const xhat = new Float64Array(x.data.length);
  const invStd = new Float64Array(x.C);
  for (let c = 0; c < x.C; c++) {
    let mean = 0;
    for (let n = 0; n < N; n++) for (let l = 0; l < x.L; l++) mean += x.data[(n * x.C + c) * x.L + l];
    mean /= M;
    let ss = 0;
    for (let n = 0; n < N; n++) for (let l = 0; l < x.L; l++) ss += (x.data[(n * x.C + c) * x.L + l] - mean) ** 2;
    const v = ss / M;
    invStd[c] = 1 / Math.sqrt(v + eps);
    for (let n = 0; n < N; n++)
      for (let l = 0; l < x.L; l++) {
        const i = (n * x.C + c) * x.L + l;
        xhat[i] = (x.data[i] - mean) * invStd[c];
        y[i] = gamma[c] * xhat[i] + beta[c];
      }
    rm[c] = (1 - momentum) * rm[c] + momentum * mean;
    rv[c] = (1 - momentum) * rv[c] + momentum * (M > 1 ? ss / (M - 1) : v);
  }
  return { y: { C: x.C, L: x.L, data: y }, saved: { xhat, invStd } };
}

function bnBack(gy: Act, N: number, gamma: F, s: BnSaved): { gx: F; gGamma: F; gBeta: F } {
  const { C, L } = gy;
  const M = N * L;
  const gx = new Float64Array(gy.data.length);
  const gGamma = new Float64Array(C);
  const gBeta = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let sg = 0;
    let sgx = 0;
    for (let n = 0; n < N; n++)
      for (let l = 0; l < L; l++) {
        const i = (n * C + c) * L + l;
        sg += gy.data[i];
        sgx += gy.data[i] * s.xhat[i];
      }
    gBeta[c] = sg;
    gGamma[c] = sgx;
    // dx = γ·invStd/M · (M·dy − Σdy − x̂·Σ(dy·x̂))
    for (let n = 0; n < N; n++)
      for (let l = 0; l < L; l++) {
        const i = (n * C + c) * L + l;
        gx[i] = ((gamma[c] * s.invStd[c]) / M) * (M * gy.data[i] - sg - s.xhat[i] * sgx);
      }
  }
  return { gx, gGamma, gBeta };
}

function pool(x: Act, N: number): { y: Act; arg: Int32Array } {
  const Lout = Math.floor((x.L - 3) / 3) + 1;
  const y = new Float64Array(N * x.C * Lout);
  const arg = new Int32Array(y.length);
  for (let r = 0; r < N * x.C; r++)
    for (let l = 0; l < Lout; l++) {
      let best = -Infinity;
      let at = -1;
      for (let k = 0; k < 3; k++) {
        const i = r * x.L + l * 3 + k;
        if (x.data[i] > best) {
          best = x.data[i];
          at = i;
        }
      }
      y[r * Lout + l] = best;
      arg[r * Lout + l] = at;
    }
  return { y: { C: x.C, L: Lout, data: y }, arg };
}

interface Step {
  kind: 'conv' | 'bn' | 'relu' | 'pool' | 'fc';
  name: string;
  K?: number;
  stride?: number;
  pad?: number;
  cout?: number;
}

function steps(c: SampleCnnConfig): Step[] {
  const s: Step[] = [];
  const block = (i: number, cout: number, K: number, stride: number, pad: number, withPool: boolean): void => {
    s.push({ kind: 'conv', name: `sequential.${i}.0`, K, stride, pad, cout }, { kind: 'bn', name: `sequential.${i}.1` }, { kind: 'relu', name: '' });
    if (withPool) s.push({ kind: 'pool', name: '' });
  };
  block(0, c.firstChannels, 3, 3, 0, false);
  c.blockChannels.forEach((cout, i) => block(i + 1, cout, 3, 1, 1, true));
  const last = c.blockChannels.at(-1) ?? c.firstChannels;
  block(c.blockChannels.length + 1, last, c.lastKernel, 1, c.lastKernel === 3 ? 1 : 0, false);
  s.push({ kind: 'fc', name: 'fc', cout: c.numClasses });
  return s;
}

/**
 * Forward of the supervised SampleCNN (no dropout) in training mode on x [N, L],
 * then backward of Σ r·logits. Returns logits and the gradient of every parameter by name.
 */
export function sampleCnnReference(c: SampleCnnConfig, p: RefParams, x: F, N: number, r: F, opts = { momentum: 0.1, eps: 1e-5 }): { logits: F; grads: Map<string, F> } {
  const plan = steps(c);
  let h: Act = { C: 1, L: c.inputLength, data: x };
  const tape: { step: Step; input: Act; saved?: BnSaved; arg?: Int32Array }[] = [];
  for (const st of plan) {
    const input = h;
    if (st.kind === 'conv') h = conv(h, N, p.get(`${st.name}.weight`)!, p.get(`${st.name}.bias`)!, st.cout!, st.K!, st.stride!, st.pad!);
    else if (st.kind === 'bn') {
      const out = bn(h, N, p.get(`${st.name}.weight`)!, p.get(`${st.name}.bias`)!, p.get(`${st.name}.running_mean`)!, p.get(`${st.name}.running_var`)!, opts.momentum, opts.eps);
      tape.push({ step: st, input, saved: out.saved });
      h = out.y;
      continue;
    } else if (st.kind === 'relu') h = { ...h, data: h.data.map((v) => Math.max(v, 0)) };
    else if (st.kind === 'pool') {
      const out = pool(h, N);
      tape.push({ step: st, input, arg: out.arg });
      h = out.y;
      continue;
    } else {
      // Flatten (length is 1) then y = x·Wᵀ + b.
      const D = h.C * h.L;
      const w = p.get('fc.weight')!;
      const b = p.get('fc.bias')!;
      const y = new Float64Array(N * st.cout!);
      for (let n = 0; n < N; n++)
        for (let o = 0; o < st.cout!; o++) {
          let s = b[o];
          for (let d = 0; d < D; d++) s += w[o * D + d] * h.data[n * D + d];
          y[n * st.cout! + o] = s;
        }
      h = { C: st.cout!, L: 1, data: y };
    }
    tape.push({ step: st, input });
  }
  const logits = h.data;
  const grads = new Map<string, F>();
  let g: Act = { C: h.C, L: 1, data: Float64Array.from(r) };
  for (let t = tape.length - 1; t >= 0; t--) {
    const { step: st, input } = tape[t];
    if (st.kind === 'fc') {
      const D = input.C * input.L;
      const w = p.get('fc.weight')!;
      const gx = new Float64Array(N * D);
      const gw = new Float64Array(w.length);
      const gb = new Float64Array(st.cout!);
      for (let n = 0; n < N; n++)
        for (let o = 0; o < st.cout!; o++) {
          const go = g.data[n * st.cout! + o];
          gb[o] += go;
          for (let d = 0; d < D; d++) {
            gw[o * D + d] += go * input.data[n * D + d];
            gx[n * D + d] += go * w[o * D + d];
          }
        }
      grads.set('fc.weight', gw).set('fc.bias', gb);
      g = { C: input.C, L: input.L, data: gx };
    } else if (st.kind === 'pool') {
      const gx = new Float64Array(input.data.length);
      tape[t].arg!.forEach((i, o) => (gx[i] += g.data[o]));
      g = { C: input.C, L: input.L, data: gx };
    } else if (st.kind === 'relu') {
      g = { ...g, data: g.data.map((v, i) => (input.data[i] > 0 ? v : 0)) };
    } else if (st.kind === 'bn') {
      const b = bnBack(g, N, p.get(`${st.name}.weight`)!, tape[t].saved!);
      grads.set(`${st.name}.weight`, b.gGamma).set(`${st.name}.bias`, b.gBeta);
      g = { ...g, data: b.gx };
    } else {
      const b = convBack(input, N, p.get(`${st.name}.weight`)!, g, st.K!, st.stride!, st.pad!);
      grads.set(`${st.name}.weight`, b.gw).set(`${st.name}.bias`, b.gb);
      g = { C: input.C, L: input.L, data: b.gx };
    }
  }
  return { logits, grads };
}
