#!/usr/bin/env python3
"""One SampleCNN training step in PyTorch eager mode: the peer robust-tagger is checked and timed against.

    samplecnn_step.py parity IN.safetensors OUT.safetensors
        IN holds a model's state dict (robust-tagger / CLMR names), `input.x`
        [N, L] and `input.y` [N, classes]; metadata `model_config` (JSON with a
        `sampleCnn` object) and `lr`. Runs one training-mode step (forward,
        BCE with logits, backward, Adam) and writes OUT: `logits`, `loss`,
        `grad.<param>`, `eval_logits` (eval mode, after the training forward
        and before the update) and `state.<name>` (parameters after Adam,
        BatchNorm buffers after the training forward). With --float64, the
        same step in float64 too, under `f64.<name>`.

    samplecnn_step.py pinned IN.safetensors OUT.safetensors
        As parity, in float64 only, twice: free (`f64.grad.<param>`) and with
        the ReLU and max-pool decisions pinned to robust-tagger's
        (`pin64.grad.<param>`). IN also holds, per block i of `sequential`,
        `pin.i.y` (robust-tagger's ReLU output: the mask is y > 0) or
        `pin.i.argmax` and `pin.i.pooled` (the position of each window's
        maximum in the row, and the pooled value: the mask is pooled > 0).

    samplecnn_step.py time [--config JSON] [--batch 48] [--reps 5] [--warmup 2] [--device auto|cuda|cpu] [--tf32]
        Times the step of the thesis SampleCNN (or the given `sampleCnn`
        config) on synthetic data and prints one JSON line:
        {"ms": median, "reps", "batch", "device", "torch", "tf32"}.

The step is the same as robust-tagger's bench: BCE with logits (mean) on the
fc outputs, Adam, training-mode BatchNorm; dropout as the config says.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from samplecnn import SampleCNN  # noqa: E402

THESIS = {"inputLength": 59049, "firstChannels": 128, "blockChannels": [128, 128, 256, 256, 256, 256, 256, 256, 512], "lastKernel": 1, "numClasses": 50, "dropout": 0.5}


def step(model, opt, x, y):
    logits = model(x)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return logits, loss


def parity_step(cfg, state, x, y, lr, dtype, prefix):
    """The step on `state` in `dtype`; its results under names starting with `prefix`."""
    model = SampleCNN(cfg).to(dtype)
    # strict: every name robust-tagger wrote must be one PyTorch's module has, and the reverse.
    model.load_state_dict({k: (v.to(dtype) if v.is_floating_point() else v) for k, v in state.items()}, strict=True)
    x, y = x.to(dtype), y.to(dtype)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    logits = model(x)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y)
    loss.backward()
    out = {f"{prefix}logits": logits.detach(), f"{prefix}loss": loss.detach().reshape(1)}
    for name, p in model.named_parameters():
        out[f"{prefix}grad.{name}"] = p.grad
    # Eval mode before the update: the running statistics this forward just updated, the weights it read.
    model.eval()
    with torch.no_grad():
        out[f"{prefix}eval_logits"] = model(x)
    opt.step()
    for name, t in model.state_dict().items():
        out[f"{prefix}state.{name}"] = t
    return out


def parity(src, dst, float64):
    tensors, meta = safetensors_io.load(src)
    cfg = json.loads(meta["model_config"])["sampleCnn"]
    lr = float(meta["lr"])
    x = tensors.pop("input.x")
    y = tensors.pop("input.y")
    out = parity_step(cfg, tensors, x, y, lr, torch.float32, "")
    if float64:
        # The same step in float64: what both float32 implementations are judged against.
        out.update(parity_step(cfg, tensors, x, y, lr, torch.float64, "f64."))
    safetensors_io.save(dst, out, {"torch": torch.__version__})


def pinned_forward(model, x, pins):
    """SampleCNN's training forward with ReLU → MaxPool replaced by robust-tagger's decisions."""
    h = x.reshape(x.shape[0], 1, -1)
    for i, block in enumerate(model.sequential):
        z = block[1](block[0](h))
        if f"pin.{i}.argmax" in pins:
            # MaxPool1d(3, 3) after ReLU: the value at the pinned position, kept where the pinned maximum passed the ReLU.
            pooled_shape = (z.shape[0], z.shape[1], -1)
            index = pins[f"pin.{i}.argmax"].to(torch.int64).reshape(pooled_shape)
            h = torch.gather(z, 2, index) * (pins[f"pin.{i}.pooled"].reshape(pooled_shape) > 0).to(z.dtype)
        else:
            h = z * (pins[f"pin.{i}.y"].reshape(z.shape) > 0).to(z.dtype)
    return model.fc(h.flatten(1))


def pinned(src, dst):
    tensors, meta = safetensors_io.load(src)
    cfg = json.loads(meta["model_config"])["sampleCnn"]
    x = tensors.pop("input.x").to(torch.float64)
    y = tensors.pop("input.y").to(torch.float64)
    pins = {k: tensors.pop(k) for k in list(tensors) if k.startswith("pin.")}
    out = {}
    for prefix, forward in (("f64.", lambda m: m(x)), ("pin64.", lambda m: pinned_forward(m, x, pins))):
        model = SampleCNN(cfg).to(torch.float64)
        model.load_state_dict({k: (v.to(torch.float64) if v.is_floating_point() else v) for k, v in tensors.items()}, strict=True)
        model.train()
        logits = forward(model)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y)
        loss.backward()
        out[f"{prefix}logits"] = logits.detach()
        for name, p in model.named_parameters():
            out[f"{prefix}grad.{name}"] = p.grad
    safetensors_io.save(dst, out, {"torch": torch.__version__})


def timed(args):
    cfg = json.loads(args.config) if args.config else THESIS
    device = ("cuda" if torch.cuda.is_available() else "cpu") if args.device == "auto" else args.device
    torch.backends.cuda.matmul.allow_tf32 = args.tf32
    torch.backends.cudnn.allow_tf32 = args.tf32
    torch.manual_seed(1)
    model = SampleCNN(cfg).to(device).train()
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    n, length = args.batch, cfg["inputLength"]
    i = torch.arange(n * length, dtype=torch.float32)
    x = (torch.sin(i * 0.731) * 0.5).reshape(n, length).to(device)
    y = (torch.arange(n * cfg["numClasses"]) * 7 % 5 == 0).to(torch.float32).reshape(n, -1).to(device)
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    times = []
    for r in range(args.warmup + args.reps):
        sync()
        t0 = time.perf_counter()
        _, loss = step(model, opt, x, y)
        loss.item()  # the readback robust-tagger's step also ends with
        sync()
        if r >= args.warmup:
            times.append((time.perf_counter() - t0) * 1e3)
    name = torch.cuda.get_device_name() if device.startswith("cuda") else "cpu"
    print(json.dumps({"ms": statistics.median(times), "reps": args.reps, "batch": n, "device": name, "torch": torch.__version__, "tf32": args.tf32}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("parity")
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--float64", action="store_true", help="also run the step in float64 and write it under f64.*")
    q = sub.add_parser("pinned")
    q.add_argument("src")
    q.add_argument("dst")
    t = sub.add_parser("time")
    t.add_argument("--config", help="JSON of a sampleCnn config (default: thesis Table 3.1)")
    t.add_argument("--batch", type=int, default=48)
    t.add_argument("--reps", type=int, default=5)
    t.add_argument("--warmup", type=int, default=2)
    t.add_argument("--device", default="auto")
    t.add_argument("--tf32", action="store_true", help="allow TF32 in matmuls and convolutions (off: a true fp32 step)")
    args = ap.parse_args()
    if args.cmd == "parity":
        parity(args.src, args.dst, args.float64)
    elif args.cmd == "pinned":
        pinned(args.src, args.dst)
    else:
        timed(args)


if __name__ == "__main__":
    main()
