// Slow paths of the interpreter: metamethod dispatch, coercions and type errors.
//
// Everything here runs only when an instruction's fast path (numbers, plain table hits) fails. The
// rules are Lua 5.1's: arithmetic coerces numeric strings, else uses the first operand's metamethod,
// else the second's; __eq only between two tables (or two userdata) with the same __eq; __lt/__le
// only between operands of the same type with the same metamethod, __le falling back to not __lt
// with swapped operands; __concat pairwise from the right; __index/__newindex chains as tables or
// functions (100 levels at most, "loop in gettable"); `#` uses __len only for userdata.
import Bytecode
import CVM

extension LuaVM {
    /// The metamethod of `v` for `e` (its metatable's field), or nil.
    @inline(__always)
    func metamethod(of v: Value, _ e: MetaEvent) -> Value {
        guard let mt = metatable(of: v) else { return .nil }
        return metamethod(mt, e)
    }

    func metatable(of v: Value) -> TableRef? {
        if v.isTable { return v.table.pointee.metatable }
        if v.isString { return stringMetatable }
        if v.isUserdata { return v.userdata.pointee.metatable }
        return nil
    }

    // MARK: arithmetic

    func toNumber(_ v: Value) -> Double? {
        if v.isNumber { return v.number }
        if v.isString { return NumberText.parse(v.string) }
        return nil
    }

    static func event(for op: Opcode) -> MetaEvent {
        switch op {
        case .ADDVN, .ADDNV, .ADDVV: return .add
        case .SUBVN, .SUBNV, .SUBVV: return .sub
        case .MULVN, .MULNV, .MULVV: return .mul
        case .DIVVN, .DIVNV, .DIVVV: return .div
        case .MODVN, .MODNV, .MODVV: return .mod
        case .POWVN, .POWNV, .POWVV: return .pow
        default: return .unm
        }
    }

    static func arith(_ e: MetaEvent, _ p: Double, _ q: Double) -> Double {
        switch e {
        case .add: return p + q
        case .sub: return p - q
        case .mul: return p * q
        case .div: return p / q
        case .mod: return luaMod(p, q)
        case .pow: return luaPow(p, q)
        default: return -p
        }
    }

    /// x op y where at least one is not a number. `bslot`/`cslot` name the operands for messages
    /// (-1 for a constant).
    @inline(never)
    func arithSlow(_ op: Opcode, _ x: Value, _ y: Value, ci: UnsafeMutablePointer<CallInfo>,
                   bslot: Int, cslot: Int) throws -> Value {
        let e = LuaVM.event(for: op)
        if let p = toNumber(x), let q = toNumber(y) {
            return Value(LuaVM.arith(e, p, q))
        }
        var mm = metamethod(of: x, e)
        if mm.isNil { mm = metamethod(of: y, e) }
        if !mm.isNil {
            return try callSmall(mm, x, y, nargs: 2)
        }
        // Name the operand that is not a number (the second if the first is a numeric string).
        let badIsFirst = toNumber(x) == nil
        let bad = badIsFirst ? x : y
        let slot = badIsFirst ? bslot : cslot
        return try { throw typeError(bad, "perform arithmetic on", ci: ci, slot: slot) }()
    }

    // MARK: comparison

    @inline(never)
    func lessThan(_ x: Value, _ y: Value) throws -> Bool {
        if x.isNumber && y.isNumber { return x.number < y.number }
        if x.isString && y.isString { return compareStrings(x.string, y.string) < 0 }
        if let r = try orderMetamethod(x, y, .lt) { return r }
        throw compareError(x, y)
    }

    @inline(never)
    func lessEqual(_ x: Value, _ y: Value) throws -> Bool {
        if x.isNumber && y.isNumber { return x.number <= y.number }
        if x.isString && y.isString { return compareStrings(x.string, y.string) <= 0 }
        if let r = try orderMetamethod(x, y, .le) { return r }
        if let r = try orderMetamethod(y, x, .lt) { return !r }
        throw compareError(x, y)
    }

    func orderMetamethod(_ x: Value, _ y: Value, _ e: MetaEvent) throws -> Bool? {
        guard x.kind == y.kind || (x.isBoolean && y.isBoolean) else { return nil }
        let m1 = metamethod(of: x, e)
        if m1.isNil { return nil }
        let m2 = metamethod(of: y, e)
        guard Value.rawEqual(m1, m2) else { return nil }
        let r = try callSmall(m1, x, y, nargs: 2)
        return r.isTruthy
    }

