// The base library (Lua 5.1's print, type, pcall, ...) and the library registration machinery.
//
// A library is a list of (name, function) pairs registered into a global table (or into _G itself).
// Each function becomes a builtin: its Swift closure is stored once in `LuaVM.builtins` and the Lua
// value is a tj_cfunc whose `builtin` field is the index. pcall and xpcall are builtins 0 and 1: the
// interpreter runs them in-loop (a protected Lua frame instead of Swift recursion).
import Bytecode
import CVM
import Glibc

extension LuaVM {
    /// Adds a builtin and returns its function value.
    @discardableResult
    public func makeBuiltin(_ name: String, upvalues: [Value] = [], _ fn: @escaping NativeFunction) throws -> Value {
        let id = builtins.count
        builtins.append(Builtin(name: name, fn: fn))
        if id >= nativeCap {
            let cap = max(256, nativeCap * 2)
            let t = UnsafeMutablePointer<Unmanaged<NativeBox>>.allocate(capacity: cap)
            if let old = nativeFns {
                t.moveInitialize(from: old, count: id)
                old.deallocate()
            }
            nativeFns = t
            nativeCap = cap
        }
        (nativeFns.unsafelyUnwrapped + id).initialize(to: Unmanaged.passRetained(NativeBox(fn)))
        let f = try heap.newNativeFunction(builtin: id, upvalues: upvalues.count, env: globals)
        for (i, v) in upvalues.enumerated() { f.upvalues[i] = v }
        return Value(f)
    }

    /// A native closure sharing an existing builtin's code (e.g. each coroutine.wrap function).
    func makeNativeClosure(builtin id: Int, upvalues: [Value]) throws -> Value {
        let f = try heap.newNativeFunction(builtin: id, upvalues: upvalues.count, env: globals)
        for (i, v) in upvalues.enumerated() { f.upvalues[i] = v }
        return Value(f)
    }

    /// Registers functions into global table `name` (created if absent), or into _G when nil.
    public func registerLibrary(_ name: String?, _ fns: [(String, NativeFunction)]) {
        do {
            let target: TableRef
            if let name {
                let key = try heap.string(name)
                let existing = tableGet(globals, key)
                if existing.isTable { target = existing.table } else {
                    target = try heap.newTable(narray: 0, nhash: fns.count)
                    try tableSet(globals, key, Value(target))
                }
            } else {
                target = globals
            }
            for (fname, fn) in fns {
                let v = try makeBuiltin(fname, fn)
                try tableSet(target, try heap.string(fname), v)
            }
        } catch {}
    }

    func setGlobal(_ name: String, _ v: Value) {
        if let k = try? heap.string(name) { try? tableSet(globals, k, v) }
    }

    // MARK: argument checking

    /// "bad argument #n to 'name' (msg)", the name as the caller called it ('?' when called from
    /// a native or by a tail call, as LuaJIT).
    func argError(_ n: Int, _ fname: String, _ msg: String) -> LuaError {
        let co = coState(currentThread)
        var name = "?"
        if co.pointee.ciCount > 0 {
            let ci = co.pointee.cis + (co.pointee.ciCount - 1)
            if ci.pointee.closure == nil, let called = calledName(co, ci) { name = called }
        }
        return runtimeError("bad argument #\(n) to '\(name)' (\(msg))", ci: nil)
    }

    func typeArgError(_ a: NativeArgs, _ i: Int, _ fname: String, _ expected: String) -> LuaError {
        let got = i < a.count ? a.base[i].typeName : "no value"
        return argError(i + 1, fname, "\(expected) expected, got \(got)")
    }

    func checkTable(_ a: NativeArgs, _ i: Int, _ fname: String) throws -> TableRef {
        let v = a[i]
        if v.isTable { return v.table }
        throw typeArgError(a, i, fname, "table")
    }

