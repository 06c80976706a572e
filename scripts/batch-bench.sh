#!/usr/bin/env bash
# Throughput of `dcc issue-batch` (release build) on generated payloads of all three types with
# 1% invalid ones: txt, png and pdf, on one thread and on every core; then interrupts and resumes
# a jsonl, a txt and a png run (the same files as uninterrupted); then checks every output
# (errors.jsonl lists exactly the invalid lines; every txt verifies, every PNG read back verifies,
# every PDF is the facade's) and runs the JSON Lines test of crates/dcc-cli/tests/batch.rs at the
# same size. Prints a Markdown table for the README. Not part of CI: with the default 100,000 records it takes many minutes.
#
#   bash scripts/batch-bench.sh [COUNT] [FORMAT...]     (default 100000 txt png pdf)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/setup.sh"
need_rust
N="${1:-100000}"
shift || true
FORMATS=("${@:-txt png pdf}")
read -r -a FORMATS <<<"${FORMATS[*]}"
CORES="$(nproc)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dcc-batch-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

step "build (release)"
cargo build --release -q -p dcc-cli
cargo test --release -q -p dcc-cli --test batch --no-run

step "generate $N payloads (1% invalid)"
DCC_BATCH_N="$N" DCC_BATCH_DIR="$WORK" cargo test --release -q -p dcc-cli --test batch \
    -- --ignored --exact bench_write_input
DCC="$ROOT/target/release/dcc"
ISSUED_AT="$(cat "$WORK/issued-at")"
# The generated input and key, RFC 6979 nonces and a fixed issue time: every run gives the same
# bytes. (An array, not a function: a function run in the background is a subshell, which would
# receive the SIGINT meant for dcc.)
BATCH=("$DCC" issue-batch "$WORK/in.jsonl" --key "$WORK/key.pem" --cert "$WORK/cert.pem"
    --deterministic --issued-at "$ISSUED_AT")

declare -A RATE
for format in "${FORMATS[@]}"; do
    for threads in 1 "$CORES"; do
        step "$format, $threads thread(s)"
        out="$WORK/out-$format-$threads"
        start="$(date +%s.%N)"
        status=0
        "${BATCH[@]}" --out-dir "$out" --format "$format" --threads "$threads" --progress-interval 10 ||
            status=$?
        end="$(date +%s.%N)"
        [ "$status" = 1 ] || { echo "expected exit status 1 (some records invalid), got $status"; exit 1; }
        RATE["$format-$threads"]="$(awk -v n="$N" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }')"
    done
done

# --resume at full size: each run (on one thread) is interrupted (SIGINT) once a third of its
# records are written, resumed on every core, and must give exactly the files and bytes of the
# uninterrupted run.
written() { # FORMAT DIR: records written so far
    if [ "$1" = jsonl ]; then
        if [ -f "$2/certificates.jsonl" ]; then wc -l <"$2/certificates.jsonl"; else echo 0; fi
    else
        find "$2" -maxdepth 1 -name "*.$1" 2>/dev/null | wc -l
    fi
}
for format in jsonl txt png; do
    whole="$WORK/out-$format-$CORES"
    if [ "$format" = jsonl ]; then
        whole="$WORK/whole-jsonl"
        step "jsonl, $CORES thread(s), uninterrupted"
        status=0
        "${BATCH[@]}" --out-dir "$whole" --format jsonl --quiet || status=$?
        [ "$status" = 1 ] || { echo "expected exit status 1, got $status"; exit 1; }
    fi
    [ -d "$whole" ] || continue
    step "$format: interrupted after a third, then --resume"
    resumed="$WORK/resumed-$format"
    # Job control on: a background job of a script otherwise starts with SIGINT ignored.
    set -m
    "${BATCH[@]}" --out-dir "$resumed" --format "$format" --quiet --threads 1 &
    pid=$!
    set +m
    while kill -0 "$pid" 2>/dev/null && [ "$(written "$format" "$resumed")" -lt $((N / 3)) ]; do
        sleep 0.05
    done
    kill -INT "$pid" 2>/dev/null || true
    stopped=0
    wait "$pid" || stopped=$?
    before="$(written "$format" "$resumed")"
    if [ "$stopped" = 1 ] || [ "$before" -ge "$N" ]; then
        # Too few records to catch the run in the middle: only at small sizes.
        [ "$N" -lt 20000 ] || { echo "$format: the run ended before it was interrupted"; exit 1; }
        how="not interrupted: the run ended first ($N records)"
    else
        how="interrupted by SIGINT (exit status $stopped) at $before of $N records written"
    fi
    status=0
    "${BATCH[@]}" --out-dir "$resumed" --format "$format" --resume --quiet || status=$?
    [ "$status" = 1 ] || { echo "expected exit status 1 after --resume, got $status"; exit 1; }
    diff -r -q "$whole" "$resumed" || { echo "$format: the resumed output differs"; exit 1; }
    echo "$format: $how; resumed: same $(find "$resumed" -type f | wc -l) files, byte for byte"
    rm -rf "$resumed"
done

step "check every output"
DCC_BATCH_DIR="$WORK" cargo test --release -q -p dcc-cli --test batch \
    -- --ignored --exact bench_check_outputs --nocapture
step "the JSON Lines test with $N records"
DCC_BATCH_N="$N" cargo test --release -q -p dcc-cli --test batch \
    -- --exact generated_jsonl_batch_every_output_verifies_and_exactly_the_invalid_lines_fail

step "records/s (wall clock, $N records, $(( (N + 49) / 100 )) invalid; $CORES cores)"
printf '| format | 1 thread | %s threads | speed-up |\n|---|---|---|---|\n' "$CORES"
for format in "${FORMATS[@]}"; do
    one="${RATE["$format-1"]}"
    all="${RATE["$format-$CORES"]}"
    printf '| %s | %s | %s | %s |\n' "$format" "$one" "$all" \
        "$(awk -v a="$one" -v b="$all" 'BEGIN { printf "%.2fx", b / a }')"
done
