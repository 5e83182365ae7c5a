import DescryAtoms
import DescryLinalg
import LuaBridge
import LuaLinalgBridge

/// Lua userdata for one atomic configuration (`atoms.frame`).
public final class LuaFrame: LuaObject {
    public static let luaTypeName = "atoms.frame"
    public var frame: Frame
    public init(_ f: Frame) { frame = f }
}

/// Lua userdata for a streaming trajectory (`atoms.trajectory`).
public final class LuaTrajectory: LuaObject {
    public static let luaTypeName = "atoms.trajectory"
    public var source: FrameSource
    let paths: [String]
    let format: String
    public init(_ s: FrameSource, paths: [String], format: String) {
        source = s
        self.paths = paths
        self.format = format
    }
}

/// Lua userdata for a neighbour list (`atoms.neighbors`).
public final class LuaNeighbors: LuaObject {
    public static let luaTypeName = "atoms.neighbors"
    public let list: NeighborList
    public init(_ l: NeighborList) { list = l }

    /// The bytes a neighbour list of `frame` within `cutoff` will take, at the frame's mean
    /// density (an index and a pair vector per pair); 0 when the box gives no sensible estimate.
    static func expectedBytes(_ frame: Frame, cutoff: Double) -> Int {
        let n = Double(frame.count)
        let pairsPerAtom = n / frame.box.volume * 4 / 3 * Double.pi * cutoff * cutoff * cutoff
        let bytes = n * pairsPerAtom * Double(MemoryLayout<SIMD3<Double>>.stride + MemoryLayout<Int32>.stride)
        guard bytes.isFinite, bytes > 0 else { return 0 }
        return Int(min(bytes, 1e12))
    }
}

/// A Lua array of integral numbers at `i` (NaN, ±inf and fractions rejected).
func integers(_ call: LuaCall, _ i: Int32, _ what: String, arg: Int32 = 1) throws -> [Int] {
    try call.numberArray(i).map { v in
        guard v.isFinite, v == v.rounded(), abs(v) < 9e15 else { throw call.argumentError(arg, "\(what): \(v) is not an integer") }
        return Int(v)
    }
}

enum AtomsBindings {
    /// Guesses the file format from the name: dump (default), xyz/extxyz, data.
    static func format(_ path: String, _ opt: String?) throws -> String {
        if let f = opt {
            guard ["dump", "xyz", "extxyz", "data"].contains(f) else { throw EngineError("unknown format '\(f)' (dump, xyz, data)") }
            return f == "extxyz" ? "xyz" : f
        }
        var p = path
        if p.hasSuffix(".gz") { p = String(p.dropLast(3)) }
        if p.hasSuffix(".xyz") || p.hasSuffix(".extxyz") { return "xyz" }
        if p.hasSuffix(".data") || p.hasPrefix("data.") || p.contains("/data.") { return "data" }
        return "dump"
    }

    static func open(_ paths: [String], _ fmt: String) throws -> FrameSource {
        switch fmt {
        case "xyz":
            return try ChainedSource(paths: paths) { try ExtXYZReader(path: $0) }
        case "data":
            guard paths.count == 1 else { throw EngineError("data: one file at a time") }
            return FrameList([try readLammpsData(path: paths[0])], name: paths[0])
        default:
            return try DumpReader(paths: paths)
        }
    }

    /// Paths from a string (glob allowed) or an array of strings at `i`.
    static func paths(_ call: LuaCall, _ i: Int32) throws -> [String] {
        if call.type(i) == LUA_TSTRING_VALUE { return [try call.string(i)] }
        if call.type(i) == LUA_TTABLE_VALUE { return try call.stringArray(i) }
        throw call.typeError(i, expected: "string or list of strings")
    }