    func checkNumber(_ a: NativeArgs, _ i: Int, _ fname: String) throws -> Double {
        let v = a[i]
        if v.isNumber { return v.number }
        if v.isString, let d = NumberText.parse(v.string) { return d }
        throw typeArgError(a, i, fname, "number")
    }

    func checkInt(_ a: NativeArgs, _ i: Int, _ fname: String) throws -> Int {
        let d = try checkNumber(a, i, fname)
        if d.isNaN { return 0 }
        if d >= 9.2e18 { return Int.max }
        if d <= -9.2e18 { return Int.min }
        return Int(d)
    }

    func optInt(_ a: NativeArgs, _ i: Int, _ fname: String, _ def: Int) throws -> Int {
        a[i].isNil ? def : try checkInt(a, i, fname)
    }

    func checkAny(_ a: NativeArgs, _ i: Int, _ fname: String) throws {
        if i >= a.count { throw argError(i + 1, fname, "value expected") }
    }

    /// Ensures room for n results at a.base.
    @inline(__always) func ensureResults(_ a: NativeArgs, _ n: Int) throws {
        let co = coState(a.L)
        if addr(a.base + n + InterpLimits.stackMargin) > addr(co.pointee.stackLimit) {
            throw resultsOverflow()
        }
        let top = a.base + n
        if addr(top) > addr(co.pointee.highWater) { co.pointee.highWater = top }
        let t = UInt32(top - stackBase(a.L))
        if t > a.L.pointee.top { a.L.pointee.top = t }
        let ci = co.pointee.cis + (co.pointee.ciCount - 1)
        if ci.pointee.closure == nil && top > ci.pointee.top { ci.pointee.top = top }
    }

    @inline(never) func resultsOverflow() -> LuaError { runtimeError("stack overflow", ci: nil) }

    // MARK: tostring

    /// Lua's tostring (with __tostring).
    func tostring(_ v: Value) throws -> Value {
        if v.isString { return v }
        if v.isNumber { return Value(try heap.numberToString(v.number)) }
        let mm = metamethod(of: v, .tostring)
        if !mm.isNil {
            return try call(mm, [v], wanted: 1).first ?? .nil
        }
        return try heap.string(tostringDefault(v))
    }

    func tostringDefault(_ v: Value) -> String {
        switch v.kind {
        case .nil: return "nil"
        case .boolean: return v.boolean ? "true" : "false"
        case .number: return NumberText.format(v.number)
        case .string: return v.string.string
        case .table: return "table: " + hexAddress(v.payload)
        case .function:
            if v.isNativeFunction { return "function: builtin#\(v.nativeFunction.pointee.builtin)" }
            return "function: " + hexAddress(v.payload)
        case .userdata, .lightUserdata: return "userdata: " + hexAddress(v.payload)
        case .thread: return "thread: " + hexAddress(v.payload)
        }
    }