    func compareError(_ x: Value, _ y: Value) -> LuaError {
        let t1 = x.typeName, t2 = y.typeName
        if t1 == t2 { return runtimeError("attempt to compare two \(t1) values", ci: nil) }
        return runtimeError("attempt to compare \(t1) with \(t2)", ci: nil)
    }

    func compareStrings(_ a: StringRef, _ b: StringRef) -> Int { LuaVM.compareStringBytes(a, b) }

    /// Lua's string order (bytes, then length): negative, 0 or positive.
    public static func compareStringBytes(_ a: StringRef, _ b: StringRef) -> Int {
        let la = a.count, lb = b.count
        let r = memcmp(a.bytes, b.bytes, min(la, lb))
        if r != 0 { return Int(r) }
        return la < lb ? -1 : (la > lb ? 1 : 0)
    }

    /// `==` between two tables or two userdata that are not the same object.
    @inline(never)
    func equalSlow(_ x: Value, _ y: Value) throws -> Bool {
        if x.bits == y.bits { return true }
        let m1 = metamethod(of: x, .eq)
        if m1.isNil { return false }
        let m2 = metamethod(of: y, .eq)
        guard Value.rawEqual(m1, m2) else { return false }
        return (try callSmall(m1, x, y, nargs: 2)).isTruthy
    }

    /// Lua equality with metamethods (for library use).
    func valuesEqual(_ x: Value, _ y: Value) throws -> Bool {
        if Value.rawEqual(x, y) { return true }
        if (x.isTable && y.isTable) || (x.isUserdata && y.isUserdata) { return try equalSlow(x, y) }
        return false
    }

    // MARK: length and concatenation

    @inline(never)
    func lengthSlow(_ v: Value, ci: UnsafeMutablePointer<CallInfo>, slot: Int) throws -> Value {
        if v.isUserdata {
            let mm = metamethod(of: v, .len)
            if !mm.isNil { return try callSmall(mm, v, .nil, nargs: 1) }
        }
        throw typeError(v, "get length of", ci: ci, slot: slot)
    }

    /// CAT: concatenates `count` values starting at `p` (registers firstSlot...), right to left.
    /// The caller stores the result, then runs the GC safe point.
    @inline(never)
    func concat(_ p: UnsafeMutablePointer<Value>, count: Int, ci: UnsafeMutablePointer<CallInfo>, firstSlot: Int) throws -> Value {
        // Fast path: all strings or numbers, assembled in the VM's scratch buffer.
        var allPlain = true
        var size = 0
        for i in 0..<count {
            let v = p[i]
            if v.isString { size += v.string.count } else if v.isNumber { size += 32 } else { allPlain = false; break }
        }
        if allPlain {
            let buf = scratch(size)
            var n = 0
            for i in 0..<count {
                let v = p[i]
                if v.isString {
                    let s = v.string
                    (buf + n).update(from: s.bytes, count: s.count)
                    n += s.count
                } else {
                    n += NumberText.format(v.number, into: buf + n)
                }
            }
            return Value(try heap.intern(UnsafeRawPointer(buf), count: n))
        }
        // General: right to left, pairwise with __concat where needed. Work in place in the
        // registers (they are rooted), as Lua does.
        var top = count - 1
        var acc = p[top]
        while top > 0 {
            let left = p[top - 1]
            if (left.isString || left.isNumber) && (acc.isString || acc.isNumber) {
                // Collect the maximal run of plain values ending here.
                var start = top - 1
                while start > 0 && (p[start - 1].isString || p[start - 1].isNumber) { start -= 1 }
                var buf: [UInt8] = []
                for i in start..<top { appendPlain(&buf, p[i]) }
                appendPlain(&buf, acc)
                acc = Value(try heap.intern(buf))
                top = start
            } else {
                var mm = metamethod(of: left, .concat)
                if mm.isNil { mm = metamethod(of: acc, .concat) }
                if mm.isNil {
                    let badIsLeft = !(left.isString || left.isNumber)
                    let bad = badIsLeft ? left : acc
                    let slot = badIsLeft ? firstSlot + top - 1 : firstSlot + top
                    throw typeError(bad, "concatenate", ci: ci, slot: slot)
                }
                acc = try callSmall(mm, left, acc, nargs: 2)
                top -= 1
            }
            p[top] = acc
        }
        return acc
    }

