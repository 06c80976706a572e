#!/usr/bin/env bash
# Every test of the Kotlin/Swift bindings (bindings/dcc-ffi):
#   1. builds libdcc_ffi + uniffi-bindgen, regenerates Kotlin and Swift from the library and fails
#      if the checked-in sources drifted;
#   2. checks that the Swift (and Kotlin) sources are complete against the library's metadata
#      (Swift cannot be compiled on Linux; see README.md for building and testing on macOS);
#   3. runs the Rust unit tests of the crate (error mapping);
#   4. compiles the Kotlin tests (and the examples they run) with kotlinc and runs them on the JVM
#      against the library. The PostgreSQL ledger tests use DCC_TEST_POSTGRES_URL
#      (scripts/postgres.sh), the PKCS#11 tests the SoftHSM2 token of scripts/softhsm.sh; without
#      them those tests are skipped, unless DCC_REQUIRE_POSTGRES / DCC_REQUIRE_PKCS11 is set.
# The tools (Debian JNA, binutils, the npm kotlin-compiler) come from scripts/bootstrap.sh,
# cached in ${DCC_TOOLS_DIR:-$HOME/.cache/dcc-kit-tools}.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/setup.sh"
need_rust
cd "$ROOT"

STEP_PREFIX="dcc-ffi: "

# --- tools (scripts/bootstrap.sh: a JDK, nm, JNA, kotlinc) ----------------------------------------
bootstrap kotlin

# --- 1. build and generate -----------------------------------------------------------------------
step "build libdcc_ffi, regenerate Kotlin + Swift, compare with the checked-in sources"
bash "$HERE/generate.sh" --check
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
LIB_DIR="$TARGET_DIR/debug"
LIB="$LIB_DIR/libdcc_ffi.so"
[ "$(uname -s)" = Darwin ] && LIB="$LIB_DIR/libdcc_ffi.dylib"

# --- 2. Swift completeness -----------------------------------------------------------------------
step "Swift sources complete (checked against the library's UniFFI metadata and the Kotlin)"
python3 "$HERE/tools/check_bindings.py" --lib "$LIB" --crate dcc_ffi \
    --swift "$HERE/swift/Sources/DccKit/DccKit.swift" --header "$HERE/swift/ffi/DccKitFFI.h" \
    --kotlin "$HERE/kotlin/src/main/kotlin/dcckit/dcc_ffi.kt" --operations "$ROOT/api/operations.json" --self-test

# --- 3. Rust unit tests --------------------------------------------------------------------------
step "Rust unit tests (cargo test -p dcc-ffi)"
RUST_LOG_FILE="$(mktemp)"
if ! cargo test -q -p dcc-ffi --lib >"$RUST_LOG_FILE" 2>&1; then
    cat "$RUST_LOG_FILE"
    rm -f "$RUST_LOG_FILE"
    exit 1
fi
grep -E "^test result" "$RUST_LOG_FILE"
rm -f "$RUST_LOG_FILE"

# --- 4. Kotlin on the JVM ------------------------------------------------------------------------
step "Kotlin tests (kotlinc $KOTLIN_VERSION, JVM $(java -version 2>&1 | head -1 | cut -d'"' -f2))"
KT_SOURCES=("$HERE/kotlin/src/main/kotlin/dcckit/dcc_ffi.kt" "$HERE"/kotlin/src/examples/kotlin/dcckit/examples/*.kt
    "$HERE"/kotlin/src/test/kotlin/dcckit/tests/*.kt)
# Compiling takes ~30 s: reuse the jar while the sources and the compiler are the same.
KT_HASH="$(cat "${KT_SOURCES[@]}" "$KOTLIN_HOME/build.txt" | sha256sum | cut -c1-16)"
KT_OUT="$TARGET_DIR/dcc-ffi-kotlin"
APP_JAR="$KT_OUT/dcckit-tests-$KT_HASH.jar"
if [ ! -f "$APP_JAR" ]; then
    mkdir -p "$KT_OUT"
    rm -f "$KT_OUT"/dcckit-tests-*.jar
    echo "compiling ${#KT_SOURCES[@]} Kotlin files"
    bash "$KOTLIN_HOME/bin/kotlinc" -nowarn "${KT_SOURCES[@]}" -cp "$JNA_JAR" -d "$APP_JAR.tmp.jar"
    mv "$APP_JAR.tmp.jar" "$APP_JAR"
else
    echo "Kotlin sources unchanged: reusing $(basename "$APP_JAR")"
fi
java -Ddcc.root="$ROOT" -Djna.library.path="$LIB_DIR" \
    -cp "$APP_JAR:$JNA_JAR:$KOTLIN_STDLIB" dcckit.tests.DccKitTestKt
