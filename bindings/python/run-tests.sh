#!/usr/bin/env bash
# Builds and installs the Python package into .venv (pip install ./bindings/python, exactly as
# a user would), then runs pytest and checks the hand-written stubs with mypy.stubtest.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
py="$root/.venv/bin/python"
[ -x "$py" ] || { echo ".venv missing: run .ci/install.sh" >&2; exit 1; }
export PATH="$root/.venv/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"

echo "== pip install ./bindings/python"
"$py" -m pip install --quiet --no-build-isolation --force-reinstall --no-deps ./bindings/python
echo "== stubtest"
"$py" -m mypy.stubtest paycore._paycore --allowlist bindings/python/stubtest-allowlist.txt
echo "== mypy (tests type-check against the stubs)"
"$py" -m mypy bindings/python/tests
echo "== pytest"
cd bindings/python && "$py" -m pytest -q tests
