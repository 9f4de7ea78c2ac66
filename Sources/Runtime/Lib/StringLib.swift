// The string library (Lua 5.1 as LuaJIT 2.1 has it): len, sub, upper, lower, rep, reverse, byte,
// char, format (StringFormat.swift), find, match, gmatch, gsub (patterns: LuaPattern.swift).
//
// Byte work happens on the interned strings' bytes directly (no Swift String round trips); results
// are interned from a malloc'd ByteBuffer or straight from the source bytes (sub). Integer arguments
// are converted as LuaJIT does (int32 truncation). The string metatable (its __index is this table)
// is created by the base library, so `s:upper()` works once these functions are registered.
import CVM
import Glibc

extension LuaVM {
    /// Lua 5.1's posrelat: negative positions count from the end.
    @inline(__always) static func posRelative(_ pos: Int, _ len: Int) -> Int {
        if pos < 0 { return len + pos + 1 }
        return pos
    }

    func patternError(_ e: PatternError) -> LuaError { runtimeError(e.message, ci: nil) }

    func registerStringLibrary() {
        let gmatchIter: Value
        do {
            gmatchIter = try makeBuiltin("gmatch_aux") { vm, a in try vm.gmatchStep(a) }
            pinned.append(gmatchIter)
        } catch { return }
        let gmatchID = Int(gmatchIter.nativeFunction.pointee.builtin)
        registerLibrary("string", [
            ("len", { vm, a in
                let s = try vm.libString(a, 0)
                a.base[0] = Value(Double(s.count))
                return 1
            }),
            ("sub", { vm, a in
                let s = try vm.libString(a, 0)
                let l = s.count
                var i = LuaVM.posRelative(try vm.libOptInt(a, 1, 1), l)
                var j = LuaVM.posRelative(try vm.libOptInt(a, 2, -1), l)
                if i < 1 { i = 1 }
                if j > l { j = l }
                if i > j { a.base[0] = try vm.libEmptyString(); return 1 }
                if i == 1 && j == l { a.base[0] = Value(s); return 1 }  // the whole string: itself
                a.base[0] = try vm.libStringValue(s.bytePtr + (i - 1), j - i + 1)
                return 1
            }),
            ("upper", { vm, a in try vm.mapBytes(a) { luaIsLower($0) ? $0 &- 32 : $0 } }),
            ("lower", { vm, a in try vm.mapBytes(a) { luaIsUpper($0) ? $0 &+ 32 : $0 } }),
            ("rep", { vm, a in try vm.stringRep(a) }),
            ("reverse", { vm, a in
                let s = try vm.libString(a, 0)
                let n = s.count
                let b = ByteBuffer(capacity: n)
                defer { b.free() }
                let src = s.bytePtr
                var i = 0
                while i < n { b.p[i] = src[n - 1 - i]; i += 1 }
                a.base[0] = try vm.libStringValue(b.p, n)
                return 1
            }),
            ("byte", { vm, a in
                let s = try vm.libString(a, 0)
                let l = s.count
                let i0 = try vm.libOptInt(a, 1, 1)
                var i = LuaVM.posRelative(i0, l)
                var j = LuaVM.posRelative(try vm.libOptInt(a, 2, i0), l)
                if i <= 0 { i = 1 }
                if j > l { j = l }
                if i > j { return 0 }
                let n = j - i + 1
                // Numbers need no GC rooting, and callNative keeps 40 slots past the arguments
                // in the stack: only longer results need the stack checked and the top raised.
                if n > 40 { try vm.ensureResults(a, n) }
                let src = s.bytePtr + (i - 1)
                var k = 0
                while k < n { a.base[k] = Value(Double(src[k])); k += 1 }
                return n
            }),
            ("char", { vm, a in
                let n = a.count
                let b = ByteBuffer(capacity: n)
                defer { b.free() }
                var k = 0
                while k < n {
                    let c = try vm.libInt(a, k)
                    if c < 0 || c > 255 { throw vm.libArgError(k + 1, "invalid value") }
                    b.p[k] = UInt8(c)
                    k += 1
                }
                a.base[0] = try vm.libStringValue(b.p, n)
                return 1
            }),
            ("format", { vm, a in try vm.stringFormat(a) }),
            ("find", { vm, a in try vm.stringFind(a, find: true) }),
            ("match", { vm, a in try vm.stringFind(a, find: false) }),
            ("gmatch", { vm, a in
                let s = try vm.libString(a, 0)
                let p = try vm.libString(a, 1)
                a.base[0] = try vm.makeNativeClosure(builtin: gmatchID, upvalues: [Value(s), Value(p), Value(0.0)])
                return 1
            }),
            ("gsub", { vm, a in try vm.stringGsub(a) }),
            ("dump", { vm, a in
                guard a[0].isFunction else { throw vm.libTypeError(a, 0, "function") }
                // Not supported yet: a Lua function would need its prototype as a .bc image.
                throw vm.runtimeError("unable to dump given function", ci: nil)
            }),
        ])
    }

