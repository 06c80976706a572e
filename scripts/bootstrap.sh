#!/usr/bin/env bash
# Installs the tools the builds and tests need, once: into $TOOLS (checked first) or from Debian
# packages. The test scripts call it; run it alone to prepare a machine.
#
#   bash scripts/bootstrap.sh                  every part
#   bash scripts/bootstrap.sh wasm kotlin      only these parts: rust wasm python kotlin postgres hsm pdf
#                                              fuzz deny
#
# rust    the wasm32-unknown-unknown target (Rust itself comes with the machine, by rustup)
# wasm    wasm-bindgen-cli at the version bindings/dcc-wasm pins, Node >= 18, Debian's chromium
# python  maturin (in $TOOLS/venv-build)
# kotlin  a JDK, binutils (nm), JNA (Debian) and the npm kotlin-compiler
# postgres  Debian's PostgreSQL server binaries (the ledger tests start a throwaway cluster)
# hsm     Debian's SoftHSM2 and OpenSC (the PKCS#11 tests initialise a throwaway token)
# pdf     Debian's poppler-utils and zbar-tools (the PDF tests render pages and read their QR codes)
# fuzz    cargo-fuzz (the fuzz targets; the nightly toolchain must be installed)
# deny    cargo-deny (licences, bans, sources and advisories of the dependency tree)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/setup.sh"
need_rust

apt_install() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "bootstrap: installing $* (apt)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

boot_rust() {
    if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
        echo "bootstrap: adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
}

boot_wasm() {
    boot_rust
    local version
    version="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"$/\1/p' "$ROOT/bindings/dcc-wasm/Cargo.toml")"
    if [ "$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null || true)" != "wasm-bindgen $version" ]; then
        echo "bootstrap: installing wasm-bindgen-cli $version into $TOOLS (about 2 minutes, once)"
        cargo install wasm-bindgen-cli --version "$version" --root "$TOOLS"
    fi
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "bootstrap: node and npm are required (Node 20)" >&2
        exit 2
    fi
    if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
        echo "bootstrap: Node 18 or later is required, found $(node --version)" >&2
        exit 2
    fi
    # The browser test drives Debian's chromium (a browser download through playwright fails).
    [ -x "$CHROMIUM" ] || apt_install chromium
    # The KMS example and the certificate-request tests use the openssl command.
    command -v openssl >/dev/null 2>&1 || apt_install openssl
}

boot_python() {
    if ! "$MATURIN_VENV/bin/maturin" --version 2>/dev/null | grep -qF "$MATURIN_VERSION"; then
        echo "bootstrap: installing maturin $MATURIN_VERSION into $MATURIN_VENV"
        rm -rf "$MATURIN_VENV"
        "${PYTHON:-python3}" -m venv "$MATURIN_VENV"
        "$MATURIN_VENV/bin/pip" install -q --disable-pip-version-check "maturin==$MATURIN_VERSION"
    fi
}

boot_kotlin() {
    command -v java >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
    command -v nm >/dev/null 2>&1 || apt_install binutils
    command -v python3 >/dev/null 2>&1 || apt_install python3
    [ -f "$JNA_JAR" ] || apt_install libjna-java libjna-jni
    if [ ! -f "$KOTLIN_HOME/bin/kotlinc" ]; then
        echo "bootstrap: installing kotlin-compiler@$KOTLIN_VERSION (npm) into $TOOLS"
        npm install --prefix "$TOOLS/kotlin-$KOTLIN_VERSION" --no-audit --no-fund --loglevel=error \
            "kotlin-compiler@$KOTLIN_VERSION"
    fi
    mkdir -p "$TOOLS/bin"
    ln -sf "$KOTLIN_HOME/bin/kotlinc" "$TOOLS/bin/kotlinc"
}

boot_hsm() {
    { command -v softhsm2-util >/dev/null 2>&1 && command -v pkcs11-tool >/dev/null 2>&1; } ||
        apt_install softhsm2 opensc
    command -v openssl >/dev/null 2>&1 || apt_install openssl
}

boot_postgres() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
}

boot_pdf() {
    { command -v pdftoppm >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1; } ||
        apt_install poppler-utils
    command -v zbarimg >/dev/null 2>&1 || apt_install zbar-tools
}

boot_fuzz() {
    if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
        echo "bootstrap: the fuzz targets need a nightly toolchain (rustup toolchain install nightly)" >&2
        exit 2
    fi
    if [ "$("$TOOLS/bin/cargo-fuzz" --version 2>/dev/null || true)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
        echo "bootstrap: installing cargo-fuzz $CARGO_FUZZ_VERSION into $TOOLS (about 2 minutes, once)"
        cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION" --root "$TOOLS"
    fi
}

boot_deny() {
    if [ "$("$TOOLS/bin/cargo-deny" --version 2>/dev/null || true)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
        echo "bootstrap: installing cargo-deny $CARGO_DENY_VERSION into $TOOLS (about 5 minutes, once)"
        cargo install cargo-deny --locked --version "$CARGO_DENY_VERSION" --root "$TOOLS"
    fi
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(rust wasm python kotlin postgres hsm pdf fuzz deny)
for part in "${parts[@]}"; do
    case "$part" in
    rust | wasm | python | kotlin | postgres | hsm | pdf | fuzz | deny) "boot_$part" ;;
    *)
        echo "bootstrap: unknown part $part (rust, wasm, python, kotlin, postgres, hsm, pdf, fuzz, deny)" >&2
        exit 2
        ;;
    esac
done
