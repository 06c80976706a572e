#!/usr/bin/env bash
# Issuing throughput with and without the issuance ledger (SQLite file, PostgreSQL server),
# measured in one run; prints a Markdown table for the README. Not part of CI (it is a
# measurement, and takes about a minute).
#
#   bash scripts/bench-ledger.sh [COUNT]     (default 5000 certificates per run)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/setup.sh"
need_rust
bash "$ROOT/scripts/bootstrap.sh" postgres
eval "$(bash "$ROOT/scripts/postgres.sh" start)"
trap 'bash "$ROOT/scripts/postgres.sh" stop "$PGDIR"' EXIT
cargo build --release -q -p dcc-benches --bin ledger-throughput
"$ROOT/target/release/ledger-throughput" "${1:-5000}" "$DCC_TEST_POSTGRES_URL"