    static func pushBox(_ call: LuaCall, _ b: Box) {
        call.pushRecord([
            ("lo", { call.push([b.lo.x, b.lo.y, b.lo.z]) }),
            ("hi", { call.push([b.hi.x, b.hi.y, b.hi.z]) }),
            ("lengths", { call.push([b.lengths.x, b.lengths.y, b.lengths.z]) }),
            ("xy", { call.push(b.xy) }),
            ("xz", { call.push(b.xz) }),
            ("yz", { call.push(b.yz) }),
            ("volume", { call.push(b.volume) }),
            ("periodic", { call.push(b.periodic) }),
        ])
    }

    /// Reads an optional 3-vector field of table `i`.
    static func vec3(_ call: LuaCall, _ i: Int32, _ key: String) throws -> SIMD3<Double>? {
        guard call.type(i) == LUA_TTABLE_VALUE else { return nil }
        return try call.withField(i, key) { field in
            if call.isNoneOrNil(field) { return nil }
            let v = try call.numberArray(field)
            guard v.count == 3 else { throw call.argumentError(i, "box.\(key) needs 3 numbers") }
            return SIMD3(v[0], v[1], v[2])
        }
    }

    static func box(_ call: LuaCall, _ i: Int32) throws -> Box {
        guard call.type(i) == LUA_TTABLE_VALUE else { throw call.typeError(i, expected: "box table") }
        let lo = try vec3(call, i, "lo") ?? .zero
        guard let hi = try vec3(call, i, "hi") else { throw call.argumentError(i, "box.hi (3 numbers) is required") }
        let periodic = call.withField(i, "periodic") { field in periodicFlags(call, field) }
        let b = Box(lo: lo, hi: hi, xy: try call.optionNumber(i, "xy") ?? 0, xz: try call.optionNumber(i, "xz") ?? 0,
                    yz: try call.optionNumber(i, "yz") ?? 0, periodic: periodic)
        for d in 0..<3 where !(b.lengths[d] > 0) { throw call.argumentError(i, "box.hi must exceed box.lo") }
        return b
    }

    /// `periodic = {px, py, pz}` (truthiness of each) or one boolean for all; default all true.
    static func periodicFlags(_ call: LuaCall, _ field: Int32) -> [Bool] {
        if call.type(field) == LUA_TTABLE_VALUE {
            return (1...3).map { k in
                call.rawIndex(field, k)
                defer { call.pop() }
                return call.boolean(-1)
            }
        }
        if let all = call.booleanValue(field) { return [Bool](repeating: all, count: 3) }
        return [true, true, true]
    }

