import DescryLinalg
import LuaBridge
import LuaLinalgBridge

/// An explicit random generator object (`la.rng(seed)`): xoshiro256** seeded through
/// SplitMix64 (see DescryLinalg/Random.swift), independent of the global generator.
final class LuaRng: LuaObject {
    static let luaTypeName = "la.rng"
    var g: Xoshiro256StarStar
    var seed: Int
    init(seed: Int) {
        self.seed = seed
        g = Xoshiro256StarStar(seed: UInt64(bitPattern: Int64(seed)))
    }
}

extension LaBindings {
    /// Seed of the global generator in a new Lua state (reproducible unless `la.seed` is called).
    static let defaultSeed = 20231206
    static let globalRngKey = "descry.la.rng"

    /// The state's global generator (kept in the registry; created on first use).
    static func globalRng(_ call: LuaCall) -> LuaRng {
        call.pushRegistryValue(globalRngKey)
        defer { call.pop() }
        if let g = call.testObject(-1, as: LuaRng.self) { return g }
        let g = LuaRng(seed: defaultSeed)
        call.push(object: g)
        call.setRegistryValue(globalRngKey)
        return g
    }

    /// The generator for a sampling call: the object `self` for methods, else the global one.
    static func drawSource(_ call: LuaCall) -> (LuaRng, Int32) {
        if call.isMethod, let g = call.testObject(1, as: LuaRng.self) { return (g, 2) }
        return (globalRng(call), 1)
    }

    /// The body of `rand`/`randn`: reads the shape (rows [, cols]) after the generator argument,
    /// refuses extra arguments and pushes the rows × cols matrix that `draw` takes from the generator.
    static func pushDraws(_ call: LuaCall, _ draw: (inout Xoshiro256StarStar, Int, Int) -> Matrix) throws -> Int32 {
        let (g, a) = drawSource(call)
        try call.checkArgumentCount(atMost: a + 1)
        let (r, c) = try call.shape(a)
        call.push(matrix: draw(&g.g, r, c))
        return 1
    }

    static func seedValue(_ call: LuaCall, _ i: Int32) throws -> Int { try call.integer(i) }

    /// Sampling functions shared by `la.*` (global generator) and `gen:*` (explicit generator).
    static let samplers: [LuaMethod] = [
        LuaMethod("rand", """
            rand(rows [, cols]) -> la.matrix
            Uniform deviates in [0, 1): the top 53 bits of xoshiro256** outputs (Blackman & Vigna
            2021). cols defaults to 1 (a column). la.rand uses the global generator (la.seed);
            gen:rand uses generator gen (la.rng).
            """) { call in
            try pushDraws(call) { g, r, c in g.uniformMatrix(r, c) }
        },
        LuaMethod("randn", """
            randn(rows [, cols]) -> la.matrix
            Standard normal deviates (Marsaglia polar method on xoshiro256** uniforms).
            """) { call in
            try pushDraws(call) { g, r, c in g.normalMatrix(r, c) }
        },
        LuaMethod("randint", """
            randint(lo, hi, rows [, cols]) -> la.matrix
            Integers uniform in lo..hi INCLUSIVE (as math.random(lo, hi)), unbiased (Lemire 2019).
            """) { call in
            let (g, a) = drawSource(call)
            try call.checkArgumentCount(atMost: a + 3)
            let lo = try call.integer(a), hi = try call.integer(a + 1)
            guard lo <= hi else { throw call.argumentError(a + 1, "empty range \(lo)..\(hi)") }
            let (r, c) = try call.shape(a + 2)
            call.push(matrix: try g.g.integerMatrix(lo, hi, r, c))
            return 1
        },
        LuaMethod("uniform", """
            uniform(lo, hi, rows [, cols]) -> la.matrix
            Uniform deviates in [lo, hi): lo + (hi − lo)·U[0, 1).
            """) { call in
            let (g, a) = drawSource(call)
            try call.checkArgumentCount(atMost: a + 3)
            let lo = try call.number(a), hi = try call.number(a + 1)
            let (r, c) = try call.shape(a + 2)
            call.push(matrix: g.g.uniformMatrix(r, c).map { lo + (hi - lo) * $0 })
            return 1
        },
        LuaMethod("normal", """
            normal(mean, sd, rows [, cols]) -> la.matrix
            Normal deviates mean + sd·N(0, 1).
            """) { call in
            let (g, a) = drawSource(call)
            try call.checkArgumentCount(atMost: a + 3)
            let mu = try call.number(a), sd = try call.number(a + 1)
            guard sd >= 0 else { throw call.argumentError(a + 1, "standard deviation must be ≥ 0, got \(sd)") }
            let (r, c) = try call.shape(a + 2)
            call.push(matrix: g.g.normalMatrix(r, c).map { mu + sd * $0 })
            return 1
        },
        LuaMethod("permutation", """
            permutation(n) -> table
            A uniformly random permutation of 1..n as a Lua array (Fisher–Yates shuffle).
            """) { call in
            let (g, a) = drawSource(call)
            let n = try call.dimension(a, "n")
            try call.checkElements(n, 1, a)
            var p = Array(1...max(n, 1))
            if n == 0 { p = [] }
            if n > 1 {
                for i in stride(from: n - 1, to: 0, by: -1) {
                    let j = try g.g.integer(0, i)
                    p.swapAt(i, j)
                }
            }
            call.push(p)
            return 1
        },
    ]

