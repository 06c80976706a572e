#!/usr/bin/env bash
# Builds DccKitFFI.xcframework for the Swift package: the Rust library as a static library for
# iOS devices (arm64), the iOS simulator (arm64 + x86_64) and macOS (arm64 + x86_64), with the
# generated C header and module map. Needs macOS with Xcode (xcodebuild, lipo) and rustup.
#
#   bash bindings/dcc-ffi/swift/build-xcframework.sh            release build
#   PROFILE=dev bash bindings/dcc-ffi/swift/build-xcframework.sh  faster, unoptimised
#
# The staticlib crate type is added here only (`cargo rustc --crate-type staticlib`): the
# default build of dcc-ffi is cdylib + lib.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
PROFILE="${PROFILE:-release}"

if [ "$(uname -s)" != Darwin ] || ! command -v xcodebuild >/dev/null 2>&1; then
    echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo); see bindings/dcc-ffi/README.md" >&2
    exit 2
fi

# Keep in step with Package.swift's platforms.
export IPHONEOS_DEPLOYMENT_TARGET=14.0
export MACOSX_DEPLOYMENT_TARGET=11.0

TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${TARGETS[@]}"

cd "$ROOT"
# The Swift sources and header must come from this very library: fail if they drifted.
bash "$ROOT/bindings/dcc-ffi/generate.sh" --check

BUILD="$(mktemp -d)"
trap 'rm -rf "$BUILD"' EXIT

out_dir() { [ "$PROFILE" = dev ] && echo debug || echo "$PROFILE"; }
for target in "${TARGETS[@]}"; do
    echo "== cargo rustc --target $target --crate-type staticlib ($PROFILE)"
    if ! cargo rustc -p dcc-ffi --lib --profile "$PROFILE" --target "$target" \
        --crate-type staticlib -- --print native-static-libs >"$BUILD/cargo.log" 2>&1; then
        cat "$BUILD/cargo.log" >&2
        exit 1
    fi
    # The system libraries the static library needs at link time (Xcode links libSystem).
    grep "native-static-libs" "$BUILD/cargo.log" || true
done

mkdir -p "$BUILD/headers" "$BUILD/ios-sim" "$BUILD/macos"
cp "$HERE/ffi/DccKitFFI.h" "$BUILD/headers/"
# The module map must be called module.modulemap inside an XCFramework's Headers.
cp "$HERE/ffi/DccKitFFI.modulemap" "$BUILD/headers/module.modulemap"

lib() { echo "target/$1/$(out_dir)/libdcc_ffi.a"; }
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" -output "$BUILD/ios-sim/libdcc_ffi.a"
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" -output "$BUILD/macos/libdcc_ffi.a"

rm -rf "$HERE/DccKitFFI.xcframework"
xcodebuild -create-xcframework \
    -library "$(lib aarch64-apple-ios)" -headers "$BUILD/headers" \
    -library "$BUILD/ios-sim/libdcc_ffi.a" -headers "$BUILD/headers" \
    -library "$BUILD/macos/libdcc_ffi.a" -headers "$BUILD/headers" \
    -output "$HERE/DccKitFFI.xcframework"

echo "wrote bindings/dcc-ffi/swift/DccKitFFI.xcframework"
echo "test on macOS: cd bindings/dcc-ffi/swift && swift test"