    static let frameMethods: [LuaMethod] = [
        .returning("count", "f:count() -> integer\nNumber of atoms (also #f).") { call in
            call.push(try call.object(1, as: LuaFrame.self).frame.count)
        },
        .matrix("positions", "f:positions() -> la.matrix\nPositions (Å) as an N×3 matrix, atoms in id order.") { call in
            try call.object(1, as: LuaFrame.self).frame.positionMatrix()
        },
        LuaMethod("unwrapped", "f:unwrapped() -> la.matrix\nUnwrapped positions x + image·H (N×3), using image flags when present.") { call in
            let f = try call.object(1, as: LuaFrame.self).frame
            var m = Matrix(rows: f.count, cols: 3)
            for (i, p) in f.unwrappedPositions().enumerated() {
                m[i, 0] = p.x
                m[i, 1] = p.y
                m[i, 2] = p.z
            }
            call.push(matrix: m)
            return 1
        },
        .returning("types", "f:types() -> table\nInteger atom types (1-based), one per atom.") { call in
            call.push(try call.object(1, as: LuaFrame.self).frame.types)
        },
        .returning("ids", "f:ids() -> table\nAtom ids, one per atom (ascending).") { call in
            call.push(try call.object(1, as: LuaFrame.self).frame.ids)
        },
        .returning("typenames", "f:typenames() -> table\nElement names by type when the file had them (extxyz species, dump element).") { call in
            call.push(try call.object(1, as: LuaFrame.self).frame.typeNames)
        },
        .returning("timestep", "f:timestep() -> integer\nThe frame's timestep.") { call in
            call.push(try call.object(1, as: LuaFrame.self).frame.timestep)
        },
        LuaMethod("box", """
            f:box() -> table
            The box: {lo = {x,y,z}, hi = {...}, lengths = {...}, xy, xz, yz (LAMMPS tilts), volume,
            periodic = {bool, bool, bool}}.
            """) { call in
            pushBox(call, try call.object(1, as: LuaFrame.self).frame.box)
            return 1
        },
        .returning("columns", "f:columns() -> table\nNames of the extra per-atom columns read from the file.") { call in
            call.push(try call.object(1, as: LuaFrame.self).frame.columns.map { $0.name })
        },
        LuaMethod("column", "f:column(name) -> la.matrix|nil\nPer-atom column `name` (e.g. c_pe, vx) as an N×1 matrix.") { call in
            let f = try call.object(1, as: LuaFrame.self).frame
            if let v = f.column(try call.string(2)) { call.push(matrix: Matrix(rows: v.count, cols: 1, data: v)) } else { call.pushNil() }
            return 1
        },
        .returning("wrapped", "f:wrapped() -> frame\nA copy with atoms wrapped into the periodic box (image flags updated).") { call in
            call.push(object: LuaFrame(try call.object(1, as: LuaFrame.self).frame.wrapped()))
        },
        LuaMethod("distance", "f:distance(i, j) -> number\nMinimum-image distance (Å) between atoms i and j (1-based).") { call in
            let f = try call.object(1, as: LuaFrame.self).frame
            let i = try call.integer(2), j = try call.integer(3)
            guard i >= 1 && i <= f.count else { throw call.argumentError(2, "atom index out of range 1..\(f.count)") }
            guard j >= 1 && j <= f.count else { throw call.argumentError(3, "atom index out of range 1..\(f.count)") }
            call.push(f.box.distance(f.positions[i - 1], f.positions[j - 1]))
            return 1
        },
        LuaMethod("neighbors", """
            f:neighbors(rc [, {threads = n}]) -> atoms.neighbors
            Full neighbour list within rc (Å): cell lists, every periodic image (also of the atom
            itself) counted, LAMMPS' criterion 1e-20 < r² < rc².
            """) { call in
            let f = try call.object(1, as: LuaFrame.self).frame
            let rc = try call.number(2)
            let th = try call.optionInteger(3, "threads") ?? 1
            // Charge the collector first, so lists dropped by earlier loop iterations are freed
            // before this one is built.
            call.reportExternalAllocation(bytes: LuaNeighbors.expectedBytes(f, cutoff: rc))
            call.push(object: LuaNeighbors(try NeighborList(frame: f, cutoff: rc, threads: th)))
            return 1
        },
        LuaMethod("coordination", "f:coordination(rc) -> la.matrix\nCoordination numbers within rc (Å) as an N×1 matrix (LAMMPS compute coord/atom cutoff rc).") { call in
            let f = try call.object(1, as: LuaFrame.self).frame
            let c = try NeighborList(frame: f, cutoff: try call.number(2)).coordination()
            call.push(matrix: Matrix(rows: c.count, cols: 1, data: c.map(Double.init)))
            return 1
        },
        LuaMethod("rdf", """
            f:rdf(rmax, bins [, {volume = V}]) -> r, g, n
            Radial distribution function as LAMMPS compute rdf: bin centres r, g(r) normalised by
            N(N−1)/V (V the box volume unless given; for a free cluster pass its volume), and the
            running coordination n(r). Each a bins×1 la.matrix.
            """) { call in
            let f = try call.object(1, as: LuaFrame.self).frame
            let g = try RadialDistribution(frame: f, rmax: try call.number(2), bins: try call.integer(3),
                                           volume: try call.optionNumber(4, "volume"))
            return call.results(Matrix(rows: g.r.count, cols: 1, data: g.r), Matrix(rows: g.g.count, cols: 1, data: g.g), Matrix(rows: g.coordination.count, cols: 1, data: g.coordination))
        },
    ]

