// PyTorch eager as a peer of the SampleCNN step benchmarks: the same network,
// loss and optimizer (scripts/pytorch/samplecnn_step.py), on CUDA when PyTorch
// sees a GPU, else on this machine's CPU cores. fp32 (TF32 off) unless asked.
import type { SampleCnnConfig } from '../src/models/index.js';
import { findTorchPython, pytorchStepScript, runPython } from '../test/helpers/pytorch.js';
import type { PeerTiming } from './peers.js';

export function benchStepTorch(cfg: SampleCnnConfig, batch: number, reps: number, warmup = 2): PeerTiming {
  const torch = findTorchPython();
  if (torch.python === null) return { name: 'pytorch', error: torch.reason };
  try {
    const out = runPython(torch.python, pytorchStepScript(), ['time', '--config', JSON.stringify(cfg), '--batch', String(batch), '--reps', String(reps), '--warmup', String(warmup)], 1_800_000);
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; device: string; torch: string };
    return { name: `pytorch ${r.torch} eager (${r.device})`, ms: r.ms };
  } catch (e) {
    return { name: 'pytorch', error: (e as Error).message.split('\n')[0] };
  }
}
