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

# The bench with every dependency inlined except Dawn (a native addon) and the
# JavaScript WebGPU peers (loaded on demand; absent there, they report "not measured").
npx esbuild bench/main.ts --bundle --platform=node --format=esm --target=es2022 \
  --loader:.wgsl=text --outfile="$out/bench.mjs" --log-level=warning \
  --external:webgpu --external:@jax-js/jax --external:@tensorflow/tfjs --external:@tensorflow/tfjs-backend-webgpu \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"

cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$out/node_modules/webgpu/"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$out/dawn.node.xz"
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" > "$out/node.xz"
du -sh "$out"
