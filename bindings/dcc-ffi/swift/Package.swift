// swift-tools-version:5.9
// DccKit: the Swift binding of dcc-kit (UniFFI). Build the binary target first, on a Mac with
// Xcode: `bash build-xcframework.sh` writes DccKitFFI.xcframework next to this file (iOS device,
// iOS simulator, macOS). Then `swift test` runs the tests on macOS. See ../README.md.
import PackageDescription

let package = Package(
    name: "DccKit",
    platforms: [.iOS(.v14), .macOS(.v11)],
    products: [
        .library(name: "DccKit", targets: ["DccKit"]),
    ],
    targets: [
        // The Rust library (static) with the generated C header and module map (module DccKitFFI).
        .binaryTarget(name: "DccKitFFI", path: "DccKitFFI.xcframework"),
        // The generated Swift (Sources/DccKit/DccKit.swift, from ../generate.sh; checked in).
        .target(name: "DccKit", dependencies: ["DccKitFFI"], path: "Sources/DccKit"),
        // Reads the shared test data from ../../../tests/golden and ../../../examples.
        .testTarget(name: "DccKitTests", dependencies: ["DccKit"], path: "Tests/DccKitTests"),
    ]
)
