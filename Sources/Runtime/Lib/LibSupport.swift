// Shared helpers of the standard library (string, table, math, os, io, bit, load): argument checks
// with LuaJIT's conversions and wording, a growable byte buffer for building results without Swift
// String round trips, and cheap Swift-level calls of Lua functions (sort comparators, gsub callbacks).
//
// Argument errors follow luaL_argerror: "bad argument #n to 'name' (msg)", where the name is how the
// caller called the function ('?' when it was called from a native or through a tail call), and a
// method call (`s:rep(x)`) does not count `self`: its argument n is reported as n-1, and a bad self
// reads "calling 'name' on bad self".
import Bytecode
import CVM
import Glibc

/// A malloc'd, growable byte buffer. Not a class (no ARC): call `free()` when done (use `defer`).
struct ByteBuffer {
    var p: UnsafeMutablePointer<UInt8>
    var count = 0
    var cap: Int

    init(capacity: Int = 64) {
        cap = max(capacity, 16)
        p = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
    }

    func free() { p.deallocate() }

    @inline(__always) mutating func reserve(_ n: Int) {
        if count + n > cap { grow(count + n) }
    }

    @inline(never) mutating func grow(_ need: Int) {
        var c = cap * 2
        while c < need { c *= 2 }
        let q = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        q.update(from: p, count: count)
        p.deallocate()
        p = q
        cap = c
    }

    @inline(__always) mutating func append(_ b: UInt8) {
        if count == cap { grow(count + 1) }
        p[count] = b
        count += 1
    }

    @inline(__always) mutating func append(_ src: UnsafePointer<UInt8>, _ n: Int) {
        if n <= 0 { return }
        reserve(n)
        (p + count).update(from: src, count: n)
        count += n
    }

    mutating func append(_ s: StringRef) { append(s.bytes, s.count) }

    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { b in if let base = b.baseAddress { append(base, b.count) } }
    }
}

extension StringRef {
    /// The bytes as a typed pointer (NUL-terminated after `count`).
    @inline(__always) var bytePtr: UnsafePointer<UInt8> { UnsafePointer(bytes) }
}

/// LuaJIT's number to int32 conversion for library arguments (lj_num2int: truncation, out of range
/// and NaN give INT32_MIN as cvttsd2si does).
@inline(__always) func luaNumToInt32(_ d: Double) -> Int {
    if d > -2147483649.0 && d < 2147483648.0 { return Int(Int32(d)) }
    return Int(Int32.min)
}

/// (int64) conversion as x86-64 cvttsd2si does it (out of range and NaN: INT64_MIN).
@inline(__always) func luaNumToInt64(_ d: Double) -> Int64 {
    if d > -9223372036854775809.0 && d < 9223372036854775808.0 { return Int64(d) }
    return Int64.min
}

extension LuaVM {
    /// How the running native was called: (name, isMethod); name nil when unknown ('?').
    func libCallerName() -> (String?, Bool) {
        let co = coState(currentThread)
        guard co.pointee.ciCount > 0 else { return (nil, false) }
        let ci = co.pointee.cis + (co.pointee.ciCount - 1)
        guard ci.pointee.closure == nil else { return (nil, false) }
        if ci.pointee.flags & CIFlag.tail != 0 { return (nil, false) }
        let idx = ci - co.pointee.cis
        guard idx > 0 else { return (nil, false) }
        if ci.pointee.flags & (CIFlag.pcall | CIFlag.xpcall) != 0 { return (nil, false) }
        let caller = co.pointee.cis + (idx - 1)
        guard let cl = caller.pointee.closure, let p = cl.pointee.proto, let proto = swiftProto(p) else { return (nil, false) }
        let pcIndex = caller.pointee.pc - p.pointee.code.unsafelyUnwrapped - 1
        guard pcIndex >= 0, pcIndex < proto.code.count else { return (nil, false) }
        let ins = proto.code[pcIndex]
        guard ins.op == .CALL || ins.op == .TAILCALL else { return (nil, false) }
        // A method call: the nearest earlier instruction with A == the call's base is its SELF.
        var k = pcIndex - 1
        while k >= 0 && k >= pcIndex - 300 {
            let prev = proto.code[k]
            if prev.a == ins.a {
                if prev.op == .SELF { return (DebugNames.constString(proto, prev.c), true) }
                break
            }
            k -= 1
        }
        guard let (kind, name) = DebugNames.slotName(proto, pc: pcIndex, slot: ins.a) else { return (nil, false) }
        return (name, kind == "method")
    }

