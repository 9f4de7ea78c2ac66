// Runtime helpers the machine code calls for the complex IR instructions (table lookups and
// stores by any key, strings, allocation, transcendental math, GC checks).
//
// One calling convention for all of them: `(ctx, args) -> status`, as a C function. `ctx` is the
// LuaVM (unretained; the engine keeps it alive longer than any code), `args` points at the
// trace's staging area in its native frame: the code stores the operands there (boxed Values or
// unboxed payloads, per helper below), the helper writes its result into args[0]. Status 0 is
// success; nonzero makes the code exit through the instruction's snapshot (a failing guard such
// as a NaN key or a byte out of range, or an error such as out of memory: the interpreter then
// redoes the instruction and raises the error itself).
//
// The arithmetic is the IR interpreter's own (JITMath, IRMathFn.apply), so both backends agree
// bit for bit.
import CVM
import Glibc
import Runtime

typealias NativeHelper = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt64>?) -> Int32

enum NativeHelpers {
    /// Runs `body` with the VM borrowed, not retained: the engine keeps it alive longer than any
    /// code, and a retain/release pair per helper call was a fifth of raytrace's time.
    @inline(__always) static func withVM<R>(_ ctx: UnsafeMutableRawPointer?, _ body: (LuaVM) throws -> R) rethrows -> R {
        try Unmanaged<LuaVM>.fromOpaque(ctx.unsafelyUnwrapped)._withUnsafeGuaranteedRef(body)
    }
    /// The same for the VM's heap (a `let` of the VM, borrowed with it).
    @inline(__always) static func withHeap<R>(_ ctx: UnsafeMutableRawPointer?, _ body: (Heap) throws -> R) rethrows -> R {
        try Unmanaged<LuaVM>.fromOpaque(ctx.unsafelyUnwrapped)._withUnsafeGuaranteedRef { try body($0.heap) }
    }
    @inline(__always) static func ptr(_ bits: UInt64) -> OpaquePointer {
        OpaquePointer(bitPattern: UInt(bits)).unsafelyUnwrapped
    }
    @inline(__always) static func dbl(_ bits: UInt64) -> Double { Double(bitPattern: bits) }
    @inline(__always) static func int(_ bits: UInt64) -> Int32 { Int32(truncatingIfNeeded: bits) }

    static func address(_ f: NativeHelper) -> UInt64 {
        UInt64(UInt(bitPattern: unsafeBitCast(f, to: UnsafeRawPointer.self)))
    }

    /// args: table, boxed key -> boxed raw value.
    static let tget: NativeHelper = { _, a in
        let a = a.unsafelyUnwrapped
        a[0] = TableRef(ptr(a[0])).get(Value(bits: a[1])).bits
        return 0
    }

    /// args: table, boxed key, boxed value. Status 1: NaN key (guard), 2: error.
    static let tset: NativeHelper = { ctx, a in
        let a = a.unsafelyUnwrapped
        let key = Value(bits: a[1])
        if key.isNumber && key.number.isNaN { return 1 }
        do { try withHeap(ctx) { try TableRef(ptr(a[0])).set(key, Value(bits: a[2]), $0) } } catch { return 2 }
        return 0
    }

    /// args: boxed a, boxed b (strings or numbers) -> string.
    static let cat: NativeHelper = { ctx, a in
        let a = a.unsafelyUnwrapped
        do {
            let s = try withVM(ctx) { try $0.jitConcat(Value(bits: a[0]), Value(bits: a[1])) }
            a[0] = UInt64(UInt(bitPattern: s))
        } catch { return 2 }
        return 0
    }

    /// args: string, int i, int j -> string.
    /// args: string, string -> -1.0, 0.0 or 1.0 (Lua's string order).
    static let strcmp: NativeHelper = { _, a in
        let a = a.unsafelyUnwrapped
        let r = LuaVM.compareStringBytes(StringRef(ptr(a[0])), StringRef(ptr(a[1])))
        a[0] = Double(r < 0 ? -1 : (r > 0 ? 1 : 0)).bitPattern
        return 0
    }

    static let strsub: NativeHelper = { ctx, a in
        let a = a.unsafelyUnwrapped
        do {
            let s = try withVM(ctx) { try JITMath.sub($0, StringRef(ptr(a[0])), Int(int(a[1])), Int(int(a[2]))) }
            a[0] = UInt64(UInt(bitPattern: s))
        } catch { return 2 }
        return 0
    }

    /// args: int c -> one-byte string. Status 1: c out of 0...255 (guard).
    static let strchar: NativeHelper = { ctx, a in
        let a = a.unsafelyUnwrapped
        let c = int(a[0])
        if c < 0 || c > 255 { return 1 }
        var byte = UInt8(c)
        do { a[0] = UInt64(UInt(bitPattern: try withHeap(ctx) { try $0.intern(&byte, count: 1) })) } catch { return 2 }
        return 0
    }