    private func mapBytes(_ a: NativeArgs, _ f: (UInt8) -> UInt8) throws -> Int {
        let s = try libString(a, 0)
        let n = s.count
        let b = ByteBuffer(capacity: n)
        defer { b.free() }
        let src = s.bytePtr
        var i = 0
        while i < n { b.p[i] = f(src[i]); i += 1 }
        a.base[0] = try libStringValue(b.p, n)
        return 1
    }

    private func stringRep(_ a: NativeArgs) throws -> Int {
        let s = try libString(a, 0)
        let n = try libInt(a, 1)
        let sep = try libOptString(a, 2)
        let l = s.count
        let sl = sep?.count ?? 0
        if n <= 0 || (l == 0 && sl == 0) { a.base[0] = try libEmptyString(); return 1 }
        let total = l * n + sl * (n - 1)
        if total >= Int(Int32.max) || total > heap.maxMemory { throw runtimeError("not enough memory", ci: nil) }
        var b = ByteBuffer(capacity: total)
        defer { b.free() }
        let src = s.bytePtr
        var k = 0
        while k < n {
            if k > 0, let sep { b.append(sep.bytePtr, sl) }
            b.append(src, l)
            k += 1
        }
        a.base[0] = try libStringValue(b.p, b.count)
        return 1
    }

