#!/usr/bin/env bash
# How much Rust the language bindings hold next to the core: lines of code (not blank, not a
# comment or doc line) in bindings/*/src against crates/*/src. Generated sources (the Kotlin and
# Swift files UniFFI writes) are not Rust and not counted. Issue #11 asks for at most 35%.
#   bash scripts/binding-share.sh          print the table
#   bash scripts/binding-share.sh --check  also fail when the share is above 35%
set -euo pipefail
cd "$(dirname "$0")/.."
count() { find "$@" -name '*.rs' -print0 | xargs -0 cat | grep -v '^\s*$' | grep -cv '^\s*//'; }
core=$(count crates/*/src)
bind=$(count bindings/*/src)
printf '%-28s %6s\n' "crates/*/src (core)" "$core"
for d in bindings/*/src; do printf '%-28s %6s\n' "$d" "$(count "$d")"; done
share=$((bind * 1000 / core))
printf '%-28s %6s  = %d.%d%% of the core\n' "bindings/*/src (total)" "$bind" $((share / 10)) $((share % 10))
if [ "${1:-}" = --check ] && [ "$share" -gt 350 ]; then
    echo "binding share above 35%" >&2
    exit 1
fi
