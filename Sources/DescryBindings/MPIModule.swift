import DescryLinalg
import DescryParallel
import LuaBridge
import LuaLinalgBridge

/// Lua userdata for a group of ranks (`mpi.world`, `mpi.split`).
public final class LuaCommunicator: LuaObject {
    public static let luaTypeName = "mpi.comm"
    public let comm: Communicator
    public init(_ c: Communicator) { comm = c }
}

enum MPIBindings {
    /// MPI_COMM_WORLD (or the one-rank world), made when the module is required.
    static var world: Communicator?

    static func worldComm(_ call: LuaCall) throws -> Communicator {
        if let w = world { return w }
        let w = try Communicator.world()
        world = w
        return w
    }

    /// The value at `i` for a collective, or the error that makes it unusable (reported on
    /// every rank by the collective, so no rank waits for it).
    static func value(_ call: LuaCall, _ i: Int32) -> Result<ParallelValue, Error> {
        if let m = call.testMatrix(i) { return .success(.matrix(m.m)) }
        switch call.type(i) {
        case LUA_TNUMBER_VALUE:
            if call.isIntegerSubtype(i), let n = call.integerValue(i) { return .success(.integer(Int64(n))) }
            return Result { .number(try call.number(i)) }
        case LUA_TSTRING_VALUE:
            return Result { .string(try call.bytes(i)) }
        case LUA_TTABLE_VALUE:
            return Result { .numbers(try call.numberArray(i)) }
        default:
            return .failure(call.typeError(i, expected: "number, string, table of numbers or la.matrix"))
        }
    }

    static func push(_ call: LuaCall, _ v: ParallelValue) {
        switch v {
        case .integer(let n): call.push(Int(n))
        case .number(let x): call.push(x)
        case .string(let b): call.push(bytes: b)
        case .numbers(let xs): call.push(xs)
        case .matrix(let m): call.push(matrix: m)
        }
    }

    static func root(_ call: LuaCall, _ i: Int32) throws -> Int { try call.optInteger(i, 0) }

    static func op(_ call: LuaCall, _ i: Int32) throws -> ReductionOperator {
        let name = try call.string(i)
        guard let op = ReductionOperator(rawValue: name) else {
            throw call.argumentError(i, "operator 'sum', 'min' or 'max' expected, got '\(name)'")
        }
        return op
    }

    /// One collective, written once for `mpi.f(args)` (world) and `comm:f(args)`.
    struct Operation {
        let name: String
        /// Docstring with `%` where `mpi.` or `comm:` goes.
        let doc: String
        let body: (LuaCall, Communicator, Int32) throws -> Int32
    }

    static let operations: [Operation] = [
        Operation(name: "rank", doc: """
            %rank() -> integer
            This process's rank in the group, 0 ... size-1 (MPI_Comm_rank; 0 without mpirun).
            """) { call, comm, _ in
            call.push(comm.rank)
            return 1
        },
        Operation(name: "size", doc: """
            %size() -> integer
            Number of ranks in the group (MPI_Comm_size; 1 without mpirun).
            """) { call, comm, _ in
            call.push(comm.size)
            return 1
        },
        Operation(name: "barrier", doc: """
            %barrier()
            Waits until every rank of the group has called it (MPI_Barrier).
            """) { _, comm, _ in
            try comm.barrier()
            return 0
        },
        Operation(name: "broadcast", doc: """
            %broadcast(v [, root = 0]) -> value
            Root's v (number, string, table of numbers or la.matrix) on every rank, bit for bit
            (MPI_Bcast; the size travels first). v is ignored on the other ranks.
            """) { call, comm, a in
            let r = try root(call, a + 1)
            let v = try comm.broadcast(value: value(call, a), root: r)
            push(call, v)
            return 1
        },
        Operation(name: "gather", doc: """
            %gather(v [, root = 0]) -> list | nil
            Every rank's v in rank order as a list on root, nil on the other ranks (MPI_Gatherv
            after exchanging sizes). v: number, string, table of numbers or la.matrix; all ranks
            must give the same kind (matrices: the same number of columns; rows, lengths may
            differ), else an error on every rank.
            """) { call, comm, a in
            let r = try root(call, a + 1)
            guard let vs = try comm.gather(value: value(call, a), root: r) else {
                call.pushNil()
                return 1
            }
            call.pushList(vs.count) { k in push(call, vs[k]) }
            return 1
        },
        Operation(name: "allgather", doc: """
            %allgather(v) -> list
            Every rank's v in rank order as a list on every rank (MPI_Allgatherv; same rules
            as gather).
            """) { call, comm, a in
            let vs = try comm.allgather(value: value(call, a))
            call.pushList(vs.count) { k in push(call, vs[k]) }
            return 1
        },
        Operation(name: "reduce", doc: """
            %reduce(v, op [, root = 0]) -> value | nil
            v combined over ranks with op = "sum", "min" or "max" (element by element for tables
            and la.matrix; strings: sum concatenates, min/max compare bytes), on root; nil on
            the other ranks. Taken in rank order (((v0 op v1) op v2) ...), so a sum of floats has
            the same bits on any machine and MPI. Kinds and sizes must agree on every rank.
            """) { call, comm, a in
            let o = try op(call, a + 1)
            let r = try root(call, a + 2)
            guard let v = try comm.reduce(value: value(call, a), op: o, root: r) else {
                call.pushNil()
                return 1
            }
            push(call, v)
            return 1
        },
        Operation(name: "allreduce", doc: """
            %allreduce(v, op) -> value
            reduce on every rank (op = "sum", "min" or "max"; rank order, so every rank holds the
            same bits).
            """) { call, comm, a in
            let o = try op(call, a + 1)
            push(call, try comm.allreduce(value: value(call, a), op: o))
            return 1
        },
        Operation(name: "split", doc: """
            %split(color [, key = rank]) -> mpi.comm | nil
            Groups of ranks (MPI_Comm_split, collective): ranks giving the same color (integer
            ≥ 0) form one new communicator, ordered by key then rank; color nil gives nil.
            Collectives on the result involve only its group.
            """) { call, comm, a in
            let color: Int? = call.isNoneOrNil(a) ? nil : try call.integer(a)
            let key = try call.optInteger(a + 1, comm.rank)
            guard let c = try comm.split(color: color, key: key) else {
                call.pushNil()
                return 1
            }
            call.push(object: LuaCommunicator(c))
            return 1
        },
    ]

