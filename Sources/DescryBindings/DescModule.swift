import DescryAtoms
import DescryDescriptors
import DescryLinalg
import DescryParallel
import LuaBridge
import LuaLinalgBridge
#if canImport(Glibc)
import Glibc
#endif

/// Lua userdata for a bispectrum calculator (`desc.bispectrum`).
public final class LuaBispectrum: LuaObject {
    public static let luaTypeName = "desc.bispectrum"
    public let bs: Bispectrum
    public let threads: Int
    public init(_ b: Bispectrum, threads: Int) {
        bs = b
        self.threads = threads
    }
}

enum DescBindings {
    static let parameterKeys: Set<String> = ["twojmax", "rcutfac", "rfac0", "rmin0", "radelem", "wj", "switchflag",
                                             "bzeroflag", "quadraticflag", "wselfallflag", "bnormflag", "chem", "threads"]

    /// A number or list of numbers option.
    static func numbers(_ call: LuaCall, _ i: Int32, _ key: String) throws -> [Double]? {
        try call.withField(i, key) { top in
            switch call.type(top) {
            case LUA_TNIL_VALUE: return nil
            case LUA_TNUMBER_VALUE: return [try call.number(top)]
            case LUA_TTABLE_VALUE: return try call.numberArray(top)
            default: throw call.argumentError(i, "option '\(key)': number or list of numbers expected, got \(call.typeName(top))")
            }
        }
    }

    /// A boolean flag given as true/false or 1/0 (LAMMPS style).
    static func flag(_ call: LuaCall, _ i: Int32, _ key: String, _ def: Bool) throws -> Bool {
        try call.withField(i, key) { top in
            switch call.type(top) {
            case LUA_TNIL_VALUE: return def
            case LUA_TBOOLEAN_VALUE: return call.boolean(top)
            case LUA_TNUMBER_VALUE: return try call.number(top) != 0
            default: throw call.argumentError(i, "option '\(key)': boolean or 0/1 expected, got \(call.typeName(top))")
            }
        }
    }

    static func frameSource(_ call: LuaCall, _ i: Int32) throws -> FrameSource {
        if let t = call.testObject(i, as: LuaTrajectory.self) { return t.source }
        if let f = call.testObject(i, as: LuaFrame.self) { return FrameList([f.frame]) }
        if call.type(i) == LUA_TSTRING_VALUE {
            let p = try call.string(i)
            return try AtomsBindings.open([p], try AtomsBindings.format(p, nil))
        }
        if call.type(i) == LUA_TTABLE_VALUE {
            var frames: [Frame] = []
            try call.forEachElement(i) { k, element in
                guard let f = call.testObject(element, as: LuaFrame.self) else { throw call.argumentError(i, "element \(k) is not an atoms.frame") }
                frames.append(f.frame)
            }
            return FrameList(frames)
        }
        throw call.typeError(i, expected: "atoms.trajectory, atoms.frame, list of frames or path")
    }