    /// args: num -> string.
    static let tostr: NativeHelper = { ctx, a in
        let a = a.unsafelyUnwrapped
        do { a[0] = UInt64(UInt(bitPattern: try withHeap(ctx) { try $0.numberToString(dbl(a[0])) })) } catch { return 2 }
        return 0
    }

    /// args: array hint, hash hint -> table.
    static let tnew: NativeHelper = { ctx, a in
        let a = a.unsafelyUnwrapped
        do {
            a[0] = UInt64(UInt(bitPattern: try withHeap(ctx) { try $0.newTable(narray: Int(int(a[0])), nhash: Int(int(a[1]))) }))
        } catch { return 2 }
        return 0
    }

    /// args: parent closure, child prototype index, frame base slot, trace base -> closure.
    static let fnew: NativeHelper = { ctx, a in
        let a = a.unsafelyUnwrapped
        let base = UnsafeMutablePointer<Value>(ptr(a[3])) + Int(int(a[2]))
        do {
            let f = try withVM(ctx) { try $0.jitNewClosure(parent: LFuncRef(ptr(a[0])), child: Int(int(a[1])), base: base) }
            a[0] = UInt64(UInt(bitPattern: f))
        } catch { return 2 }
        return 0
    }

    /// args: slot, trace base: closes the open upvalues of that slot and above.
    static let uclo: NativeHelper = { ctx, a in
        let a = a.unsafelyUnwrapped
        let level = UnsafeMutablePointer<Value>(ptr(a[1])) + Int(int(a[0]))
        withVM(ctx) { $0.jitCloseUpvalues(level: level) }
        return 0
    }

    /// args: table -> int length.
    static let len: NativeHelper = { _, a in
        let a = a.unsafelyUnwrapped
        a[0] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: TableRef(ptr(a[0])).length())))
        return 0
    }

    static let pow: NativeHelper = { _, a in
        let a = a.unsafelyUnwrapped
        a[0] = JITMath.pow(dbl(a[0]), dbl(a[1])).bitPattern
        return 0
    }
    static let fmod: NativeHelper = { _, a in
        let a = a.unsafelyUnwrapped
        a[0] = Glibc.fmod(dbl(a[0]), dbl(a[1])).bitPattern
        return 0
    }
    static let atan2: NativeHelper = { _, a in
        let a = a.unsafelyUnwrapped
        a[0] = Glibc.atan2(dbl(a[0]), dbl(a[1])).bitPattern
        return 0
    }
    static let mod: NativeHelper = { _, a in
        let a = a.unsafelyUnwrapped
        a[0] = JITMath.mod(dbl(a[0]), dbl(a[1])).bitPattern
        return 0
    }
    /// args: num x, IRMathFn raw value.
    static let fpmath: NativeHelper = { _, a in
        let a = a.unsafelyUnwrapped
        let f = IRMathFn(rawValue: int(a[1])) ?? .abs
        a[0] = f.apply(dbl(a[0])).bitPattern
        return 0
    }

    /// CALLN: staging holds buffer, function, argument count | (results read) << 16; the
    /// arguments are in the call buffer after the results (callArgsOffset).
    static let callnMaxArgs = 250
    static var callArgsOffset: Int { 1 + callBufferResults }
    /// Results a trace may read from one call (the call buffer holds the count, then these).
    static let callBufferResults = 255

    /// Calls a library function; writes the result count to buffer[0] and the results (nil past
    /// the last, up to the number the trace reads) from buffer[1]. Status 2: it raised an error
    /// (the interpreter redoes the call from the snapshot and raises it).
    static let calln: NativeHelper = { ctx, a in
        let a = a.unsafelyUnwrapped
        let buf = UnsafeMutablePointer<UInt64>(bitPattern: UInt(a[0])).unsafelyUnwrapped
        let nargs = Int(a[2] & 0xffff)
        let read = min(Int(a[2] >> 16), callBufferResults)
        // Arguments are read into the Lua stack before any result is written over them.
        let n: Int
        do {
            n = try withVM(ctx) {
                try $0.jitCallNative(Value(bits: a[1]), args: buf + callArgsOffset, nargs: nargs, results: buf + 1, fill: read)
            }
        } catch { return 2 }
        buf[0] = UInt64(min(n, Int(Int32.max)))
        return 0
    }

    /// VARGN: args count. Status 1 when the base frame has another number of varargs.
    static let vargn: NativeHelper = { ctx, a in
        withVM(ctx) { $0.jitTopFrameNvarargs } == Int32(truncatingIfNeeded: a.unsafelyUnwrapped[0]) ? 0 : 1
    }

    /// Status 1 when a collection is due.
    static let gcstep: NativeHelper = { ctx, _ in
        withHeap(ctx) { $0.collectionPending } ? 1 : 0
    }
}
