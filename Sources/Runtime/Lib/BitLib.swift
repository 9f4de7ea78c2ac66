// LuaJIT's `bit` library: 32-bit operations on numbers, results as signed 32-bit integers.
//
// The number -> int32 conversion is LuaJIT's lj_num2bit: add 2^52 + 2^51 and take the low 32 bits of
// the double's representation. That rounds to nearest (ties to even) and wraps modulo 2^32, for any
// finite number whose magnitude is below 2^51 (beyond that it yields what LuaJIT yields, since it is
// the same arithmetic). Shift counts use their low 5 bits.
import CVM
import Glibc

@inline(__always) func luaToBit(_ d: Double) -> Int32 {
    let t = d + 6755399441055744.0
    return Int32(truncatingIfNeeded: t.bitPattern)
}

extension LuaVM {
    @inline(__always) func bitArg(_ a: NativeArgs, _ i: Int) throws -> Int32 {
        if i < a.count && a.base[i].isNumber { return luaToBit(a.base[i].number) }
        return luaToBit(try libNumber(a, i))
    }

    func registerBitLibrary() {
        func fold(_ name: String, _ op: @escaping (Int32, Int32) -> Int32) -> (String, NativeFunction) {
            (name, { vm, a in
                var r = try vm.bitArg(a, 0)
                var i = 1
                while i < a.count { r = op(r, try vm.bitArg(a, i)); i += 1 }
                a.base[0] = Value(Double(r))
                return 1
            })
        }
        func shift(_ name: String, _ op: @escaping (UInt32, UInt32) -> UInt32) -> (String, NativeFunction) {
            (name, { vm, a in
                let x = UInt32(bitPattern: try vm.bitArg(a, 0))
                let n = UInt32(bitPattern: try vm.bitArg(a, 1)) & 31
                a.base[0] = Value(Double(Int32(bitPattern: op(x, n))))
                return 1
            })
        }
        registerLibrary("bit", [
            ("tobit", { vm, a in
                a.base[0] = Value(Double(try vm.bitArg(a, 0)))
                return 1
            }),
            ("bnot", { vm, a in
                a.base[0] = Value(Double(~(try vm.bitArg(a, 0))))
                return 1
            }),
            ("bswap", { vm, a in
                a.base[0] = Value(Double(Int32(bitPattern: UInt32(bitPattern: try vm.bitArg(a, 0)).byteSwapped)))
                return 1
            }),
            fold("band", { $0 & $1 }),
            fold("bor", { $0 | $1 }),
            fold("bxor", { $0 ^ $1 }),
            shift("lshift", { $0 << $1 }),
            shift("rshift", { $0 >> $1 }),
            shift("arshift", { UInt32(bitPattern: Int32(bitPattern: $0) >> Int32($1)) }),
            shift("rol", { ($0 << $1) | ($0 >> ((32 - $1) & 31)) }),
            shift("ror", { ($0 >> $1) | ($0 << ((32 - $1) & 31)) }),
            ("tohex", { vm, a in
                let x = UInt32(bitPattern: try vm.bitArg(a, 0))
                var n = a.count > 1 && !a.base[1].isNil ? Int(try vm.bitArg(a, 1)) : 8
                var digits: StaticString = "0123456789abcdef"
                if n < 0 { n = -n; digits = "0123456789ABCDEF" }
                if n > 8 { n = 8 }
                var buf: (UInt64, UInt64) = (0, 0)
                let v: Value = try withUnsafeMutableBytes(of: &buf) { raw in
                    let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    var y = x
                    var i = n - 1
                    while i >= 0 {
                        p[i] = digits.utf8Start[Int(y & 15)]
                        y >>= 4
                        i -= 1
                    }
                    return try vm.libStringValue(p, n)
                }
                a.base[0] = v
                return 1
            }),
        ])
    }
}
