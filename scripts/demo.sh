#!/usr/bin/env bash
# The main job: issue examples/vaccination.json with the embedded DEMO key to a QR PNG, then
# read the PNG back and verify it. Output: out/vaccination.png and out/vaccination.txt.
source "$(dirname "$0")/setup.sh"
need_rust
cd "$ROOT"
mkdir -p out
cargo build -q -p dcc-cli
DCC="$ROOT/target/debug/dcc"
"$DCC" issue examples/vaccination.json --out out/vaccination.png
"$DCC" issue examples/vaccination.json --out out/vaccination.txt
echo
echo "== verifying the QR image out/vaccination.png"
"$DCC" verify --image out/vaccination.png
