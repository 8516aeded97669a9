#!/usr/bin/env bash
# Installs every tool the full test run needs on a fresh Debian 12 machine (Rust, Python 3.11,
# JDK 17, gcc and npm already present). Idempotent: each step is skipped when already done.
# Everything project-local goes under ./tools and ./.venv (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
log() { printf '\n==> %s\n' "$*"; }

CBINDGEN_VERSION=0.29.4
CARGO_FUZZ_VERSION=0.13.1
KOTLIN_VERSION=2.4.20

if ! dpkg -s libjna-java libjna-jni valgrind >/dev/null 2>&1; then
  log "apt: JNA (for the Kotlin bindings) and valgrind"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libjna-java libjna-jni valgrind >/dev/null
fi

if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $CBINDGEN_VERSION" ]; then
  log "cargo install cbindgen $CBINDGEN_VERSION (pinned: its output differs between releases)"
  cargo install --quiet --locked cbindgen --version "$CBINDGEN_VERSION"
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  log "cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

K="$root/tools/kotlin/node_modules/kotlin-compiler"
if [ ! -x "$K/bin/kotlinc" ]; then
  log "npm: kotlin-compiler $KOTLIN_VERSION (a full kotlinc; Maven Central is not reachable)"
  npm install --silent --prefix "$root/tools/kotlin" --no-audit --no-fund "kotlin-compiler@$KOTLIN_VERSION"
fi

if [ ! -x "$root/.venv/bin/python" ]; then
  log "python venv"
  python3 -m venv "$root/.venv"
fi
if ! "$root/.venv/bin/python" -c 'import maturin, pytest, mypy, iso8583' >/dev/null 2>&1; then
  log "pip: maturin, pytest, mypy (stubtest), pyiso8583 (peer codec for cross-checks)"
  "$root/.venv/bin/pip" install --quiet --upgrade pip
  "$root/.venv/bin/pip" install --quiet -r "$root/bindings/python/requirements-dev.txt"
fi
log "tools ready"
