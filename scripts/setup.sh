# Sourced by the other scripts: installs what the build needs, once, into places checked first.
# Rust comes with the machine (rustup); everything else is fetched from the registries.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Installed tools are cached outside the checkout, so a fresh clone on the same machine reuses
# them; set DCC_TOOLS_DIR to move the cache.
TOOLS="${DCC_TOOLS_DIR:-$HOME/.cache/dcc-kit-tools}"
mkdir -p "$TOOLS"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"

need_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        echo "setup: cargo not found; install Rust with rustup (https://rustup.rs)" >&2
        exit 2
    fi
}

need_wasm_target() {
    if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
        echo "setup: adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}