    /// A scratch byte buffer of at least n bytes (reused; valid until the next call).
    func scratch(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if n > scratchSize {
            scratchBuffer?.deallocate()
            scratchSize = max(n, scratchSize * 2, 256)
            scratchBuffer = .allocate(capacity: scratchSize)
        }
        return scratchBuffer.unsafelyUnwrapped
    }

    func appendPlain(_ buf: inout [UInt8], _ v: Value) {
        if v.isString {
            buf.append(contentsOf: v.string.buffer)
        } else {
            buf.append(contentsOf: NumberText.format(v.number).utf8)
        }
    }

    // MARK: indexing

    /// t[k] with __index (t is not a table, or the raw lookup gave nil and t has a metatable).
    @inline(never)
    func indexSlow(_ t: Value, _ key: Value, ci: UnsafeMutablePointer<CallInfo>?, slot: Int) throws -> Value {
        var obj = t
        for _ in 0..<100 {
            let mm: Value
            if obj.isTable {
                let tab = obj.table
                let v = tableGet(tab, key)
                if !v.isNil { return v }
                guard let mt = tab.pointee.metatable else { return .nil }
                mm = metamethod(mt, .index)
                if mm.isNil { return .nil }
            } else {
                mm = metamethod(of: obj, .index)
                if mm.isNil {
                    if let ci = ci, obj.bits == t.bits { throw typeError(obj, "index", ci: ci, slot: slot) }
                    throw runtimeError("attempt to index a \(obj.typeName) value", ci: ci)
                }
            }
            if mm.isFunction {
                return try callSmall(mm, obj, key, nargs: 2)
            }
            obj = mm
        }
        throw runtimeError("loop in gettable", ci: ci)
    }

    /// Library-level t[k] (with metamethods).
    func index(_ t: Value, _ key: Value) throws -> Value {
        if t.isTable {
            let v = tableGet(t.table, key)
            if !v.isNil || t.table.pointee.metatable == nil { return v }
        }
        return try indexSlow(t, key, ci: nil, slot: -1)
    }

    /// t[k] = v with __newindex.
    @inline(never)
    func store(_ t: Value, _ key: Value, _ v: Value, ci: UnsafeMutablePointer<CallInfo>?, slot: Int) throws {
        var obj = t
        for _ in 0..<100 {
            let mm: Value
            if obj.isTable {
                let tab = obj.table
                if let mt = tab.pointee.metatable {
                    mm = metamethod(mt, .newindex)
                    if mm.isNil || !tableGet(tab, key).isNil {
                        try rawSet(tab, key, v, ci: ci)
                        return
                    }
                } else {
                    try rawSet(tab, key, v, ci: ci)
                    return
                }
            } else {
                mm = metamethod(of: obj, .newindex)
                if mm.isNil {
                    if let ci = ci, obj.bits == t.bits { throw typeError(obj, "index", ci: ci, slot: slot) }
                    throw runtimeError("attempt to index a \(obj.typeName) value", ci: ci)
                }
            }
            if mm.isFunction {
                _ = try callSmall(mm, obj, key, v, nargs: 3, wanted: 0)
                return
            }
            obj = mm
        }
        throw runtimeError("loop in settable", ci: ci)
    }

    /// t[string k] = v for a table t (TSETS, GSET).
    @inline(__always)
    func storeStr(_ t: TableRef, _ key: Value, _ v: Value, ci: UnsafeMutablePointer<CallInfo>) throws {
        if t.pointee.metatable == nil {
            try rawSetStr(t, key.string, v)
        } else {
            try store(Value(t), key, v, ci: ci, slot: -1)
        }
    }

    /// A raw store that turns data-layer errors into Lua errors at the current position.
    func rawSet(_ t: TableRef, _ key: Value, _ v: Value, ci: UnsafeMutablePointer<CallInfo>?) throws {
        do {
            try tableSet(t, key, v)
        } catch let e as HeapError {
            if e == .outOfMemory { throw e }  // "not enough memory" carries no position (as LuaJIT)
            throw runtimeError(e.message, ci: ci)
        }
    }

    // MARK: numeric for

    func forNumber(_ v: Value, _ what: String, ci: UnsafeMutablePointer<CallInfo>) throws -> Double {
        if v.isNumber { return v.number }
        if v.isString, let d = NumberText.parse(v.string) { return d }
        throw runtimeError("'for' \(what) must be a number", ci: ci)
    }
}

import Glibc
