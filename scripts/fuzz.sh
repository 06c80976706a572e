#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ (libFuzzer, AddressSanitizer + LeakSanitizer) on the
# checked-in corpus, each for a bounded time, and prints one table row per target.
#
#   bash scripts/fuzz.sh                   every target, 20 s each (what CI runs)
#   bash scripts/fuzz.sh 1200              every target, 20 minutes each (the campaign)
#   bash scripts/fuzz.sh 3600 hc1 image    only these targets
#
# New inputs go to fuzz/corpus-run/<target> (not checked in; `cargo fuzz cmin` then copies the
# useful ones into fuzz/corpus); a crash stops that target, leaves the input in
# fuzz/artifacts/<target>/ and makes the script fail after the others have run. The table goes
# to fuzz/last-run.md, or to $FUZZ_REPORT (so that several runs can share the machine).
source "$(dirname "$0")/setup.sh"
cd "$ROOT/fuzz"
secs="${1:-20}"
shift || true
bootstrap fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
step "cargo fuzz build (nightly, release with debug assertions, ASan)"
cargo +nightly fuzz build -O --debug-assertions
bin="$ROOT/fuzz/target/x86_64-unknown-linux-gnu/release"
report="${FUZZ_REPORT:-$ROOT/fuzz/last-run.md}"
failed=()
printf '| target | seconds | executions | exec/s | coverage (edges) | features | corpus | crashes |\n|---|---|---|---|---|---|---|---|\n' >"$report"
for t in "${targets[@]}"; do
    step "fuzz $t for ${secs}s"
    run="$ROOT/fuzz/corpus-run/$t"
    mkdir -p "$run" "$ROOT/fuzz/artifacts/$t"
    dict=()
    [ -f "$ROOT/fuzz/dict/$t.dict" ] && dict=("-dict=$ROOT/fuzz/dict/$t.dict")
    log="$ROOT/fuzz/corpus-run/$t.log"
    status=0
    "$bin/$t" "$run" "$ROOT/fuzz/corpus/$t" "${dict[@]}" -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$ROOT/fuzz/artifacts/$t/" >"$log" 2>&1 || status=$?
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
    ft="$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
    corp="$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)"
    crashes=0
    if [ "$status" -ne 0 ]; then
        crashes=1
        failed+=("$t")
        tail -40 "$log"
    fi
    row="| $t | $secs | ${runs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $crashes |"
    echo "$row"
    echo "$row" >>"$report"
done
echo
cat "$report"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashes in ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
