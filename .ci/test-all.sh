#!/usr/bin/env bash
# Every test in every language, on a fresh machine: installs what it needs first.
#   Rust (fmt, clippy, unit/integration/property tests, benches in test mode, examples),
#   fuzz targets (built, then each run briefly), C (ASan+UBSan and valgrind, header drift),
#   Kotlin (JVM), Python (pip install, stubtest, mypy, pytest), Swift (generated sources).
# Ends with one line "test-all: N passed, N failed" counting the steps below.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
FUZZ_SECONDS="${FUZZ_SECONDS:-4}"

passed=0
failed=0
failures=()
step() {
  local name="$1"
  shift
  local start=$SECONDS
  printf '\n######## %s\n' "$name"
  if "$@"; then
    passed=$((passed + 1))
    printf '######## %s: ok (%ss)\n' "$name" $((SECONDS - start))
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '######## %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
  fi
}

fuzz_all() {
  cargo fuzz build --sanitizer none --fuzz-dir fuzz || return 1
  local t status=0
  for t in $(cargo fuzz list --fuzz-dir fuzz); do
    mkdir -p "fuzz/corpus/$t"
    echo "-- fuzz $t (${FUZZ_SECONDS}s)"
    cargo fuzz run --sanitizer none --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
      -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -print_final_stats=0 2>&1 | tail -2 \
      || status=1
  done
  return $status
}

step "install tools" bash .ci/install.sh || exit 1
step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy -D warnings" cargo clippy --workspace --all-targets --locked -- -D warnings
step "rust tests" cargo test --locked
step "benches (criterion test mode)" cargo test --locked -p paycore-benches --benches
step "fuzz targets" fuzz_all
step "C tests" bash bindings/c/run-tests.sh
step "Kotlin tests" bash bindings/kotlin/run-tests.sh
step "Python tests" bash bindings/python/run-tests.sh
step "Swift package check" bash bindings/swift/check.sh

printf '\n'
for f in "${failures[@]}"; do echo "failed step: $f"; done
echo "test-all: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
