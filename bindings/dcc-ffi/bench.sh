#!/usr/bin/env bash
# Benchmark of the Kotlin binding against its baseline, measured in the same run on the same
# payload (examples/vaccination.json), key (tests/golden/es256-key.pem) and times: the release
# libdcc_ffi through JNA vs. the Rust facade called directly (examples/bench_native.rs).
# Reports medians in microseconds. Not part of test.sh (timings are never tests).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/setup.sh"
need_rust
cd "$ROOT"

KOTLIN_HOME="$TOOLS/kotlin-2.4.20/node_modules/kotlin-compiler"
JNA_JAR=/usr/share/java/jna.jar
if [ ! -f "$KOTLIN_HOME/bin/kotlinc" ] || [ ! -f "$JNA_JAR" ]; then
    echo "bench.sh: run bindings/dcc-ffi/test.sh once first (installs kotlinc and JNA)" >&2
    exit 2
fi

cargo build -q --release -p dcc-ffi --lib --example bench_native
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

OUT="$TARGET_DIR/dcc-ffi-kotlin"
mkdir -p "$OUT"
SOURCES=("$HERE/kotlin/src/main/kotlin/dcckit/dcc_ffi.kt" "$HERE/kotlin/src/bench/kotlin/dcckit/bench/Bench.kt")
HASH="$(cat "${SOURCES[@]}" | sha256sum | cut -c1-16)"
JAR="$OUT/dcckit-bench-$HASH.jar"
if [ ! -f "$JAR" ]; then
    rm -f "$OUT"/dcckit-bench-*.jar
    bash "$KOTLIN_HOME/bin/kotlinc" -nowarn "${SOURCES[@]}" -cp "$JNA_JAR" -d "$JAR.tmp.jar"
    mv "$JAR.tmp.jar" "$JAR"
fi

# Three rounds, alternating the two programs so that load from other processes hits both alike;
# each row reports the median of the three round medians.
ROUNDS=3
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
for round in $(seq "$ROUNDS"); do
    "$TARGET_DIR/release/examples/bench_native" "$ROOT" >"$results/native.$round"
    java -Djna.library.path="$TARGET_DIR/release" \
        -cp "$JAR:$JNA_JAR:$KOTLIN_HOME/lib/kotlin-stdlib.jar" dcckit.bench.BenchKt "$ROOT" \
        >"$results/kotlin.$round"
done

median_of() { # name file-prefix -> median of that row's medians across rounds
    cat "$results/$2".* | awk -v n="$1" '$1 == n { print $2 }' | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

echo "median of $ROUNDS rounds of per-call medians, microseconds (same payload, key and times)"
printf '%-24s %12s %12s %10s\n' operation "Kotlin/JNA" "Rust facade" overhead
while read -r name _ _; do
    k="$(median_of "$name" kotlin)"
    r="$(median_of "$name" native)"
    if [ -n "$r" ]; then
        printf '%-24s %12s %12s %10s\n' "$name" "$k" "$r" "$(awk -v k="$k" -v r="$r" 'BEGIN { printf "%+.1f", k - r }')"
    else
        printf '%-24s %12s %12s %10s\n' "$name" "$k" "-" "-"
    fi
done <"$results/kotlin.1"
