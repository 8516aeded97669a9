#!/usr/bin/env bash
# Builds the C library, checks the committed header for drift, and runs every C test in
# bindings/c/tests/ twice: with AddressSanitizer + UBSan, and under valgrind (memcheck).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
target="${CARGO_TARGET_DIR:-$root/target}"

cargo build --quiet -p paycore-ffi-c

echo "== header drift check (cbindgen $(cbindgen --version | cut -d' ' -f2))"
fresh=$(mktemp)
cbindgen --quiet --config ffi/c/cbindgen.toml --crate paycore-ffi-c --output "$fresh"
if ! diff -u bindings/c/include/paycore.h "$fresh"; then
  echo "bindings/c/include/paycore.h is stale: regenerate it (command in ffi/c/cbindgen.toml)" >&2
  exit 1
fi
rm -f "$fresh"

# A staging prefix laid out like an install, with the pkg-config file pointing at it.
prefix="$target/c-prefix"
mkdir -p "$prefix/include" "$prefix/lib/pkgconfig" "$target/c-tests"
cp bindings/c/include/paycore.h "$prefix/include/"
cp "$target/debug/libpaycore_c.a" "$prefix/lib/"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" bindings/c/paycore.pc.in \
  > "$prefix/lib/pkgconfig/paycore.pc"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cflags=$(pkg-config --cflags paycore)
libs=$(pkg-config --static --libs paycore)

status=0
for src in bindings/c/tests/test_*.c; do
  name=$(basename "$src" .c)
  echo "== $name (ASan + UBSan)"
  gcc -std=c11 -Wall -Wextra -Werror -g -fsanitize=address,undefined -fno-sanitize-recover=all \
    $cflags -Ibindings/c/tests "$src" -o "$target/c-tests/$name.asan" $libs
  nm "$target/c-tests/$name.asan" | grep __asan_init >/dev/null || { echo "ASan not linked" >&2; exit 1; }
  ASAN_OPTIONS=detect_leaks=1 "$target/c-tests/$name.asan" || status=1
  echo "== $name (valgrind)"
  gcc -std=c11 -Wall -Wextra -Werror -g $cflags -Ibindings/c/tests "$src" \
    -o "$target/c-tests/$name.plain" $libs
  valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$target/c-tests/$name.plain" || status=1
done
exit $status
