#!/usr/bin/env bash
# Builds the npm package dcc-kit from this crate and runs every test of the binding:
#   - the Rust unit tests of the crate (error mapping) and of its PDF module (pdf/),
#   - node --test against the INSTALLED tarball (tests/ is a test project that installs
#     dist/dcc-kit-<version>.tgz): API round trips, the conformance sample and the bad-input
#     table, CommonJS, the README quick start, TypeScript declarations (tsc --strict, and a
#     misuse file that must fail), printable certificates (the lazily loaded PDF module,
#     rendered with poppler, read back with readQr and zbarimg), interop with
#     @pathcheck/dcc-sdk and dcc-utils, and the demo page in headless Chromium, certificate signing requests checked by `openssl req -verify`,
#     and the cloud KMS example (examples/kms-signer.mjs) with OpenSSL standing in for the cloud.
# Installs what it needs on a fresh Debian machine (wasm32 target, wasm-bindgen-cli cached in
# $TOOLS, npm packages, Debian's chromium, poppler-utils and zbar-tools) and exits non-zero on
# any failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../scripts/setup.sh
source "$HERE/../../scripts/setup.sh" # ROOT, TOOLS, PATH with $TOOLS/bin
need_rust

STEP_PREFIX="dcc-wasm: "

# wasm32 target, wasm-bindgen-cli at the pinned version, Node >= 18, Debian's chromium.
bootstrap wasm
# pdftoppm, pdftotext, pdfinfo and zbarimg (tests/pdf.test.mjs, the browser test's printout).
bootstrap pdf
# The openssl command (certificate-request tests, the KMS example's stand-in): the hsm part
# installs it with the PKCS#11 tools.
command -v openssl >/dev/null 2>&1 || bootstrap hsm

NPM_FLAGS=(--no-audit --no-fund --loglevel=error)
cd "$HERE"
step "npm install (build tools: binaryen's wasm-opt)"
npm install "${NPM_FLAGS[@]}"

step "npm run build: cargo build --target wasm32-unknown-unknown --release -p dcc-wasm, then -p dcc-wasm-pdf; wasm-bindgen, wasm-opt"
node scripts/build.mjs
VERSION="$(node -p 'require("./pkg/package.json").version')"
mkdir -p dist
rm -f dist/dcc-kit-*.tgz
npm pack ./pkg --pack-destination dist --silent >/dev/null
TARBALL="$HERE/dist/dcc-kit-$VERSION.tgz"
echo "packed $TARBALL"

# Two invocations, as in the build: together, feature unification would test the main crate
# with the facade's `pdf` feature.
step "cargo test -p dcc-wasm, -p dcc-wasm-pdf (Rust unit tests)"
RUST_PASSED=0
for crate in dcc-wasm dcc-wasm-pdf; do
    RUST_LOG_FILE="$(mktemp)"
    cargo test -q -p "$crate" --lib 2>&1 | tee "$RUST_LOG_FILE"
    n="$(sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' "$RUST_LOG_FILE" | head -1)"
    rm -f "$RUST_LOG_FILE"
    [ -n "$n" ] || { echo "cargo test -p $crate: no passing result" >&2; exit 1; }
    RUST_PASSED=$((RUST_PASSED + n))
done

step "installing the tarball into the test project (tests/)"
cd "$HERE/tests"
npm install "${NPM_FLAGS[@]}"
npm install --no-save "${NPM_FLAGS[@]}" "$TARBALL"

step "node --test (against the installed dcc-kit $VERSION)"
TAP="$(mktemp)"
status=0
node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$TAP" || status=$?
PASS="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$TAP")"
FAIL="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$TAP")"
rm -f "$TAP"
echo
echo "dcc-wasm: $((${PASS:-0} + ${RUST_PASSED:-0})) passed, ${FAIL:-?} failed"
if [ "$status" -ne 0 ] || [ "${FAIL:-1}" != "0" ] || [ "${PASS:-0}" = "0" ]; then
    exit 1
fi
