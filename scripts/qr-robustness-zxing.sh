#!/usr/bin/env bash
# zxing-cpp's read rate on dcc-qr's robustness corpus (issue #15), beside ours: writes the corpus
# (crates/dcc-qr/tests/corpus/mod.rs, 390 images) with the robustness_corpus example, prints
# our table, then reads every image with zxing-cpp (Python package, in a venv cached under
# $TOOLS/venv-zxing) and prints its table. Not part of CI: the figures are in
# crates/dcc-qr/README.md.
#
#   bash scripts/qr-robustness-zxing.sh [DIR]     (default: a temporary folder)
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/setup.sh"
need_rust

VENV="$TOOLS/venv-zxing"
if ! "$VENV/bin/python" -c "import zxingcpp, PIL" 2>/dev/null; then
    echo "qr-robustness-zxing: installing zxing-cpp and pillow into $VENV"
    rm -rf "$VENV"
    "${PYTHON:-python3}" -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check zxing-cpp pillow
fi

DIR="${1:-}"
if [ -z "$DIR" ]; then
    DIR="$(mktemp -d)"
    trap 'rm -rf "$DIR"' EXIT
fi
cd "$ROOT"
cargo run -q -p dcc-qr --release --example robustness_corpus -- write "$DIR"
echo "== dcc-qr (read_image)"
cargo run -q -p dcc-qr --release --example robustness_corpus -- eval | grep -v '^failed'
echo "== zxing-cpp"
"$VENV/bin/python" "$ROOT/scripts/qr-robustness-zxing.py" "$DIR"