    static let trajectoryMethods: [LuaMethod] = [
        LuaMethod("next", "t:next() -> frame|nil\nThe next frame (streamed from disk), or nil at the end.") { call in
            let t = try call.object(1, as: LuaTrajectory.self)
            let frame = try t.source.next()
            call.reportGrowth(ofObjectAt: 1, as: LuaTrajectory.self)
            if let f = frame { call.push(object: LuaFrame(f)) } else { call.pushNil() }
            return 1
        },
        LuaMethod("average", """
            t:average(n) -> frame|nil
            The time average of the next n frames (positions unwrapped across periodic
            boundaries with image flags, unwrapped coordinates, or minimum-image steps: the
            paper's X̄_n), with the box, types and ids of the first; nil when fewer than n remain.
            """) { call in
            let t = try call.object(1, as: LuaTrajectory.self)
            let n = try call.integer(2)
            guard n >= 1 else { throw call.argumentError(2, "n must be ≥ 1") }
            var avg = TimeAverager()
            while avg.frameCount < n, let f = try t.source.next() { try avg.add(f) }
            call.reportGrowth(ofObjectAt: 1, as: LuaTrajectory.self)
            if avg.frameCount == n, let f = avg.average() { call.push(object: LuaFrame(f)) } else { call.pushNil() }
            return 1
        },
        LuaMethod("rewind", "t:rewind() -> t\nStarts again from the first frame of the first file.") { call in
            let t = try call.object(1, as: LuaTrajectory.self)
            t.source = try open(t.paths, t.format)
            call.reportGrowth(ofObjectAt: 1, as: LuaTrajectory.self)
            call.copyValue(1)
            return 1
        },
        .returning("name", "t:name() -> string\nThe file name(s).") { call in
            call.push(try call.object(1, as: LuaTrajectory.self).source.name)
        },
    ]

    static let neighborMethods: [LuaMethod] = [
        LuaMethod("count", "nl:count([i]) -> integer\nNeighbours of atom i (1-based), or the total number of entries.") { call in
            let l = try call.object(1, as: LuaNeighbors.self).list
            if call.isNoneOrNil(2) {
                call.push(l.indices.count)
                return 1
            }
            let i = try call.integer(2)
            guard i >= 1 && i <= l.atomCount else { throw call.argumentError(2, "atom index out of range 1..\(l.atomCount)") }
            call.push(l.count(of: i - 1))
            return 1
        },
        LuaMethod("of", """
            nl:of(i) -> indices, vectors
            Neighbours of atom i (1-based): a table of neighbour indices (1-based; repeated for
            several images) and an n×3 la.matrix of pair vectors r_j − r_i (Å).
            """) { call in
            let l = try call.object(1, as: LuaNeighbors.self).list
            let i = try call.integer(2)
            guard i >= 1 && i <= l.atomCount else { throw call.argumentError(2, "atom index out of range 1..\(l.atomCount)") }
            let r = l.offsets[i - 1]..<l.offsets[i]
            call.push(r.map { Int(l.indices[$0]) + 1 })
            var m = Matrix(rows: r.count, cols: 3)
            for (k, e) in r.enumerated() {
                m[k, 0] = l.vectors[e].x
                m[k, 1] = l.vectors[e].y
                m[k, 2] = l.vectors[e].z
            }
            call.push(matrix: m)
            return 2
        },
        LuaMethod("distances", "nl:distances() -> la.matrix\nAll pair distances (Å) as an M×1 matrix (each pair twice, once per side).") { call in
            let l = try call.object(1, as: LuaNeighbors.self).list
            call.push(matrix: Matrix(rows: l.vectors.count, cols: 1, data: l.vectors.map { ($0 * $0).sum().squareRoot() }))
            return 1
        },
        LuaMethod("coordination", "nl:coordination([r]) -> la.matrix\nNeighbours within r (default the list cutoff) per atom, N×1.") { call in
            let l = try call.object(1, as: LuaNeighbors.self).list
            let r = try call.optNumber(2, l.cutoff)
            call.push(matrix: Matrix(rows: l.atomCount, cols: 1, data: l.coordination(within: r).map(Double.init)))
            return 1
        },
    ]
}