    static var functions: [LuaMethod] {
        operations.map { o in
            LuaMethod(o.name, o.doc.split(separator: "%", omittingEmptySubsequences: false).joined(separator: "mpi.")) { call in
                try o.body(call, try worldComm(call), 1)
            }
        }
    }

    static var methods: [LuaMethod] {
        operations.map { o in
            LuaMethod(o.name, o.doc.split(separator: "%", omittingEmptySubsequences: false).joined(separator: "comm:")) { call in
                try o.body(call, try call.object(1, as: LuaCommunicator.self).comm, 2)
            }
        }
    }
}

/// `descry.mpi`: MPI collectives for Lua (rank-ordered, bit-reproducible reductions).
public let mpiModule = LuaModule(
    name: "descry.mpi", shortName: "mpi",
    doc: """
        descry.mpi: run `mpirun -n N descry script.lua`; rank, size, barrier, broadcast, gather,
        allgather, reduce, allreduce (sum/min/max, in rank order) of numbers, strings, tables of
        numbers and la.matrix, and split into groups of ranks (comm objects with the same
        methods). MPI (MPICH ABI: MPICH, Intel MPI, MVAPICH, Cray MPICH) is loaded when this
        module is required (DESCRY_MPI_LIBRARY names another library; DESCRY_MPI=0 disables
        it). Without mpirun, or with no MPI installed, the world is one rank. Fields:
        mpi.world (mpi.comm), mpi.library (nil without MPI), mpi.version, mpi.initialized,
        mpi.note. MPI errors are Lua errors; an uncaught error on any rank ends the job
        (MPI_Abort) after printing that rank's message. docs/scale.md.
        """,
    functions: MPIBindings.functions,
    classes: [
        LuaClass(typeName: LuaCommunicator.luaTypeName, shortName: "comm",
                 doc: "mpi.comm: a group of ranks. Methods: rank size barrier broadcast gather allgather reduce allreduce split.",
                 methods: MPIBindings.methods,
                 metamethods: [
                    LuaMethod("__tostring", "tostring(comm)") { call in
                        let c = try call.object(1, as: LuaCommunicator.self).comm
                        call.push("mpi.comm(rank \(c.rank) of \(c.size)\(c.isMPI ? "" : ", no MPI"))")
                        return 1
                    },
                 ]),
    ],
    customize: { call in
        let status = try MPIRuntime.start()
        let world = try MPIBindings.worldComm(call)
        status.library.push(to: call)
        call.setField(-2, "library")
        status.version.push(to: call)
        call.setField(-2, "version")
        call.push(status.initialized)
        call.setField(-2, "initialized")
        status.note.push(to: call)
        call.setField(-2, "note")
        call.push(object: LuaCommunicator(world))
        call.setField(-2, "world")
    })
