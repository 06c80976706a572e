#!/usr/bin/env bash
# The Python binding's tests: builds the dcc-kit wheel (release, abi3), pip-installs it into a
# FRESH virtual environment, checks the stubs against the installed module (mypy.stubtest) and
# runs the pytest suite against the installed package. Idempotent; tools and test dependencies
# are cached under ${DCC_TOOLS_DIR:-~/.cache/dcc-kit-tools}.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

dcc_python_deps "$HERE/tests/requirements.txt"

echo "== dcc-python: building the wheel (maturin, release)"
dcc_python_wheel
ls "$WHEELS"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "== dcc-python: installing it into a fresh venv"
dcc_python_fresh_venv "$WORK/venv"
PY="$WORK/venv/bin/python"

echo "== dcc-python: stubtest (the .pyi against the installed module)"
(cd "$WORK" && "$PY" -m mypy.stubtest dcc_kit)

echo "== dcc-python: mypy --strict on the README's python blocks and the examples"
mkdir -p "$WORK/readme"
"$PY" - "$HERE/README.md" "$WORK/readme" <<'PYEOF'
import re, sys
blocks = re.findall(r"```python\n(.*?)```", open(sys.argv[1]).read(), re.S)
assert len(blocks) >= 7, "the README has its quick start, revocation, trust list, ledger and key custody blocks"
for i, code in enumerate(blocks):
    open(f"{sys.argv[2]}/readme_{i}.py", "w").write(code)
PYEOF
cp "$HERE"/examples/*.py "$WORK/readme/" # the KMS block imports examples/kms_signer.py
(cd "$WORK/readme" && "$PY" -m mypy --strict --no-incremental .)

echo "== dcc-python: pytest (against the installed wheel)"
cd "$HERE"
PYTHONDONTWRITEBYTECODE=1 DCC_ROOT="$ROOT" "$PY" -m pytest tests -q -p no:cacheprovider