/// `descry.atoms`: structures, streaming trajectories (LAMMPS dumps plain/.gz, extxyz, LAMMPS
/// data), LAMMPS fix ave/time files, writers, neighbour lists, g(r). Units: LAMMPS metal (Å).
public let atomsModule = LuaModule(
    name: "descry.atoms", shortName: "atoms",
    doc: """
        descry.atoms: atomic structures and trajectories (Å, LAMMPS metal units).
        open(path) streams frames; read(path) gives one frame; frame{...} builds one; write(path,
        frames); avetime(path) loads LAMMPS fix ave/time output; read_log(path) the thermo
        output of a log.lammps. Frames: positions types ids box
        neighbors coordination rdf. Formats: LAMMPS dump (text, .gz, any column order, x/xs/xu/xsu
        and image flags, triclinic), extended XYZ, LAMMPS data (atomic).
        """,
    functions: [
        LuaMethod("open", """
            atoms.open(path | {paths...} [, {format = "dump"|"xyz"|"data"}]) -> atoms.trajectory
            A trajectory streamed one frame at a time (O(atoms) memory). path may be a glob
            ("run/dump.*.gz"); several files are read in order as one trajectory. Format from the
            name unless given (.xyz/.extxyz → extxyz, .data → LAMMPS data, else dump; .gz allowed).
            """) { call in
            let ps = try AtomsBindings.paths(call, 1)
            let fmt = try AtomsBindings.format(ps.first ?? "", try call.optionString(2, "format"))
            call.push(object: LuaTrajectory(try AtomsBindings.open(ps, fmt), paths: ps, format: fmt))
            return 1
        },
        LuaMethod("read", """
            atoms.read(path [, {format = ..., index = k}]) -> atoms.frame
            Reads frame k (default 1) of a file (dump, extxyz or LAMMPS data).
            """) { call in
            let ps = try AtomsBindings.paths(call, 1)
            let fmt = try AtomsBindings.format(ps.first ?? "", try call.optionString(2, "format"))
            let k = try call.optionInteger(2, "index") ?? 1
            guard k >= 1 else { throw call.argumentError(2, "option 'index' must be ≥ 1") }
            let src = try AtomsBindings.open(ps, fmt)
            var f: Frame?
            for _ in 0..<k {
                f = try src.next()
                if f == nil { break }
            }
            guard let fr = f else { throw call.error("\(src.name): has fewer than \(k) frames") }
            call.push(object: LuaFrame(fr))
            return 1
        },
        LuaMethod("frame", """
            atoms.frame{positions = M (N×3, Å), box = {lo = {..}, hi = {..}, xy =, xz =, yz =,
                        periodic = {true, true, true}}, types = {...}, ids = {...}, timestep = n}
            -> atoms.frame
            Builds a frame (types default 1, ids 1..N).
            """) { call in
            try call.checkTable(1)
            let pm = try call.withField(1, "positions") { field in try call.matrix(field) }
            guard pm.cols == 3 else { throw call.argumentError(1, "positions must be N×3, got \(pm.shapeDescription)") }
            let box = try call.withField(1, "box") { field in try AtomsBindings.box(call, field) }
            let n = pm.rows
            let pos = (0..<n).map { SIMD3(pm[$0, 0], pm[$0, 1], pm[$0, 2]) }
            let types = try call.withField(1, "types") { field in
                call.isNoneOrNil(field) ? nil : try integers(call, field, "types")
            }
            let ids = try call.withField(1, "ids") { field in
                call.isNoneOrNil(field) ? nil : try integers(call, field, "ids")
            }
            if let t = types, t.count != n || t.contains(where: { $0 < 1 || $0 > 10_000 }) { throw call.argumentError(1, "types must be N integers in 1...10000") }
            if let i = ids, i.count != n { throw call.argumentError(1, "ids must have N entries") }
            var f = Frame(timestep: try call.optionInteger(1, "timestep") ?? 0, box: box, positions: pos, types: types, ids: ids)
            f.sortByID()
            call.push(object: LuaFrame(f))
            return 1
        },
        LuaMethod("write", """
            atoms.write(path, frame | {frames...} [, {format = "dump"|"xyz"}]) -> nothing
            Writes frames as a LAMMPS text dump (default; .gz compressed) or extended XYZ.
            """) { call in
            let path = try call.string(1)
            var frames: [Frame] = []
            if let f = call.testObject(2, as: LuaFrame.self) { frames = [f.frame] } else {
                try call.checkTable(2)
                try call.forEachElement(2) { k, element in
                    guard let f = call.testObject(element, as: LuaFrame.self) else { throw call.argumentError(2, "element \(k) is not an atoms.frame") }
                    frames.append(f.frame)
                }
            }
            let fmt = try AtomsBindings.format(path, try call.optionString(3, "format"))
            guard fmt != "data" else { throw call.argumentError(3, "writing LAMMPS data files is not supported") }
            let text = frames.map { fmt == "xyz" ? extXYZText($0) : dumpText($0) }.joined()
            try writeText(text, to: path)
            return 0
        },
        LuaMethod("avetime", """
            atoms.avetime(path) -> la.matrix, names
            A LAMMPS fix ave/time file (e.g. in-situ D̄ from compute reduce sum of sna/atom) as a
            matrix (first column TimeStep) and the column names.
            """) { call in
            let a = try AveTimeFile(path: try call.string(1))
            return call.results(a.data, a.names)
        },
        LammpsLogBindings.readLog,
    ],
    classes: [
        LuaClass(typeName: LuaFrame.luaTypeName, shortName: "frame",
                 doc: "atoms.frame: one configuration. Methods: count positions unwrapped types ids typenames timestep box columns column wrapped distance neighbors coordination rdf.",
                 methods: AtomsBindings.frameMethods,
                 metamethods: [
                    .returning("__len", "#f: number of atoms.") { call in
                        call.push(try call.object(1, as: LuaFrame.self).frame.count)
                    },
                    LuaMethod("__tostring", "tostring(f)") { call in
                        let f = try call.object(1, as: LuaFrame.self).frame
                        call.push("atoms.frame(\(f.count) atoms, timestep \(f.timestep), box \(f.box.lengths.x)×\(f.box.lengths.y)×\(f.box.lengths.z)\(f.box.isTriclinic ? " triclinic" : ""))")
                        return 1
                    },
                 ]),
        LuaClass(typeName: LuaTrajectory.luaTypeName, shortName: "trajectory",
                 doc: "atoms.trajectory: frames streamed from files. Methods: next average rewind name; iterate with `for f in t.next, t do ... end`.",
                 methods: AtomsBindings.trajectoryMethods,
                 metamethods: [
                    .returning("__tostring", "tostring(t)") { call in
                        call.push("atoms.trajectory(\(try call.object(1, as: LuaTrajectory.self).source.name))")
                    },
                 ]),
        LuaClass(typeName: LuaNeighbors.luaTypeName, shortName: "neighbors",
                 doc: "atoms.neighbors: a full neighbour list. Methods: count of distances coordination.",
                 methods: AtomsBindings.neighborMethods),
        LammpsLogBindings.logClass,
    ])
