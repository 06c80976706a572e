#!/usr/bin/env bash
# The soak test (not in CI): 1,000,000 certificates issued on every core through one shared
# issuer and all verified, resident memory sampled at 10k, 100k and 1M (must stay flat).
#
#   bash scripts/soak.sh               1,000,000 (about 3 minutes on 2 cores, release build)
#   DCC_SOAK_COUNT=200000 bash scripts/soak.sh
source "$(dirname "$0")/setup.sh"
need_rust
cd "$ROOT"
cargo test --release -p dcc-conformance --test soak -- --ignored --nocapture
