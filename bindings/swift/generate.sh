#!/usr/bin/env bash
# Regenerates the Swift sources from the built UniFFI library into OUT (default: this
# package). Usage: bindings/swift/generate.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
out="${1:-$root/bindings/swift}"
target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --quiet -p paycore-ffi-uniffi
gen=$(mktemp -d)
cargo run --quiet -p uniffi-bindgen -- generate "$target/debug/libpaycore_uniffi.so" \
  --language swift --no-format --out-dir "$gen"
mkdir -p "$out/Sources/Paycore" "$out/Sources/PaycoreFFI/include"
cp "$gen/Paycore.swift" "$out/Sources/Paycore/Paycore.swift"
cp "$gen/PaycoreFFI.h" "$out/Sources/PaycoreFFI/include/PaycoreFFI.h"
# SwiftPM wants the module map named module.modulemap inside include/.
cp "$gen/PaycoreFFI.modulemap" "$out/Sources/PaycoreFFI/include/module.modulemap"
rm -rf "$gen"
