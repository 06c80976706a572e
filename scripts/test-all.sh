#!/usr/bin/env bash
# Every check and every test, in every language the project has: formatting, clippy, the Rust
# tests (unit, doc, conformance, golden, bad input, CLI, the ledger on SQLite and on a real
# PostgreSQL server started here), golden-vector drift, the wasm32 build of the core crates, and
# each binding's test script.
source "$(dirname "$0")/setup.sh"
need_rust
cd "$ROOT"

step "bootstrap: the tools of every part (cached in $TOOLS after the first run)"
bash scripts/bootstrap.sh

step "a throwaway PostgreSQL server (ledger tests) and SoftHSM2 token (PKCS#11 tests)"
eval "$(bash scripts/postgres.sh start)"
# A throwaway SoftHSM2 token for the PKCS#11 tests (scripts/softhsm.sh).
eval "$(bash scripts/softhsm.sh init)"
trap 'bash scripts/postgres.sh stop "$PGDIR"; bash scripts/softhsm.sh stop "$SOFTHSM_DIR"' EXIT
# The ledger and PKCS#11 tests of every language fail (instead of skipping) without them.
export DCC_REQUIRE_POSTGRES=1 DCC_REQUIRE_PKCS11=1
echo "PostgreSQL at $DCC_TEST_POSTGRES_URL (data in $PGDIR); SoftHSM2 token $DCC_TEST_PKCS11_TOKEN ($SOFTHSM2_CONF)"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo deny: licences, bans, sources (advisories where the database is reachable)"
bash scripts/deny.sh

step "cargo test (workspace)"
cargo test --workspace

step "cargo test -p dcc-qr --no-default-features (the PNG-only reader of the WebAssembly build)"
cargo test -p dcc-qr --no-default-features

step "native build without ring (p256 does ES256): cargo test -p dcc-cose, cargo build -p dcc"
cargo test -p dcc-cose --no-default-features
cargo build -p dcc --no-default-features --features unicode-tables

step "binding share (issue #11: at most 35% of the core)"
bash scripts/binding-share.sh --check

step "golden vectors are reproducible"
cargo run -q -p dcc-conformance --bin regen-golden >/dev/null
if git rev-parse --git-dir >/dev/null 2>&1; then
    git diff --exit-code --stat -- tests/golden || {
        echo "golden vectors drifted: see git diff tests/golden" >&2
        exit 1
    }
fi

step "wasm32-unknown-unknown build of the core crates (the binding's features: js-host only)"
cargo build --target wasm32-unknown-unknown -p dcc-encoding -p dcc-qr
cargo build --target wasm32-unknown-unknown -p dcc --no-default-features --features js-host

# Each language binding brings its own test script (build, install, test).
for t in bindings/*/test.sh; do
    [ -f "$t" ] || continue
    step "binding: $t"
    bash "$t"
done

step "fuzz targets: 20 s each on the checked-in corpus (the campaign: fuzz/README.md)"
bash scripts/fuzz.sh 20

step "rustdoc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps -q

echo
echo "all checks passed"