    static let methods: [LuaMethod] = [
        LuaMethod("compute", """
            bs:compute(frame [, {virial = false, peratom = true, threads = n}]) -> result
            Bispectrum of one frame as LAMMPS compute sna/atom (and snav/atom with virial):
            result.peratom (N×K la.matrix, rows in atom-id order), result.sum (1×K: D̄ = Σ_i B_i),
            result.virial (K×6: V̄ in Voigt order xx yy zz yz xz xy, = Σ_i snav/atom = −∂D̄/∂ε,
            LAMMPS' sign) and result.virial_by_type (list of K×6, by type of the central atom).
            """) { call in
            let b = try call.object(1, as: LuaBispectrum.self)
            let f = try call.object(2, as: LuaFrame.self).frame
            try call.checkOptionKeys(3, allowed: ["virial", "peratom", "threads"])
            let vir = try call.optionBool(3, "virial") ?? false
            let pa = try call.optionBool(3, "peratom") ?? true
            let th = try call.optionInteger(3, "threads") ?? b.threads
            let r = try b.bs.compute(f, perAtom: pa, virial: vir, threads: max(1, th))
            call.reportGrowth(ofObjectAt: 1, as: LuaBispectrum.self)
            call.newTable(record: 4)
            if let m = r.perAtom {
                call.push(matrix: m)
                call.setField(-2, "peratom")
            }
            call.push(matrix: Matrix(rows: 1, cols: r.sum.count, data: r.sum))
            call.setField(-2, "sum")
            if let v = r.virial {
                call.push(matrix: v)
                call.setField(-2, "virial")
            }
            if let vt = r.virialByType {
                call.push(matrices: vt)
                call.setField(-2, "virial_by_type")
            }
            return 1
        },
        LuaMethod("trajectory", """
            bs:trajectory(source [, {average = 1, every = 1, virial = false, max = nil, threads = n,
                                     comm = nil}])
              -> D, V, timesteps
            Streams frames from source (atoms.trajectory, path, frame or list of frames) holding
            O(atoms) memory: keeps every k-th frame, averages positions over blocks of `average`
            kept frames (unwrapped across periodic boundaries: the paper's X̄_n), and returns D
            (T×K la.matrix, D̄ of each block), V (T×6K, V̄ flattened component-major k·6+v,
            Voigt xx yy zz yz xz xy; nil unless virial) and the first timestep of each block.
            An atoms.trajectory is consumed from its current frame on (t:rewind() to reuse it).
            comm (an mpi.comm, e.g. require("descry.mpi").world, on every rank of it): blocks
            are dealt round-robin to its ranks (each reads every frame, averages and computes
            only its own blocks) and every rank returns the whole result, bit-identical to a
            serial run for any rank and thread count.
            """) { call in
            let b = try call.object(1, as: LuaBispectrum.self)
            let src = try frameSource(call, 2)
            try call.checkOptionKeys(3, allowed: ["average", "every", "virial", "max", "threads", "comm"])
            let comm = call.isNoneOrNil(3) ? nil : try call.withField(3, "comm") { top -> Communicator? in
                if call.isNoneOrNil(top) { return nil }
                guard let c = call.testObject(top, as: LuaCommunicator.self) else {
                    throw call.argumentError(3, "option 'comm': mpi.comm expected, got \(call.typeName(top))")
                }
                return c.comm
            }
            let opts = TrajectoryOptions(average: try call.optionInteger(3, "average") ?? 1,
                                         every: try call.optionInteger(3, "every") ?? 1,
                                         virial: try call.optionBool(3, "virial") ?? false,
                                         threads: max(1, try call.optionInteger(3, "threads") ?? b.threads),
                                         maxRows: try call.optionInteger(3, "max"))
            let r = try comm.map { c in
                try DistributedTrajectory.run(c) { part, parts in
                    var o = opts
                    o.part = part
                    o.parts = parts
                    return try b.bs.trajectory(src, options: o)
                }
            } ?? b.bs.trajectory(src, options: opts)
            call.reportGrowth(ofObjectAt: 1, as: LuaBispectrum.self)
            call.reportGrowth(ofObjectAt: 2, as: LuaTrajectory.self)
            call.push(matrix: r.D)
            if let v = r.V { call.push(matrix: v) } else { call.pushNil() }
            call.push(r.timesteps)
            return 3
        },
        LuaMethod("voxels", """
            bs:voxels(frame, {nx, ny, nz}) -> la.matrix
            Voxelised D̄: B_i summed over the cells of an nx×ny×nz grid of the box (fractional
            coordinates); (nx·ny·nz)×K, cell (a,b,c) at row (a·ny + b)·nz + c + 1. Rows sum to D̄.
            """) { call in
            let b = try call.object(1, as: LuaBispectrum.self)
            let f = try call.object(2, as: LuaFrame.self).frame
            let g = try integers(call, 3, "grid", arg: 3)
            guard g.count == 3 else { throw call.argumentError(3, "grid must be {nx, ny, nz}") }
            call.push(matrix: try b.bs.voxels(f, grid: (g[0], g[1], g[2]), threads: b.threads))
            return 1
        },
        LuaMethod("gradients", """
            bs:gradients(frame [, {threads = n}]) -> la.matrix
            Per-atom descriptor gradients as LAMMPS compute snad/atom: N × (ntypes·3·K), for each
            type t of the differentiated (central) atom the x, y, z blocks of K values; row i is
            −∂D̄_t/∂r_i (Å⁻¹).
            """) { call in
            let b = try call.object(1, as: LuaBispectrum.self)
            let f = try call.object(2, as: LuaFrame.self).frame
            try call.checkOptionKeys(3, allowed: ["threads"])
            let th = try call.optionInteger(3, "threads") ?? b.threads
            call.push(matrix: try b.bs.gradients(f, threads: max(1, th)))
            return 1
        },
        .returning("labels", "bs:labels() -> table\nColumn labels B(j1,j2,j) (doubled indices, LAMMPS order) and quadratic products.") { call in
            call.push(try call.object(1, as: LuaBispectrum.self).bs.labels)
        },
        .returning("ncols", "bs:ncols() -> integer\nNumber of components K (K + K(K+1)/2 with quadraticflag).") { call in
            call.push(try call.object(1, as: LuaBispectrum.self).bs.componentCount)
        },
    ]
}

