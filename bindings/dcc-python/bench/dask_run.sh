#!/usr/bin/env bash
# Builds the wheel, installs it into a fresh venv with the test requirements (Dask, distributed)
# and runs bench/dask_bench.py: issuing on a LocalCluster of 1 and 2 workers in one run.
# Arguments go to the script (--records N, --partitions P, --rounds R). Not part of test.sh.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/env.sh"
dcc_python_deps "$HERE/tests/requirements.txt"
dcc_python_wheel
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
dcc_python_fresh_venv "$WORK/venv"
DCC_ROOT="$ROOT" "$WORK/venv/bin/python" "$HERE/bench/dask_bench.py" "$@"
