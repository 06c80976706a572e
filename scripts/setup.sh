# The one preamble of every script (demo, tests, benches, each binding's test script): where the
# checkout and the tool cache are, PATH, and the names of the cached tools. Installing them is
# scripts/bootstrap.sh's job (`bootstrap PART...` below); Rust comes with the machine (rustup).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Installed tools are cached outside the checkout, so a fresh clone on the same machine reuses
# them; set DCC_TOOLS_DIR to move the cache.
TOOLS="${DCC_TOOLS_DIR:-$HOME/.cache/dcc-kit-tools}"
mkdir -p "$TOOLS"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"

# Tools installed by scripts/bootstrap.sh, by part.
MATURIN_VERSION=1.16.0
MATURIN_VENV="$TOOLS/venv-build"
KOTLIN_VERSION=2.4.20
CARGO_FUZZ_VERSION=0.13.2
CARGO_DENY_VERSION=0.20.2
KOTLIN_HOME="$TOOLS/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler"
KOTLIN_STDLIB="$KOTLIN_HOME/lib/kotlin-stdlib.jar"
JNA_JAR=/usr/share/java/jna.jar
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM

# Installs (once) the tools of these parts: rust wasm python kotlin.
bootstrap() {
    bash "$ROOT/scripts/bootstrap.sh" "$@"
}

# A step heading; STEP_PREFIX names the script ("dcc-ffi: ").
step() { printf '\n== %s%s\n' "${STEP_PREFIX:-}" "$*"; }

need_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        echo "setup: cargo not found; install Rust with rustup (https://rustup.rs)" >&2
        exit 2
    fi
}

need_wasm_target() {
    bootstrap rust
}
