#!/usr/bin/env bash
# Issuing throughput with the key in a PKCS#11 token (SoftHSM2, 1 and 2 sessions) next to the
# key in memory, measured in one run; prints a Markdown table for the README. Not part of CI.
#
#   bash scripts/bench-hsm.sh [COUNT]     (default 4000 certificates per run)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/setup.sh"
need_rust
bash "$ROOT/scripts/bootstrap.sh" hsm
eval "$(bash "$ROOT/scripts/softhsm.sh" init)"
trap 'bash "$ROOT/scripts/softhsm.sh" stop "$SOFTHSM_DIR"' EXIT
cargo build --release -q -p dcc-benches --bin hsm-throughput
DCC_PKCS11_PIN="$DCC_TEST_PKCS11_PIN" "$ROOT/target/release/hsm-throughput" \
    "pkcs11:token=$DCC_TEST_PKCS11_TOKEN?module-path=$DCC_TEST_PKCS11_MODULE" "${1:-4000}"
