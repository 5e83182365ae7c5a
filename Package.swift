// swift-tools-version:5.9
// descry: a Lua 5.4 environment, hosted by Swift, for coarse-graining and forecasting
// atomistic simulations with descriptors (Swinburne, PRL 131, 236101, 2023).
//
// Layers, one dependency direction (see README "Architecture"):
//   descry (executable) -> DescryApp -> DescryBindings -> LuaLinalgBridge -> LuaBridge -> LuaShim/CLua
//                                                 \-> engine modules (no Lua): DescryLinalg,
//                                                     DescryAtoms, DescryDescriptors, DescryStats
//                                                     -> CBLAS (OpenBLAS + LAPACKE), CZlib
import PackageDescription

let package = Package(
    name: "descry",
    products: [
        .executable(name: "descry", targets: ["descry"]),
        .executable(name: "descry-kernel", targets: ["descry-kernel"]),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian: liblua5.4-dev, libreadline-dev,
        // libopenblas-dev, liblapacke-dev, zlib1g-dev).
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZmq", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),

        // MPI loaded at run time (dlopen of the MPICH ABI), never linked: see docs/scale.md.
        .target(name: "CMPIShim", linkerSettings: [.linkedLibrary("dl")]),

        // The C trampoline: the only place lua_error is called for Swift-implemented functions.
        .target(name: "LuaShim", dependencies: ["CLua"]),
        // The Jupyter kernel's listening sockets, opened by the descry-kernel launcher.
        .target(name: "KernelListen"),
        // The kernelspec's launcher: listens on the kernel's ports, then execs `descry kernel`.
        .executableTarget(name: "descry-kernel", dependencies: ["KernelListen"]),

        // Engine: pure Swift numerics, no knowledge of Lua.
        .target(name: "DescryLinalg", dependencies: ["CBLAS"]),
        // Hot loops over atoms: dynamic exclusivity checks off (static checks stay on).
        .target(name: "DescryAtoms", dependencies: ["DescryLinalg", "CZlib"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "DescryDescriptors", dependencies: ["DescryAtoms", "DescryLinalg"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "DescryStats", dependencies: ["DescryLinalg", "CBLAS"]),
        // Ranks and collectives over MPI (or a one-rank world), no knowledge of Lua.
        .target(name: "DescryParallel", dependencies: ["CMPIShim", "DescryLinalg"]),

        // Lua bridge: state owner, values, userdata, docstrings, safe errors.
        .target(name: "LuaBridge", dependencies: ["CLua", "LuaShim"]),
        // The bridge for the engine's value types: la.matrix userdata, lists and fields of
        // matrices, JSON values. Bindings convert through it and never touch the Lua stack.
        .target(name: "LuaLinalgBridge", dependencies: ["LuaBridge", "DescryLinalg", "CLua", "LuaShim"]),
        // Thin bindings: one file per Lua module (no CLua: the bridge owns the stack).
        .target(name: "DescryBindings", dependencies: [
            "LuaBridge", "LuaLinalgBridge", "DescryLinalg", "DescryAtoms", "DescryDescriptors", "DescryStats",
            "DescryParallel",
        ]),
        // Application: script runner, REPL, notebooks, Lua test runner.
        .target(name: "DescryApp", dependencies: ["LuaBridge", "DescryBindings", "DescryLinalg", "DescryDescriptors", "CReadline", "LuaShim", "CZmq", "KernelListen",
                                                 "DescryParallel"]),
        .executableTarget(name: "descry", dependencies: ["DescryApp"]),

        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge", "LuaLinalgBridge", "DescryBindings"]),
        // Test support: one assertClose (numpy assert_allclose's rtol/atol), one fixture loader,
        // and the LAMMPS fixtures shared by the atoms and descriptor tests.
        .target(name: "DescryTestSupport", dependencies: ["DescryLinalg"], path: "Tests/DescryTestSupport",
                resources: [.copy("Fixtures")]),
        .testTarget(name: "DescryLinalgTests", dependencies: ["DescryLinalg", "DescryTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DescryAtomsTests", dependencies: ["DescryAtoms", "DescryTestSupport"]),
        .testTarget(name: "DescryDescriptorsTests",
                    dependencies: ["DescryDescriptors", "DescryAtoms", "DescryTestSupport"]),
        .testTarget(name: "DescryParallelTests", dependencies: ["DescryParallel", "CMPIShim", "DescryLinalg"]),
        .testTarget(name: "DescryStatsTests", dependencies: ["DescryStats", "DescryTestSupport"],
                    resources: [.copy("Fixtures")]),
    ]
)
