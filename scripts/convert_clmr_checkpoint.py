#!/usr/bin/env python3
"""Convert a PyTorch CLMR checkpoint to a robust-tagger safetensors file.

Usage:
    python scripts/convert_clmr_checkpoint.py clmr_checkpoint_10000.pt out.safetensors [--lightning-prefix model.]

Reads either a plain state dict (.pt, keys `encoder.sequential.*`, `projector.*`)
or a PyTorch Lightning checkpoint (.ckpt, a dict with `state_dict` whose keys
carry the LightningModule attribute first, e.g. `model.encoder.*`). Writes the
names robust-tagger's FeatureExtractor uses: `sequential.*` and `projector.*`
(the `encoder.` wrapper prefix stripped, everything else dropped), as float32
with num_batches_tracked kept as int64. Needs torch only (the safetensors file
is written by scripts/pytorch/safetensors_io.py). Documented in
docs/pytorch-conversion.md; test/models/clmrConversion.test.ts runs it on a
CLMR-shaped checkpoint that PyTorch makes.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch"))
import safetensors_io  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--lightning-prefix", default="model.", help="attribute prefix inside a Lightning state_dict")
    args = ap.parse_args()

    obj = torch.load(args.src, map_location="cpu", weights_only=False)
    state = obj["state_dict"] if isinstance(obj, dict) and "state_dict" in obj else obj
    out = {}
    for key, value in state.items():
        if key.startswith(args.lightning_prefix):
            key = key[len(args.lightning_prefix):]
        if key.startswith("encoder."):
            key = key[len("encoder."):]
        elif not key.startswith("projector."):
            continue  # optimizer state, linear-eval heads, etc. are not part of the feature extractor
        if key.startswith("fc."):
            continue  # CLMR replaces fc by Identity during pretraining; a leftover fc is not the encoder
        if not torch.is_tensor(value):
            continue
        value = value.detach().cpu().contiguous()
        out[key] = value if key.endswith("num_batches_tracked") else value.to(torch.float32)

    blocks = sorted({int(k.split(".")[1]) for k in out if k.startswith("sequential.")})
    if not blocks:
        raise SystemExit(f"{args.src}: no `encoder.sequential.*` tensors found; is this a CLMR SampleCNN checkpoint?")
    last = out[f"sequential.{blocks[-1]}.0.weight"]
    sample_cnn = {
        "inputLength": 3 ** (len(blocks) - 1),  # block 0 and each pooling block divide by 3; the last block keeps length 1
        "firstChannels": int(out["sequential.0.0.weight"].shape[0]),
        "blockChannels": [int(out[f"sequential.{i}.0.weight"].shape[0]) for i in blocks[1:-1]],
        "lastKernel": int(last.shape[2]),
    }
    config = {"sampleCnn": sample_cnn}
    if "projector.0.weight" in out:
        config["projectorHidden"] = int(out["projector.0.weight"].shape[0])
        config["projectorOut"] = int(out["projector.2.weight"].shape[0])
    metadata = {"format": "robust-tagger", "source": args.src, "stage": "pretrain", "model_config": json.dumps(config)}
    safetensors_io.save(args.dst, out, metadata)
    print(f"wrote {len(out)} tensors to {args.dst}; model config {json.dumps(config)}")


if __name__ == "__main__":
    main()
