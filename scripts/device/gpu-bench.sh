#!/usr/bin/env bash
# On a GPU machine (the device tool), from the repository root, after
# scripts/device/pack.sh ran here:
#   carry: [".device", ".gl"]   (.gl: the Vulkan/EGL loader .debs, see the device tool's README)
#   command: bash scripts/device/gpu-bench.sh [bench args]   (default: --only pytorch-parity,thesis-step,samplecnn-step,conv1d-layer)
# Unpacks the loaders, Node and Dawn, tunes the kernels for the thesis model
# (robust-tagger tune: one DAT step at batch 48 and one tagging batch), then
# runs the benchmarks on the GPU's Vulkan driver with those winners; the
# thesis-size step prints PyTorch's eager fp32 step on the same GPU beside it.
# Output is teed to $OUT/bench.txt, the tuning cache copied to $OUT, when $OUT is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -d .gl ]; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$nvidia_icd" ] && export VK_DRIVER_FILES="${VK_DRIVER_FILES:-$nvidia_icd}"
work=/tmp/robust-tagger-device
mkdir -p "$work/node_modules/webgpu/dist/linux-x64"
python3 - "$work" <<'PY'
import lzma, os, shutil, sys
work = sys.argv[1]
for src, dst in ((".device/node.xz", "node"), (".device/dawn.node.xz", "node_modules/webgpu/dist/linux-x64/dawn.node")):
    with lzma.open(src) as f, open(os.path.join(work, dst), "wb") as g:
        shutil.copyfileobj(f, g)
os.chmod(os.path.join(work, "node"), 0o755)
PY
cp .device/node_modules/webgpu/index.js .device/node_modules/webgpu/package.json "$work/node_modules/webgpu/"
cp .device/bench.mjs "$work/"
# The bundle finds scripts/pytorch/ by walking up to a package.json: point it at this checkout.
ln -sfn "$PWD/package.json" "$work/package.json"
ln -sfn "$PWD/scripts" "$work/scripts"
"$work/node" --version
if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader; fi
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--only pytorch-parity,thesis-step,samplecnn-step,conv1d-layer)
export ROBUST_TAGGER_CACHE_DIR="$work/tuning"
run() {
  # Tuning first (bounded: the rest of the ~8 minutes is the benchmarks'), then
  # the benchmarks on the cached winners; shapes tune left out are measured when met.
  timeout 240 "$work/node" "$work/bench.mjs" tune --model thesis --backend vulkan || echo "tune: exit $? (benchmarks run on what was cached)"
  ROBUST_TAGGER_TUNE=full "$work/node" "$work/bench.mjs" --backend vulkan "${args[@]}"
}
if [ -n "${OUT:-}" ]; then
  run 2>&1 | tee "$OUT/bench.txt"
  cp "$ROBUST_TAGGER_CACHE_DIR/kernel-tuning.json" "$OUT/" 2>/dev/null || true
else
  run
fi
