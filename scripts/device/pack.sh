#!/usr/bin/env bash
# Packs what a GPU machine without Node needs to run the benchmarks: Node
# itself, Dawn's linux-x64 addon (both xz-compressed, ~30 MB together, under
# the device tool's 64 MiB a call) and one bench bundle, into .device/
# (ignored by git; name it in the device tool's `carry`). Run here, after
# `npm ci`. On the GPU machine scripts/device/gpu-bench.sh unpacks and runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device
rm -rf "$out"
mkdir -p "$out/node_modules/webgpu/dist/linux-x64"

# The bench (with the tune command) as one bundle; see bundle-bench.mjs.
node scripts/device/bundle-bench.mjs "$out/bench.mjs"

cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$out/node_modules/webgpu/"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$out/dawn.node.xz"
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" > "$out/node.xz"
du -sh "$out"
