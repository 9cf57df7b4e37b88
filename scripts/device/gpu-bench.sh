#!/usr/bin/env bash
# On a GPU machine (the device tool), from the repository root, after
# scripts/device/pack.sh ran here:
#   carry: [".device", ".gl"]   (.gl: the Vulkan/EGL loader .debs, see the device tool's README)
#   command: bash scripts/device/gpu-bench.sh [bench args]   (default: --only pytorch-parity,thesis-step,samplecnn-step,conv1d-layer)
# Unpacks the loaders, Node and Dawn, then runs the benchmarks on the GPU's
# Vulkan driver; the thesis-size step prints PyTorch's eager fp32 step on the
# same GPU beside it. Output is teed to $OUT/bench.txt when $OUT is set.
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
if [ -n "${OUT:-}" ]; then
  "$work/node" "$work/bench.mjs" --backend vulkan "${args[@]}" 2>&1 | tee "$OUT/bench.txt"
else
  "$work/node" "$work/bench.mjs" --backend vulkan "${args[@]}"
fi
