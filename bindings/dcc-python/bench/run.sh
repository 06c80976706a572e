#!/usr/bin/env bash
# Builds the wheel, installs it into a fresh venv with the baselines of bench/requirements.txt
# and runs bench/bench.py (pass --quick for a short run). Not part of test.sh.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/env.sh"
dcc_python_deps "$HERE/bench/requirements.txt"
dcc_python_wheel
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
dcc_python_fresh_venv "$WORK/venv"
DCC_ROOT="$ROOT" "$WORK/venv/bin/python" "$HERE/bench/bench.py" "$@"
