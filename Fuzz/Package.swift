// swift-tools-version:5.9
// Coverage-guided fuzzing of descry's file readers with libFuzzer and AddressSanitizer
// (`swiftc -sanitize=fuzzer,address`). A package of its own, outside the main package graph:
// the engine sources are symbolic links to ../Sources, so the fuzzer always tests the current
// readers. Build and run with scripts/fuzz (bounded, used by scripts/test) or scripts/fuzz-long.
import PackageDescription

let package = Package(
    name: "descry-fuzz",
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib"),
        .target(name: "DescryLinalg", dependencies: ["CBLAS"]),
        .target(name: "DescryAtoms", dependencies: ["DescryLinalg", "CZlib"]),
        .target(name: "CFuzzDriver"),
        .executableTarget(name: "FuzzReaders", dependencies: ["DescryAtoms", "DescryLinalg", "CFuzzDriver"]),
    ]
)
