#!/usr/bin/env bash
# What Linux CI can check of the Swift package (no Swift compiler exists on these machines):
# the committed generated sources match a fresh generation, and the generated C header
# compiles (gcc, with clang's nullability qualifiers defined away).
set -euo pipefail
cd "$(dirname "$0")/../.."
fresh=$(mktemp -d)
bindings/swift/generate.sh "$fresh"
for f in Sources/Paycore/Paycore.swift Sources/PaycoreFFI/include/PaycoreFFI.h \
         Sources/PaycoreFFI/include/module.modulemap; do
  if ! diff -q "bindings/swift/$f" "$fresh/$f" >/dev/null; then
    echo "bindings/swift/$f is stale: run bindings/swift/generate.sh" >&2
    diff -u "bindings/swift/$f" "$fresh/$f" | head -40 >&2
    exit 1
  fi
done
rm -rf "$fresh"
printf '#include "PaycoreFFI.h"\nint main(void) { return 0; }\n' > "${TMPDIR:-/tmp}/swift_header_check.c"
gcc -std=c11 -Wall -Werror -D_Nullable= -D_Nonnull= -fsyntax-only \
  -Ibindings/swift/Sources/PaycoreFFI/include "${TMPDIR:-/tmp}/swift_header_check.c"
echo "swift: generated sources up to date; header compiles (1 passed, 0 failed)"
