import LuaBridge

/// One module of descry, as the registry lists it.
public struct ModuleEntry {
    /// Where the module is implemented.
    public enum Kind: String {
        /// A `LuaModule` in DescryBindings, preloaded for `require`.
        case swift
        /// A Lua file of the stdlib, `stdlib/descry/<name>.lua`.
        case lua
    }

    /// The `require` name, e.g. `descry.la`.
    public let name: String
    /// The REPL/notebook global it is bound to (nil: `require` it).
    public let global: String?
    public let kind: Kind
    /// One line for the help overview.
    public let summary: String
    /// The Swift implementation (kind `.swift`).
    public let swiftModule: LuaModule?

    /// A Swift-implemented module.
    public static func swift(_ module: LuaModule, global: String?, _ summary: String) -> ModuleEntry {
        ModuleEntry(name: module.name, global: global, kind: .swift, summary: summary, swiftModule: module)
    }

    /// A stdlib Lua module.
    public static func lua(_ name: String, global: String?, _ summary: String) -> ModuleEntry {
        ModuleEntry(name: name, global: global, kind: .lua, summary: summary, swiftModule: nil)
    }
}

/// The module registry: the one list of descry's modules. The REPL globals, the help overview,
/// completion (through the globals), the docstring test and the API fuzz all read it, from
/// Swift or through `core.modules()`. Adding a module is two edits: its implementation (a
/// binding file here or `stdlib/descry/<name>.lua`) and one line below (README "Adding a module").
public enum DescryModules {
    public static let registry: [ModuleEntry] = [
        .swift(laModule, global: "la", "dense matrices, linear algebra, random numbers, .npy/CSV I/O"),
        .swift(atomsModule, global: "atoms", "structures and trajectories: LAMMPS dump/data, extxyz, neighbours, g(r)"),
        .swift(descModule, global: "desc", "bispectrum descriptors D̄ and V̄, as LAMMPS compute sna/atom"),
        .swift(regressModule, global: "regress", "linear estimators (eq. 2): OLS, ridge, Bayesian ridge, bagging, cross-validation, metrics"),
        .swift(statsModule, global: "stats", "covariance (OAS, Ledoit–Wolf), Mahalanobis distance (eq. 4), multivariate normal, PCA"),
        .swift(varModule, global: "var", "VAR(P) models of descriptor trajectories and forecast confidence (eq. 3–5)"),
        .swift(idimModule, global: "idim", "intrinsic dimension: k nearest neighbours, TwoNN, MLE, DANCo, sliding windows"),
        .lua("descry.plot", global: "plot", "figures as PNG/SVG files or terminal text (gnuplot)"),
        .lua("descry.dataset", global: nil, "descriptor-trajectory ensembles stored as .npy arrays with a manifest"),
        .swift(jsonModule, global: "json", "read and write JSON"),
        .lua("descry.pretty", global: nil, "readable text for Lua values (the REPL's printer, pp)"),
        .lua("descry.luadoc", global: nil, "docstrings of the Lua modules, read from their source comments (help, ??f)"),
        .lua("descry.errors", global: nil, "errors of the Lua modules located at the caller's line (as lauxlib)"),
        .lua("descry.inline", global: nil, "figures inline at the REPL prompt (kitty graphics or sixel terminals)"),
        .swift(coreModule, global: "core", "host services: docstrings, monotonic clock, version, this registry"),
        .swift(fsModule, global: nil, "files for analyses: SHA-256, glob, directories, atomic replacement of an output folder"),
        .swift(mpiModule, global: nil, "MPI ranks and collectives (mpirun -n N descry script.lua), rank-ordered reductions"),
        .lua("descry.analysis", global: nil, "the paper's whole analysis of an ensemble description (descry analyse; docs/ensemble.md)"),
    ]

    /// Every Swift-implemented module, in registry order.
    public static var all: [LuaModule] { registry.compactMap(\.swiftModule) }

    /// Registers every Swift module with `state` (for `require`).
    public static func registerAll(in state: LuaState) {
        for m in all { state.register(m) }
    }
}
