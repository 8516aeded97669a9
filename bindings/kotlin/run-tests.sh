#!/usr/bin/env bash
# Generates the Kotlin bindings from the built library (uniffi-bindgen at the workspace's
# pinned UniFFI version), compiles them and the tests with kotlinc -Werror, and runs the tests
# on the JVM with Debian's JNA. Generated sources go to target/, never into the repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
K="$root/tools/kotlin/node_modules/kotlin-compiler"
JNA=/usr/share/java/jna.jar
[ -x "$K/bin/kotlinc" ] || { echo "kotlinc missing: run .ci/install.sh" >&2; exit 1; }
[ -f "$JNA" ] || { echo "JNA missing: run .ci/install.sh" >&2; exit 1; }

cargo build --quiet -p paycore-ffi-uniffi
rm -rf "$target/kt-gen" "$target/kt"
mkdir -p "$target/kt"
cargo run --quiet -p uniffi-bindgen -- generate "$target/debug/libpaycore_uniffi.so" \
  --language kotlin --no-format --out-dir "$target/kt-gen"

echo "== kotlinc: generated bindings"
"$K/bin/kotlinc" -Werror -d "$target/kt/bindings.jar" -classpath "$JNA" \
  $(find "$target/kt-gen" -name '*.kt')
echo "== kotlinc: tests"
"$K/bin/kotlinc" -Werror -d "$target/kt/tests.jar" -classpath "$JNA:$target/kt/bindings.jar" \
  bindings/kotlin/tests/*.kt
echo "== run"
java -Djna.nosys=false -Djna.library.path="$target/debug" -ea \
  -cp "$JNA:$target/kt/bindings.jar:$target/kt/tests.jar:$K/lib/kotlin-stdlib.jar" \
  io.paycore.tests.MainKt
