# Sourced by test.sh and bench/run.sh: cached tools, the release wheel, and a fresh venv with the
# wheel installed. Everything is cached under $TOOLS (${DCC_TOOLS_DIR:-~/.cache/dcc-kit-tools}).
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../scripts/setup.sh
source "$HERE/../../scripts/setup.sh" # ROOT, TOOLS, PATH; set -euo pipefail
need_rust

PYTHON="${PYTHON:-python3}"
BUILD_VENV="$MATURIN_VENV"
WHEELS="$ROOT/target/dcc-python-wheels"

# maturin, cached in $TOOLS/venv-build by scripts/bootstrap.sh.
dcc_python_maturin() {
    bootstrap python
}

# A cached environment holding the packages of requirements file $1: sets DEPS_DIR (the venv)
# and DEPS_SITE (its site-packages).
dcc_python_deps() {
    local req="$1" key dir
    key="$(sha256sum <"$req" | cut -c1-16)"
    dir="$TOOLS/dcc-python-deps-$key"
    if [ ! -f "$dir/.complete" ]; then
        echo "setup: installing $(basename "$(dirname "$req")")/$(basename "$req") into $dir" >&2
        rm -rf "$dir"
        "$PYTHON" -m venv "$dir"
        "$dir/bin/pip" install -q --disable-pip-version-check -r "$req" >&2
        touch "$dir/.complete"
    fi
    DEPS_DIR="$dir"
    DEPS_SITE="$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
}

# Builds the release wheel into $WHEELS (only ours is ever there).
dcc_python_wheel() {
    dcc_python_maturin
    rm -rf "$WHEELS"
    "$BUILD_VENV/bin/maturin" build --release --quiet -m "$HERE/Cargo.toml" --out "$WHEELS"
}

# Creates a fresh venv at $1, pip-installs the wheel into it (no index: the wheel has no
# dependencies), and makes the packages of $DEPS_SITE importable after its own (a .pth line).
dcc_python_fresh_venv() {
    local venv="$1"
    "$PYTHON" -m venv --without-pip "$venv"
    "$DEPS_DIR/bin/python" -m pip --disable-pip-version-check --python "$venv/bin/python" \
        install -q --no-index "$WHEELS"/dcc_kit-*.whl
    "$venv/bin/python" -c 'import sys, sysconfig
with open(sysconfig.get_paths()["purelib"] + "/zz_dcc_deps.pth", "w") as f:
    print(sys.argv[1], file=f)' "$DEPS_SITE"
}