/// `descry.desc`: bispectrum (SNAP) descriptors identical to LAMMPS compute sna/atom, snav/atom.
public let descModule = LuaModule(
    name: "descry.desc", shortName: "desc",
    doc: """
        descry.desc: bispectrum descriptors as LAMMPS compute sna/atom and snav/atom (Thompson et
        al., J. Comput. Phys. 285, 316 (2015)); global D̄ = Σ_i B_i and V̄ (Swinburne, PRL 131,
        236101 (2023)). desc.bispectrum{...} gives a calculator with compute, trajectory, voxels.
        """,
    functions: [
        LuaMethod("bispectrum", """
            desc.bispectrum{twojmax = 8, rcutfac = 4.7, rfac0 = 0.99363, rmin0 = 0, radelem = {0.5},
                            wj = {1.0}, switchflag = true, bzeroflag = true, quadraticflag = false,
                            bnormflag = false, wselfallflag = false, chem = nil, threads = ncpu}
              -> desc.bispectrum
            A bispectrum calculator with LAMMPS' parameters and defaults (compute sna/atom):
            pair cutoff rcutfac·(R_i + R_j) Å, per-type radelem and wj (lists by type), flags as
            booleans or 0/1. chem = {e_1, ..., e_ntypes}: element of each type, 0-based as LAMMPS'
            `chem nel map...` (K·nel³ components by element triple; usually with bnormflag).
            threads: worker threads over atoms (default: all online CPUs; results are identical
            for any count).
            """) { call in
            try call.checkTable(1)
            try call.checkOptionKeys(1, allowed: DescBindings.parameterKeys)
            guard let tj = try call.optionInteger(1, "twojmax") else { throw call.argumentError(1, "option 'twojmax' is required") }
            guard let rc = try call.optionNumber(1, "rcutfac") else { throw call.argumentError(1, "option 'rcutfac' is required") }
            let p = BispectrumParameters(
                twojmax: tj, rcutfac: rc, rfac0: try call.optionNumber(1, "rfac0") ?? 0.99363,
                rmin0: try call.optionNumber(1, "rmin0") ?? 0,
                radelem: try DescBindings.numbers(call, 1, "radelem") ?? [0.5],
                wj: try DescBindings.numbers(call, 1, "wj") ?? [1.0],
                switchflag: try DescBindings.flag(call, 1, "switchflag", true),
                bzeroflag: try DescBindings.flag(call, 1, "bzeroflag", true),
                quadraticflag: try DescBindings.flag(call, 1, "quadraticflag", false),
                wselfallflag: try DescBindings.flag(call, 1, "wselfallflag", false),
                bnormflag: try DescBindings.flag(call, 1, "bnormflag", false),
                chem: try DescBindings.numbers(call, 1, "chem").map { v in
                    try v.map { x in
                        guard x.isFinite, x == x.rounded(), x >= 0, x < 64 else {
                            throw call.argumentError(1, "option 'chem': element indices must be integers in 0...63")
                        }
                        return Int(x)
                    }
                })
            let th = try call.optionInteger(1, "threads") ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            call.push(object: LuaBispectrum(try Bispectrum(p), threads: max(1, th)))
            return 1
        },
    ],
    classes: [
        LuaClass(typeName: LuaBispectrum.luaTypeName, shortName: "bispectrum",
                 doc: "desc.bispectrum: a bispectrum calculator. Methods: compute trajectory voxels gradients labels ncols.",
                 methods: DescBindings.methods,
                 metamethods: [
                    LuaMethod("__tostring", "tostring(bs)") { call in
                        let p = try call.object(1, as: LuaBispectrum.self).bs.parameters
                        call.push("desc.bispectrum(twojmax=\(p.twojmax), rcutfac=\(p.rcutfac), K=\(p.componentCount))")
                        return 1
                    },
                 ]),
    ])
