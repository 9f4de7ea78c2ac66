// The math library (Lua 5.1 as LuaJIT 2.1 has it): every function and constant, through libm.
//
// math.random uses xoshiro256** (Blackman and Vigna), seeded through splitmix64; its 256-bit state
// lives in a userdata shared by random and randomseed as an upvalue, so every VM has its own stream
// and a fresh VM always starts from the same seed (0), as LuaJIT does. random() is the top 53 bits
// scaled to [0, 1); random(m) and random(m, n) use LuaJIT's formula floor(r * (n - m + 1)) + m, with
// no interval check (LuaJIT has none: random(0) returns 1). The sequence differs from LuaJIT's
// Tausworthe generator; ranges and argument errors are the same.
import CVM
import Glibc

struct Xoshiro256 {
    var s: (UInt64, UInt64, UInt64, UInt64)

    static func splitmix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    init(seed: UInt64) {
        var x = seed
        s = (Xoshiro256.splitmix(&x), Xoshiro256.splitmix(&x), Xoshiro256.splitmix(&x), Xoshiro256.splitmix(&x))
    }

    @inline(__always) static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    mutating func next() -> UInt64 {
        let result = Xoshiro256.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Xoshiro256.rotl(s.3, 45)
        return result
    }

    /// A double in [0, 1).
    mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

extension LuaVM {
    func registerMathLibrary() {
        typealias F1 = (Double) -> Double
        func unary(_ name: String, _ f: @escaping F1) -> (String, NativeFunction) {
            (name, { vm, a in
                a.base[0] = Value.number(f(try vm.libNumber(a, 0)))
                return 1
            })
        }
        registerLibrary("math", [
            ("floor", { vm, a in
                if a.count > 0 && a.base[0].isNumber { a.base[0] = Value.number(Glibc.floor(a.base[0].number)); return 1 }
                a.base[0] = Value.number(Glibc.floor(try vm.libNumber(a, 0)))
                return 1
            }),
            ("abs", { vm, a in
                if a.count > 0 && a.base[0].isNumber { a.base[0] = Value.number(Swift.abs(a.base[0].number)); return 1 }
                a.base[0] = Value.number(Swift.abs(try vm.libNumber(a, 0)))
                return 1
            }),
            ("sqrt", { vm, a in
                if a.count > 0 && a.base[0].isNumber { a.base[0] = Value.number(a.base[0].number.squareRoot()); return 1 }
                a.base[0] = Value.number(try vm.libNumber(a, 0).squareRoot())
                return 1
            }),
            unary("ceil", { Glibc.ceil($0) }),
            unary("sin", { Glibc.sin($0) }),
            unary("cos", { Glibc.cos($0) }),
            unary("tan", { Glibc.tan($0) }),
            unary("asin", { Glibc.asin($0) }),
            unary("acos", { Glibc.acos($0) }),
            unary("atan", { Glibc.atan($0) }),
            unary("sinh", { Glibc.sinh($0) }),
            unary("cosh", { Glibc.cosh($0) }),
            unary("tanh", { Glibc.tanh($0) }),
            unary("exp", { Glibc.exp($0) }),
            unary("log10", { Glibc.log10($0) }),
            unary("deg", { $0 * (180.0 / Double.pi) }),
            unary("rad", { $0 * (Double.pi / 180.0) }),
            ("log", { vm, a in
                let x = try vm.libNumber(a, 0)
                if a.count > 1 && !a.base[1].isNil {
                    let b = try vm.libNumber(a, 1)
                    if b == 2 { a.base[0] = Value.number(Glibc.log2(x)); return 1 }
                    if b == 10 { a.base[0] = Value.number(Glibc.log10(x)); return 1 }
                    a.base[0] = Value.number(Glibc.log(x) / Glibc.log(b))
                    return 1
                }
                a.base[0] = Value.number(Glibc.log(x))
                return 1
            }),
            ("atan2", { vm, a in
                a.base[0] = Value.number(Glibc.atan2(try vm.libNumber(a, 0), try vm.libNumber(a, 1)))
                return 1
            }),
            ("pow", { vm, a in
                a.base[0] = Value.number(Glibc.pow(try vm.libNumber(a, 0), try vm.libNumber(a, 1)))
                return 1
            }),
            ("fmod", { vm, a in
                a.base[0] = Value.number(Glibc.fmod(try vm.libNumber(a, 0), try vm.libNumber(a, 1)))
                return 1
            }),
            ("modf", { vm, a in
                let x = try vm.libNumber(a, 0)
                var ip = 0.0
                let fp = Glibc.modf(x, &ip)
                a.base[0] = Value.number(ip)
                a.base[1] = Value.number(fp)
                return 2
            }),
            ("frexp", { vm, a in
                var e: Int32 = 0
                let m = Glibc.frexp(try vm.libNumber(a, 0), &e)
                a.base[0] = Value.number(m)
                a.base[1] = Value(Double(e))
                return 2
            }),
            ("ldexp", { vm, a in
                let m = try vm.libNumber(a, 0)
                let e = try vm.libInt(a, 1)
                a.base[0] = Value.number(Glibc.ldexp(m, Int32(truncatingIfNeeded: e)))
                return 1
            }),
            ("min", { vm, a in
                var r = try vm.libNumber(a, 0)
                var i = 1
                while i < a.count { let y = try vm.libNumber(a, i); r = r < y ? r : y; i += 1 }
                a.base[0] = Value.number(r)
                return 1
            }),
            ("max", { vm, a in
                var r = try vm.libNumber(a, 0)
                var i = 1
                while i < a.count { let y = try vm.libNumber(a, i); r = r > y ? r : y; i += 1 }
                a.base[0] = Value.number(r)
                return 1
            }),
        ])
        do {
            let math = tableGet(globals, internString("math")).table
            try tableSet(math, internString("pi"), Value(Double.pi))
            try tableSet(math, internString("huge"), Value(Double.infinity))
            let ud = try heap.newUserdata(size: MemoryLayout<Xoshiro256>.size)
            ud.payload.bindMemory(to: Xoshiro256.self, capacity: 1).initialize(to: Xoshiro256(seed: 0))
            let state = Value(ud)
            let random = try makeBuiltin("random", upvalues: [state]) { vm, a in
                let g = a.fn.upvalues[0].userdata.payload.assumingMemoryBound(to: Xoshiro256.self)
                var d = g.pointee.nextDouble()
                if a.count > 0 {
                    var r1 = try vm.libNumber(a, 0)
                    var r2: Double
                    if a.count == 1 { r2 = r1; r1 = 1 } else { r2 = try vm.libNumber(a, 1) }
                    d = Glibc.floor(d * (r2 - r1 + 1.0)) + r1
                }
                a.base[0] = Value.number(d)
                return 1
            }
            let randomseed = try makeBuiltin("randomseed", upvalues: [state]) { vm, a in
                let seed = try vm.libNumber(a, 0)
                let g = a.fn.upvalues[0].userdata.payload.assumingMemoryBound(to: Xoshiro256.self)
                g.pointee = Xoshiro256(seed: seed.bitPattern)
                return 0
            }
            try tableSet(math, internString("random"), random)
            try tableSet(math, internString("randomseed"), randomseed)
        } catch {}
    }
}