    /// string.find (find: true) and string.match.
    private func stringFind(_ a: NativeArgs, find: Bool) throws -> Int {
        let s = try libString(a, 0)
        let p = try libString(a, 1)
        let ls = s.count
        var start = LuaVM.posRelative(try libOptInt(a, 2, 1), ls) - 1
        if start < 0 { start = 0 } else if start > ls { start = ls }
        let sp = s.bytePtr, pp = p.bytePtr
        let lp = p.count
        if find && (a[3].isTruthy || patternHasNoSpecials(pp, lp)) {
            let idx = plainFind(sp, ls, pp, lp, from: start)
            if idx < 0 { a.base[0] = .nil; return 1 }
            a.base[0] = Value(Double(idx + 1))
            a.base[1] = Value(Double(idx + lp))
            return 2
        }
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * PatternLimits.maxCaptures) { caps in
            let anchor = lp > 0 && pp[0] == 94
            var m = LuaMatcher(s: sp, sLen: ls, p: pp + (anchor ? 1 : 0), pLen: lp - (anchor ? 1 : 0), caps: caps.baseAddress!)
            let first = anchor ? PatternStart() : PatternStart(m.p, m.pLen)
            var s1 = start
            do {
                while true {
                    if first.kind != .none {
                        s1 = first.next(sp, s1, ls)
                        if s1 >= ls { break }
                    }
                    m.level = 0
                    let e = try m.match(s1, 0)
                    if e != -1 {
                        if find {
                            let nc = m.level
                            if nc > 0 { try ensureResults(a, nc + 2) }  // two numbers fit (see byte)
                            a.base[0] = Value(Double(s1 + 1))
                            a.base[1] = Value(Double(e))
                            var i = 0
                            while i < nc { a.base[2 + i] = try m.capture(i, s1, e, heap); i += 1 }
                            return nc + 2
                        }
                        let nc = m.captureCount(whole: true)
                        try ensureResults(a, nc)
                        var i = 0
                        while i < nc { a.base[i] = try m.capture(i, s1, e, heap); i += 1 }
                        return nc
                    }
                    if anchor || s1 >= ls { break }
                    s1 += 1
                }
            } catch let e as PatternError {
                throw patternError(e)
            }
            a.base[0] = .nil
            return 1
        }
    }

    /// The gmatch iterator: upvalues (subject, pattern, next start position).
    func gmatchStep(_ a: NativeArgs) throws -> Int {
        let uv = a.fn.upvalues
        let s = uv[0].string, p = uv[1].string
        let ls = s.count
        var src = Int(uv[2].number)
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * PatternLimits.maxCaptures) { caps in
            var m = LuaMatcher(s: s.bytePtr, sLen: ls, p: p.bytePtr, pLen: p.count, caps: caps.baseAddress!)
            let first = PatternStart(m.p, m.pLen)
            do {
                while src <= ls {
                    if first.kind != .none {
                        src = first.next(m.s, src, ls)
                        if src >= ls { break }
                    }
                    m.level = 0
                    let e = try m.match(src, 0)
                    if e != -1 {
                        uv[2] = Value(Double(e == src ? e + 1 : e))
                        let nc = m.captureCount(whole: true)
                        try ensureResults(a, nc)
                        var i = 0
                        while i < nc { a.base[i] = try m.capture(i, src, e, heap); i += 1 }
                        return nc
                    }
                    src += 1
                }
            } catch let e as PatternError {
                throw patternError(e)
            }
            uv[2] = Value(Double(ls + 1))
            return 0
        }
    }

    private func stringGsub(_ a: NativeArgs) throws -> Int {
        let s = try libString(a, 0)
        let p = try libString(a, 1)
        let ls = s.count
        let repl = a[2]
        if !(repl.isNumber || repl.isString || repl.isTable || repl.isFunction) {
            throw libArgError(3, "string/function/table expected")
        }
        let maxN = try libOptInt(a, 3, ls + 1)
        var replS: StringRef? = nil
        if repl.isString || repl.isNumber { replS = try libString(a, 2) }
        let sp = s.bytePtr, pp = p.bytePtr
        let lp = p.count
        var out = ByteBuffer(capacity: ls + 16)
        defer { out.free() }
        let count: Int = try withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * PatternLimits.maxCaptures) { caps in
            let anchor = lp > 0 && pp[0] == 94
            var m = LuaMatcher(s: sp, sLen: ls, p: pp + (anchor ? 1 : 0), pLen: lp - (anchor ? 1 : 0), caps: caps.baseAddress!)
            let first = anchor ? PatternStart() : PatternStart(m.p, m.pLen)
            var si = 0
            var n = 0
            do {
                while n < maxN {
                    if first.kind != .none {
                        // Copy the stretch where no match can begin in one go.
                        let j = first.next(sp, si, ls)
                        out.append(sp + si, j - si)
                        si = j
                        if si >= ls { break }
                    }
                    m.level = 0
                    let e = try m.match(si, 0)
                    if e != -1 {
                        n += 1
                        try gsubAdd(&out, &m, si, e, repl, replS)
                    }
                    if e != -1 && e > si {
                        si = e
                    } else if si < ls {
                        out.append(sp[si])
                        si += 1
                    } else {
                        break
                    }
                    if anchor { break }
                }
            } catch let e as PatternError {
                throw patternError(e)
            }
            if si < ls { out.append(sp + si, ls - si) }
            return n
        }
        // No replacement: the result has the subject's bytes, so it is the subject (interned).
        a.base[0] = count == 0 ? Value(s) : try libStringValue(out.p, out.count)
        a.base[1] = Value(Double(count))
        return 2
    }

    private func gsubAdd(_ out: inout ByteBuffer, _ m: inout LuaMatcher, _ si: Int, _ e: Int, _ repl: Value,
                         _ replS: StringRef?) throws {
        if let r = replS {
            let rp = r.bytePtr
            let rl = r.count
            var i = 0
            while i < rl {
                let c = rp[i]
                if c != 37 { out.append(c); i += 1; continue }
                i += 1
                let d = rp[i]  // may be the terminating NUL, as in Lua 5.1
                if !luaIsDigit(d) {
                    out.append(d)
                } else if d == 48 {
                    out.append(m.s + si, e - si)
                } else {
                    let v = try m.capture(Int(d) - 49, si, e, heap)
                    if v.isString { out.append(v.string) } else { out.append(NumberText.format(v.number)) }
                }
                i += 1
            }
            return
        }
        let v: Value
        if repl.isTable {
            let key = try m.capture(0, si, e, heap)
            v = try index(repl, key)
        } else {
            let nc = m.captureCount(whole: true)
            v = try withUnsafeTemporaryAllocation(of: Value.self, capacity: nc) { vals in
                var i = 0
                while i < nc { vals[i] = try m.capture(i, si, e, heap); i += 1 }
                return try libCallN(repl, vals.baseAddress!, nc)
            }
        }
        if v.isFalsy {
            out.append(m.s + si, e - si)
        } else if v.isString {
            out.append(v.string)
        } else if v.isNumber {
            out.append(NumberText.format(v.number))
        } else {
            throw runtimeError("invalid replacement value (a \(v.typeName))", ci: nil)
        }
    }

    /// Calls f with n arguments (copied onto the stack) and returns its first result.
    func libCallN(_ f: Value, _ args: UnsafePointer<Value>, _ nargs: Int) throws -> Value {
        let L = currentThread
        let co = coState(L)
        var top = stackBase(L) + Int(L.pointee.top)
        if co.pointee.ciCount > 0 {
            let ci = co.pointee.cis + (co.pointee.ciCount - 1)
            if ci.pointee.top > top { top = ci.pointee.top }
        }
        if top + nargs + 1 + InterpLimits.stackMargin > co.pointee.stackLimit { throw stackOverflow(L, co) }
        top[0] = f
        var i = 0
        while i < nargs { top[1 + i] = args[i]; i += 1 }
        let savedTop = L.pointee.top
        let newTop = top + 1 + nargs
        L.pointee.top = UInt32(newTop - stackBase(L))
        if newTop > co.pointee.highWater { co.pointee.highWater = newTop }
        defer { L.pointee.top = savedTop }
        let n = try callAt(L, co, fn: top, nargs: nargs, wanted: 1)
        return n > 0 ? top[0] : .nil
    }
}