    /// "bad argument #n to 'name' (msg)" for argument n (1-based) of the running library function.
    @inline(never)
    func libArgError(_ n: Int, _ msg: String) -> LuaError {
        let (name, isMethod) = libCallerName()
        var n = n
        if isMethod {
            n -= 1
            if n == 0 { return runtimeError("calling '\(name ?? "?")' on bad self (\(msg))", ci: nil) }
        }
        return runtimeError("bad argument #\(n) to '\(name ?? "?")' (\(msg))", ci: nil)
    }

    /// "X expected, got Y" for argument index i (0-based).
    @inline(never)
    func libTypeError(_ a: NativeArgs, _ i: Int, _ expected: String) -> LuaError {
        let got = i < a.count ? a.base[i].typeName : "no value"
        return libArgError(i + 1, "\(expected) expected, got \(got)")
    }

    /// luaL_checklstring: a string, or a number converted in place.
    @inline(__always)
    func libString(_ a: NativeArgs, _ i: Int) throws -> StringRef {
        if i < a.count {
            let v = a.base[i]
            if v.isString { return v.string }
            if v.isNumber {
                let s = try heap.numberToString(v.number)
                a.base[i] = Value(s)
                return s
            }
        }
        throw libTypeError(a, i, "string")
    }

    func libOptString(_ a: NativeArgs, _ i: Int) throws -> StringRef? {
        if a[i].isNil { return nil }
        return try libString(a, i)
    }

    @inline(__always)
    func libNumber(_ a: NativeArgs, _ i: Int) throws -> Double {
        if i < a.count {
            let v = a.base[i]
            if v.isNumber { return v.number }
            if v.isString, let d = NumberText.parse(v.string) { return d }
        }
        throw libTypeError(a, i, "number")
    }

    func libOptNumber(_ a: NativeArgs, _ i: Int, _ def: Double) throws -> Double {
        if a[i].isNil { return def }
        return try libNumber(a, i)
    }

    /// luaL_checkint as LuaJIT does it (int32 truncation).
    @inline(__always)
    func libInt(_ a: NativeArgs, _ i: Int) throws -> Int {
        if i < a.count {
            let v = a.base[i]
            if v.isNumber { return luaNumToInt32(v.number) }
        }
        return luaNumToInt32(try libNumber(a, i))
    }

    @inline(__always)
    func libOptInt(_ a: NativeArgs, _ i: Int, _ def: Int) throws -> Int {
        if i >= a.count || a.base[i].isNil { return def }
        return try libInt(a, i)
    }

    func libTable(_ a: NativeArgs, _ i: Int) throws -> TableRef {
        let v = a[i]
        if v.isTable { return v.table }
        throw libTypeError(a, i, "table")
    }

    func libCheckAny(_ a: NativeArgs, _ i: Int) throws {
        if i >= a.count { throw libArgError(i + 1, "value expected") }
    }

    /// Interns bytes as a string value.
    @inline(__always)
    func libStringValue(_ p: UnsafePointer<UInt8>, _ n: Int) throws -> Value {
        Value(try heap.intern(UnsafeRawPointer(p), count: n))
    }

    func libEmptyString() throws -> Value {
        var z: UInt8 = 0
        return Value(try heap.intern(&z, count: 0))
    }

    /// Calls a Lua value with up to 3 arguments from a library function, above the running frame,
    /// and returns its first result (no Swift arrays).
    func libCall(_ f: Value, _ nargs: Int, _ x: Value, _ y: Value = .nil, _ z: Value = .nil) throws -> Value {
        let L = currentThread
        let co = coState(L)
        var top = stackBase(L) + Int(L.pointee.top)
        if co.pointee.ciCount > 0 {
            let ci = co.pointee.cis + (co.pointee.ciCount - 1)
            if ci.pointee.top > top { top = ci.pointee.top }
        }
        if top + 4 + InterpLimits.stackMargin > co.pointee.stackLimit { throw stackOverflow(L, co) }
        top[0] = f; top[1] = x; top[2] = y; top[3] = z
        let savedTop = L.pointee.top
        let newTop = top + 1 + nargs
        L.pointee.top = UInt32(newTop - stackBase(L))
        if newTop > co.pointee.highWater { co.pointee.highWater = newTop }
        defer { L.pointee.top = savedTop }
        let n = try callAt(L, co, fn: top, nargs: nargs, wanted: 1)
        return n > 0 ? top[0] : .nil
    }

    /// Registers every standard library implemented under Lib/ (string, table, math, os, io, bit,
    /// load/require). Called once from registerBuiltins.
    func openStandardLibraries() {
        registerStringLibrary()
        registerTableLibrary()
        registerMathLibrary()
        registerBitLibrary()
        registerOsLibrary()
        registerIoLibrary()
        registerLoadLibrary()
        registerBaseExtras()
    }
}
