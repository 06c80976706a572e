#!/usr/bin/env bash
# Builds libdcc_ffi and regenerates the checked-in Kotlin and Swift sources from it.
#
#   bash bindings/dcc-ffi/generate.sh           write the sources into the tree
#   bash bindings/dcc-ffi/generate.sh --check   regenerate into a temporary folder and fail if the
#                                                checked-in copy differs (test.sh and CI run this)
#
# UniFFI library mode reads the metadata embedded in the UNSTRIPPED cdylib (the dev profile
# keeps it; a stripped release library fails with "No UniFFI metadata found"). The generator is
# the workspace's `uniffi-bindgen` binary, pinned to the same UniFFI version as the library.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/setup.sh"
need_rust
cd "$ROOT"

mode="${1:-write}"
case "$mode" in write | --check) ;; *)
    echo "usage: generate.sh [--check]" >&2
    exit 2
    ;;
esac

cargo build -q -p dcc-ffi -p uniffi-bindgen
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
case "$(uname -s)" in
Darwin) lib="$target_dir/debug/libdcc_ffi.dylib" ;;
*) lib="$target_dir/debug/libdcc_ffi.so" ;;
esac

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for lang in kotlin swift; do
    "$target_dir/debug/uniffi-bindgen" generate --no-format --library "$lib" \
        --language "$lang" --out-dir "$out/$lang" >/dev/null
done

# generated file -> checked-in path (relative to bindings/dcc-ffi)
pairs=(
    "kotlin/dcckit/dcc_ffi.kt:kotlin/src/main/kotlin/dcckit/dcc_ffi.kt"
    "swift/DccKit.swift:swift/Sources/DccKit/DccKit.swift"
    "swift/DccKitFFI.h:swift/ffi/DccKitFFI.h"
    "swift/DccKitFFI.modulemap:swift/ffi/DccKitFFI.modulemap"
)
drift=0
for pair in "${pairs[@]}"; do
    src="$out/${pair%%:*}"
    dst="$HERE/${pair#*:}"
    if [ ! -f "$src" ]; then
        echo "generate: uniffi-bindgen did not write ${pair%%:*}" >&2
        exit 1
    fi
    if [ "$mode" = --check ]; then
        if ! cmp -s "$src" "$dst"; then
            echo "generate: bindings/dcc-ffi/${pair#*:} differs from the generated code" >&2
            diff -u "$dst" "$src" 2>/dev/null | head -20 >&2 || true
            drift=1
        fi
    else
        mkdir -p "$(dirname "$dst")"
        cp "$src" "$dst"
        echo "wrote bindings/dcc-ffi/${pair#*:}"
    fi
done
if [ "$drift" = 1 ]; then
    echo "generate: the checked-in bindings drifted: run 'bash bindings/dcc-ffi/generate.sh'" >&2
    exit 1
fi
[ "$mode" = --check ] && echo "generated Kotlin and Swift sources match the checked-in copy"
exit 0