    func hexAddress(_ p: UInt) -> String {
        let h = String(p, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - h.count)) + h
    }

    // MARK: the base library

    func registerBuiltins() {
        // type()'s answers, interned once (pinned) and indexed by LuaType.
        var typeNames: [Value] = []
        var tag: UInt8 = 0
        while let t = LuaType(rawValue: tag) {
            let v = internString(t.name)
            pinned.append(v)
            typeNames.append(v)
            tag += 1
        }
        // pcall and xpcall first: their builtin ids are fixed (BuiltinID).
        registerLibrary(nil, [
            ("pcall", { vm, a in try vm.pcallNative(a, xpcall: false) }),
            ("xpcall", { vm, a in try vm.pcallNative(a, xpcall: true) }),
            ("print", { vm, a in
                var out: [UInt8] = []
                // As Lua 5.1, print converts through the global `tostring` when it was replaced.
                let ts = vm.tableGet(vm.globals, vm.tostringName)
                let custom = ts.bits != vm.tostringBuiltin.bits
                for i in 0..<a.count {
                    if i > 0 { out.append(9) }
                    if custom {
                        try vm.ensureResults(a, a.count)
                        let r = try vm.call(ts, [a.base[i]], wanted: 1).first ?? .nil
                        if r.isString { out.append(contentsOf: r.string.buffer); continue }
                        if r.isNumber { out.append(contentsOf: NumberText.format(r.number).utf8); continue }
                        throw vm.runtimeError("'tostring' must return a string to 'print'", ci: nil)
                    }
                    let v = a.base[i]
                    if v.isString { out.append(contentsOf: v.string.buffer) }
                    else if v.isNumber { out.append(contentsOf: NumberText.format(v.number).utf8) }
                    else if v.isNil || v.isBoolean || vm.metamethod(of: v, .tostring).isNil {
                        out.append(contentsOf: vm.tostringDefault(v).utf8)
                    } else {
                        let s = try vm.tostring(v)
                        if s.isNumber { out.append(contentsOf: NumberText.format(s.number).utf8); continue }
                        guard s.isString else { throw vm.runtimeError("'tostring' must return a string to 'print'", ci: nil) }
                        out.append(contentsOf: s.string.buffer)
                    }
                }
                out.append(10)
                out.withUnsafeBufferPointer { vm.write($0) }
                return 0
            }),
            ("type", { vm, a in
                try vm.checkAny(a, 0, "type")
                a.base[0] = typeNames[Int(a.base[0].kind.rawValue)]
                return 1
            }),
            ("tostring", { vm, a in
                try vm.checkAny(a, 0, "tostring")
                a.base[0] = try vm.tostring(a.base[0])
                vm.heap.checkGC()
                return 1
            }),
            ("tonumber", { vm, a in try vm.tonumberNative(a) }),
            ("rawget", { vm, a in
                let t = try vm.checkTable(a, 0, "rawget")
                try vm.checkAny(a, 1, "rawget")
                a.base[0] = vm.tableGet(t, a[1])
                return 1
            }),
            ("rawset", { vm, a in
                let t = try vm.checkTable(a, 0, "rawset")
                try vm.checkAny(a, 2, "rawset")
                do { try vm.tableSet(t, a[1], a[2]) } catch let e as HeapError { throw vm.makeError(e.message) }
                return 1
            }),
            ("rawequal", { vm, a in
                try vm.checkAny(a, 1, "rawequal")
                a.base[0] = Value(Value.rawEqual(a[0], a[1]))
                return 1
            }),
            ("setmetatable", { vm, a in
                let t = try vm.checkTable(a, 0, "setmetatable")
                let m = a[1]
                guard (m.isNil && a.count >= 2) || m.isTable else { throw vm.argError(2, "setmetatable", "nil or table expected") }
                if let old = t.pointee.metatable, !vm.metamethod(old, .metatable).isNil {
                    throw vm.runtimeError("cannot change a protected metatable", ci: nil)
                }
                t.pointee.metatable = m.isNil ? nil : m.table
                return 1
            }),
            ("getmetatable", { vm, a in
                try vm.checkAny(a, 0, "getmetatable")
                guard let mt = vm.metatable(of: a[0]) else { a.base[0] = .nil; return 1 }
                let protected = vm.metamethod(mt, .metatable)
                a.base[0] = protected.isNil ? Value(mt) : protected
                return 1
            }),
            ("assert", { vm, a in
                try vm.checkAny(a, 0, "assert")
                if a.base[0].isTruthy { return a.count }
                let m = a[1]
                if m.isString { throw vm.runtimeError(m.string.string, ci: nil) }
                if m.isNumber { throw vm.runtimeError(NumberText.format(m.number), ci: nil) }
                if a.count >= 2 && !m.isNil { throw LuaError(value: m, message: vm.tostringDefault(m)) }
                throw vm.runtimeError("assertion failed!", ci: nil)
            }),
            ("error", { vm, a in
                let v = a[0]
                let level = try vm.optInt(a, 1, "error", 1)
                if (v.isString || v.isNumber) && level > 0 {
                    let co = coState(a.L)
                    let text = v.isString ? v.string.string : NumberText.format(v.number)
                    if let f = vm.frame(atLevel: level, co), let pos = vm.position(of: f) {
                        let msg = "\(pos) \(text)"
                        throw LuaError(value: try vm.heap.string(msg), message: msg)
                    }
                }
                throw LuaError(value: v, message: v.isString ? v.string.string : vm.tostringDefault(v))
            }),
            ("next", { vm, a in
                let t = try vm.checkTable(a, 0, "next")
                do {
                    var hint = vm.nextHintTable == t ? vm.nextHintCursor : 0
                    let r = try t.next(a[1], hint: &hint)
                    vm.nextHintTable = t
                    vm.nextHintCursor = hint
                    if let (k, v) = r {
                        a.base[0] = k; a.base[1] = v
                        return 2
                    }
                } catch let e as HeapError {
                    // No position, as LuaJIT (raised from within the table code).
                    throw LuaError(value: try vm.heap.string(e.message), message: e.message)
                }
                a.base[0] = .nil
                return 1
            }),
            ("select", { vm, a in
                let n = a[0]
                if n.isString && n.string.count >= 1 && n.string.bytes[0] == UInt8(ascii: "#") {
                    a.base[0] = Value(Double(a.count - 1))
                    return 1
                }
                var i = try vm.checkInt(a, 0, "select")
                if i < 0 { i = a.count + i } else if i == 0 { throw vm.argError(1, "select", "index out of range") }
                if i <= 0 { throw vm.argError(1, "select", "index out of range") }
                if i >= a.count { return 0 }
                let n2 = a.count - i
                for j in 0..<n2 { a.base[j] = a.base[i + j] }
                return n2
            }),
            ("unpack", { vm, a in try vm.unpackNative(a, "unpack") }),
            ("collectgarbage", { vm, a in try vm.collectgarbageNative(a) }),
        ])
        tostringName = internString("tostring")
        tostringBuiltin = tableGet(globals, tostringName)
        pinned.append(tostringName)
        // pairs/ipairs return iterator builtins.
        let nextFn = tableGet(globals, internString("next"))
        registerLibrary(nil, [
            ("pairs", { vm, a in
                _ = try vm.checkTable(a, 0, "pairs")
                a.base[1] = a.base[0]
                a.base[0] = nextFn
                a.base[2] = .nil
                return 3
            }),
        ])
        do {
            let ipairsAux = try makeBuiltin("ipairs_aux") { vm, a in
                // Raw reads, as LuaJIT; past the end it returns nothing (not nil).
                let t = try vm.checkTable(a, 0, "ipairs_aux")
                let i = (a[1].isNumber ? a[1].number : 0) + 1
                let v = t.get(num: i)
                if v.isNil { return 0 }
                a.base[0] = Value(i); a.base[1] = v
                return 2
            }
            registerLibrary(nil, [
                ("ipairs", { vm, a in
                    try vm.checkAny(a, 0, "ipairs")
                    _ = try vm.checkTable(a, 0, "ipairs")
                    a.base[1] = a.base[0]
                    a.base[0] = ipairsAux
                    a.base[2] = Value(0.0)
                    return 3
                }),
            ])
            pinned.append(ipairsAux)
            pinned.append(nextFn)
        } catch {}
        // Strings share one metatable whose __index is the `string` table (filled by the string
        // library when it is registered).
        do {
            let stringLib = try heap.newTable(narray: 0, nhash: 16)
            try tableSet(globals, try heap.string("string"), Value(stringLib))
            let smt = try heap.newTable(narray: 0, nhash: 2)
            try tableSet(smt, try heap.string("__index"), Value(stringLib))
            stringMetatable = smt
        } catch {}
        setGlobal("_G", Value(globals))
        setGlobal("_VERSION", internString("Lua 5.1"))
        registerCoroutineLibrary()
        registerMinimalLibraries()
        openStandardLibraries()
    }

    func tonumberNative(_ a: NativeArgs) throws -> Int {
        let v = a[0]
        let b = try optInt(a, 1, "tonumber", 10)
        if b == 10 {
            // Base 10 (given or not) converts as the language does: "1.5", "0x10", " 1e2 ".
            try checkAny(a, 0, "tonumber")
            if v.isNumber { return 1 }
            if v.isString, let d = NumberText.parse(v.string) { a.base[0] = Value(d); return 1 }
            a.base[0] = .nil
            return 1
        }
        // Another base: as LuaJIT, strtoul semantics on the string (or number as string): optional
        // whitespace, one sign, an alphanumeric start, digits (base 16 may have a 0x prefix),
        // optional whitespace; the value saturates at 2^64-1.
        var bytes: [UInt8]
        if v.isString { bytes = v.string.array } else if v.isNumber { bytes = Array(NumberText.format(v.number).utf8) } else {
            throw typeArgError(a, 0, "tonumber", "string")
        }
        guard b >= 2 && b <= 36 else { throw argError(2, "tonumber", "base out of range") }
        func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
        func digit(_ c: UInt8) -> Int {
            if c >= 48 && c <= 57 { return Int(c) - 48 }
            if c >= 97 && c <= 122 { return Int(c) - 97 + 10 }
            if c >= 65 && c <= 90 { return Int(c) - 65 + 10 }
            return 99
        }
        var i = 0
        while i < bytes.count && isSpace(bytes[i]) { i += 1 }
        var neg = false
        if i < bytes.count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
            neg = bytes[i] == UInt8(ascii: "-"); i += 1
        }
        guard i < bytes.count && digit(bytes[i]) < 36 else { a.base[0] = .nil; return 1 }
        if b == 16 && i + 2 < bytes.count && bytes[i] == UInt8(ascii: "0")
            && (bytes[i + 1] | 0x20) == UInt8(ascii: "x") && digit(bytes[i + 2]) < 16 {
            i += 2
        }
        var n: UInt64 = 0
        var overflow = false
        var digits = 0
        while i < bytes.count {
            let d = digit(bytes[i])
            if d >= b { break }
            let (m, o1) = n.multipliedReportingOverflow(by: UInt64(b))
            let (r, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { overflow = true }
            n = r
            digits += 1
            i += 1
        }
        while i < bytes.count && isSpace(bytes[i]) { i += 1 }
        if digits == 0 || i != bytes.count { a.base[0] = .nil; return 1 }
        let d = overflow ? Double(UInt64.max) : Double(n)
        a.base[0] = Value(neg ? -d : d)
        return 1
    }

    func unpackNative(_ a: NativeArgs, _ fname: String) throws -> Int {
        let t = try checkTable(a, 0, fname)
        let i = try optInt(a, 1, fname, 1)
        let j = a[2].isNil ? tableLength(t) : try checkInt(a, 2, fname)
        if i > j { return 0 }
        let (n, o) = j.subtractingReportingOverflow(i)
        if o || n >= 8_000_000 { throw runtimeError("too many results to unpack", ci: nil) }
        try ensureResults(a, n + 1)
        var k = 0
        while k <= n { a.base[k] = t.get(int: i + k); k += 1 }
        return n + 1
    }

    func collectgarbageNative(_ a: NativeArgs) throws -> Int {
        let opt = a[0].isNil ? "collect" : (a[0].isString ? a[0].string.string : "")
        if !a[0].isNil && !a[0].isString { throw typeArgError(a, 0, "collectgarbage", "string") }
        switch opt {
        case "collect":
            heap.collect()
            a.base[0] = Value(0.0)
        case "count":
            a.base[0] = Value(heap.countKB)
        case "step":
            let kb = try optInt(a, 1, "collectgarbage", 0)
            a.base[0] = Value(heap.step(kb))
        case "stop":
            heap.isRunning = false
            a.base[0] = Value(0.0)
        case "restart":
            heap.isRunning = true
            a.base[0] = Value(0.0)
        case "setpause":
            a.base[0] = Value(Double(heap.setPause(try optInt(a, 1, "collectgarbage", 200))))
        case "setstepmul":
            a.base[0] = Value(Double(heap.setStepMul(try optInt(a, 1, "collectgarbage", 200))))
        default:
            throw argError(1, "collectgarbage", "invalid option '\(opt)'")
        }
        return 1
    }

    /// pcall/xpcall as a plain native (when not run in-loop: called from Swift, tail-called, or the
    /// protected function is itself a native).
    func pcallNative(_ a: NativeArgs, xpcall: Bool) throws -> Int {
        let fname = xpcall ? "xpcall" : "pcall"
        try checkAny(a, 0, fname)
        if xpcall && !a[1].isFunction { throw typeArgError(a, 1, fname, "function") }
        let L = a.L
        let co = coState(L)
        let savedCount = co.pointee.ciCount
        let savedDepth = swiftDepth
        let handler = xpcall ? a.base[1] : Value.nil
        // Lay out [f, args...] above the arguments (dropping the handler for xpcall).
        let nargs = xpcall ? a.count - 2 : a.count - 1
        let fnSlot = a.base + a.count
        try ensureResults(a, a.count * 2 + 2)
        fnSlot[0] = a.base[0]
        let firstArg = xpcall ? 2 : 1
        var i = 0
        while i < nargs { fnSlot[1 + i] = a.base[firstArg + i]; i += 1 }
        do {
            let n = try callAt(L, co, fn: fnSlot, nargs: nargs, wanted: -1)
            try ensureResults(a, a.count + n + 1)
            a.base[0] = .true
            var i = 0
            while i < n { a.base[1 + i] = fnSlot[i]; i += 1 }
            return n + 1
        } catch let e as LuaError {
            var ev = e.value
            if xpcall { ev = callHandler(L, co, handler: handler, error: ev) }
            closeUpvalues(L, level: fnSlot)
            co.pointee.ciCount = savedCount
            swiftDepth = savedDepth
            a.base[0] = .false
            a.base[1] = ev
            return 2
        } catch let e as HeapError {
            closeUpvalues(L, level: fnSlot)
            co.pointee.ciCount = savedCount
            swiftDepth = savedDepth
            var ev = internString(e.message)
            if xpcall { ev = callHandler(L, co, handler: handler, error: ev) }
            a.base[0] = .false
            a.base[1] = ev
            return 2
        }
    }

    /// io.write, os.exit, os.time/clock: the little the corpus needs before the full stdlib.
    func registerMinimalLibraries() {
        registerLibrary("io", [
            ("write", { vm, a in
                for i in 0..<a.count {
                    let v = a.base[i]
                    if v.isString { vm.write(v.string.buffer) }
                    else if v.isNumber { vm.write(NumberText.format(v.number)) }
                    else { throw vm.typeArgError(a, i, "write", "string") }
                }
                return 0
            }),
        ])
        registerLibrary("os", [
            ("exit", { vm, a in
                let v = a[0]
                var status: Int32 = 0
                if v.isNumber { let d = v.number; status = d.isFinite && abs(d) < 2e9 ? Int32(d) : 0 }
                else if v.bits == Value.false.bits { status = 1 }
                vm.flushOutput()
                throw LuaExit(status: status)
            }),
            ("clock", { _, a in
                a.base[0] = Value(Double(clock()) / Double(CLOCKS_PER_SEC))
                return 1
            }),
            ("time", { _, a in
                a.base[0] = Value(Double(time(nil)))
                return 1
            }),
        ])
    }
}