    static let randomFunctions: [LuaMethod] = samplers + [
        LuaMethod("seed", """
            la.seed(s) -> nothing
            Re-seeds the global generator with integer s (xoshiro256** state from SplitMix64(s)).
            Every new session starts from seed \(defaultSeed), so scripts are reproducible.
            """) { call in
            let s = try seedValue(call, 1)
            let g = globalRng(call)
            g.seed = s
            g.g = Xoshiro256StarStar(seed: UInt64(bitPattern: Int64(s)))
            return 0
        },
        LuaMethod("rng", """
            la.rng([seed]) -> la.rng
            A new independent generator (xoshiro256**, seeded through SplitMix64). Without a seed,
            it is seeded from the global generator. Methods: gen:rand, randn, randint, uniform,
            normal, permutation, seed.
            """) { call in
            let s: Int
            if call.isNoneOrNil(1) {
                s = Int(Int64(bitPattern: globalRng(call).g.next()))
            } else {
                s = try seedValue(call, 1)
            }
            call.push(object: LuaRng(seed: s))
            return 1
        },
    ]

    static let rngClass = LuaClass(
        typeName: LuaRng.luaTypeName, shortName: "rng",
        doc: """
            la.rng: a seeded random generator (xoshiro256**, Blackman & Vigna 2021). Create with
            la.rng(seed); draw with gen:rand(r, c), gen:randn(r, c), gen:randint(lo, hi, r, c),
            gen:uniform(lo, hi, r, c), gen:normal(mu, sd, r, c), gen:permutation(n).
            """,
        methods: samplers + [
            LuaMethod("seed", """
                gen:seed([s]) -> integer
                Re-seeds the generator with s (if given); returns the seed it was last seeded with.
                """) { call in
                let g = try call.object(1, as: LuaRng.self)
                if !call.isNoneOrNil(2) {
                    let s = try seedValue(call, 2)
                    g.seed = s
                    g.g = Xoshiro256StarStar(seed: UInt64(bitPattern: Int64(s)))
                }
                call.push(g.seed)
                return 1
            },
        ],
        metamethods: [
            LuaMethod("__tostring", "tostring(gen): 'la.rng(seed=…)'") { call in
                let g = try call.object(1, as: LuaRng.self)
                call.push("la.rng(seed=\(g.seed))")
                return 1
            },
        ])
}
