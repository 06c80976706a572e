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

echo "== dcc-python: mypy --strict on the README quick start"
"$PY" - "$HERE/README.md" >"$WORK/quickstart.py" <<'PYEOF'
import re, sys
text = open(sys.argv[1]).read().split("## Quick start", 1)[1]
print(re.search(r"```python\n(.*?)```", text, re.S).group(1))
PYEOF
(cd "$WORK" && "$PY" -m mypy --strict --no-incremental quickstart.py)

echo "== dcc-python: pytest (against the installed wheel)"
cd "$HERE"
PYTHONDONTWRITEBYTECODE=1 DCC_ROOT="$ROOT" "$PY" -m pytest tests -q -p no:cacheprovider
