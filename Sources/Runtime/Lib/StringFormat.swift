// string.format as LuaJIT 2.1 does it.
//
// Each conversion spec is `%[flags][width][.precision]conv`: flags any of `-+ #0` (repeats allowed),
// width and precision at most two digits each (a third digit is an "invalid option" error naming
// the spec so far). Conversions:
//   d i        number -> int64 by truncation (cvttsd2si: out of range and NaN give INT64_MIN)
//   u o x X    the same int64, printed as unsigned 64-bit
//   c          the byte of the number's int32 value
//   e E f F g G a A   doubles through libc; NaN always prints as "nan" (LuaJIT ignores its sign)
//   s          tostring (with __tostring), precision truncates, width pads; any length, any bytes
//   q          a Lua-readable quoted string (control bytes as \ddd-style escapes)
//   %          a percent sign
// Numbers go through snprintf (tj_format_double) into a stack buffer (every spec is at most 99 wide and 99 precise,
// so 512 bytes always suffice).
import CVM
import Glibc

extension LuaVM {
    /// Appends d formatted by the C spec: f[0] == '%', flags f[1 ..< flagsEnd] (repeats dropped: the
    /// flags are a set, and LuaJIT accepts any number), width/precision f[flagsEnd ..< specEnd], then
    /// conv. At most 512 bytes come out (widths and precisions are at most 99).
    private func formatDouble(_ out: inout ByteBuffer, _ d: Double, _ f: UnsafePointer<UInt8>, _ flagsEnd: Int,
                              _ specEnd: Int, _ conv: UInt8) -> Int {
        // One stack block: [0, 32) the NUL-terminated spec (at most 1 + 5 + 6 + 2 bytes), [32, 544)
        // the output.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 544) { block in
            let spec = block.baseAddress!
            spec[0] = 37
            var k = 1
            var q = 1
            while q < flagsEnd {
                var seen = false
                var r = 1
                while r < k { if spec[r] == f[q] { seen = true }; r += 1 }
                if !seen { spec[k] = f[q]; k += 1 }
                q += 1
            }
            while q < specEnd { spec[k] = f[q]; k += 1; q += 1 }
            spec[k] = conv; spec[k + 1] = 0
            let buf = spec + 32
            let len = Int(spec.withMemoryRebound(to: CChar.self, capacity: 32) { sp in
                buf.withMemoryRebound(to: CChar.self, capacity: 512) { tj_format_double($0, 512, sp, d) }
            })
            out.append(buf, len)
            return len
        }
    }

    func stringFormat(_ a: NativeArgs) throws -> Int {
        let fmtS = try libString(a, 0)
        let f = fmtS.bytePtr
        let n = fmtS.count
        var out = ByteBuffer(capacity: n + 16)
        defer { out.free() }
        var arg = 0
        var i = 0
        while i < n {
            let c = f[i]
            if c != 37 { out.append(c); i += 1; continue }
            i += 1
            if i < n && f[i] == 37 { out.append(37); i += 1; continue }
            // Parse the spec.
            let specStart = i - 1
            var leftAlign = false
            var flagsEnd = i
            while flagsEnd < n {
                let fc = f[flagsEnd]
                if fc == 45 || fc == 43 || fc == 32 || fc == 35 || fc == 48 {
                    if fc == 45 { leftAlign = true }
                    flagsEnd += 1
                } else { break }
            }
            var j = flagsEnd
            var width = 0
            var digits = 0
            while j < n && luaIsDigit(f[j]) {
                digits += 1
                if digits > 2 { throw formatOptionError(f + specStart, j + 1 - specStart) }
                width = width * 10 + Int(f[j] - 48)
                j += 1
            }
            var precision = -1
            if j < n && f[j] == 46 {
                j += 1
                precision = 0
                digits = 0
                while j < n && luaIsDigit(f[j]) {
                    digits += 1
                    if digits > 2 { throw formatOptionError(f + specStart, j + 1 - specStart) }
                    precision = precision * 10 + Int(f[j] - 48)
                    j += 1
                }
            }
            if j >= n { throw formatOptionError(f + specStart, j - specStart) }
            let conv = f[j]
            let specLen = j + 1 - specStart
            i = j + 1
            arg += 1
            switch conv {
            case 100, 105:  // d i
                let v = luaNumToInt64(try formatNumber(a, arg))
                appendInteger(&out, v.magnitude, negative: v < 0, conv: conv, flags: f + specStart + 1,
                              nflags: flagsEnd - specStart - 1, width: width, precision: precision)
            case 117, 111, 120, 88:  // u o x X
                let v = UInt64(bitPattern: luaNumToInt64(try formatNumber(a, arg)))
                appendInteger(&out, v, negative: false, conv: conv, flags: f + specStart + 1,
                              nflags: flagsEnd - specStart - 1, width: width, precision: precision)
            case 101, 69, 102, 70, 103, 71, 97, 65:  // e E f F g G a A
                var d = try formatNumber(a, arg)
                var tie = false
                if d.isNaN { d = Double.nan } else { tie = formatIsTie(d, conv: conv, precision: precision) }
                // glibc's printf rounds in the current rounding mode: for an exact tie, rounding
                // toward the sign's infinity is rounding away from zero, as LuaJIT does.
                let savedMode = tie ? fegetround() : 0
                if tie { fesetround(d < 0 ? FE_DOWNWARD : FE_UPWARD) }
                _ = formatDouble(&out, d, f + specStart, flagsEnd - specStart, j - specStart, conv)
                if tie { fesetround(savedMode) }
            case 99:  // c
                let ch = UInt8(truncatingIfNeeded: luaNumToInt32(try formatNumber(a, arg)))
                var one = ch
                appendPadded(&out, &one, 1, width: width, left: leftAlign)
            case 115:  // s
                if arg >= a.count { throw libArgError(arg + 1, "value expected") }
                var sv = a.base[arg]
                if !sv.isString {
                    sv = try tostring(sv)
                    guard sv.isString else { throw runtimeError("'tostring' must return a string to 'format'", ci: nil) }
                    a.base[arg] = sv
                }
                let s = sv.string
                var len = s.count
                if precision >= 0 && precision < len { len = precision }
                appendPadded(&out, s.bytes, len, width: width, left: leftAlign)
            case 113:  // q
                let s = try libString(a, arg)
                appendQuoted(&out, s.bytePtr, s.count)
            default:
                throw formatOptionError(f + specStart, specLen)
            }
        }
        a.base[0] = try libStringValue(out.p, out.count)
        return 1
    }

    /// LuaJIT's formatter rounds exact decimal ties (0.5, 2.5, 0.125 at 2 places) away from zero;
    /// glibc rounds them to even. Is x exactly halfway between two results at this precision?
    private func formatIsTie(_ x: Double, conv: UInt8, precision: Int) -> Bool {
        if !x.isFinite || x == 0 { return false }
        let prec = precision < 0 ? 6 : precision
        let e10 = Int(Glibc.floor(Glibc.log10(Swift.abs(x))))
        let d: Int
        switch conv | 32 {
        case 102: d = prec
        case 101: d = prec - e10
        case 103: d = (prec == 0 ? 1 : prec) - 1 - e10
        default: return false
        }
        var tie = false
        if d >= 0 {
            if d < 1100 {
                let y = Glibc.scalbn(x, Int32(d + 1))
                tie = y.isFinite && Swift.abs(y) < 9007199254740992.0 && y == y.rounded(.towardZero)
                    && Glibc.fmod(y, 2) != 0
            }
        } else if -d - 1 <= 15 && Swift.abs(x) < 9e15 && x == x.rounded(.towardZero) {
            var unit: Int64 = 5
            for _ in 0..<(-d - 1) { unit *= 10 }
            let xi = Int64(x)
            tie = xi % unit == 0 && (xi / unit) % 2 != 0
        }
        return tie
    }

    private func formatNumber(_ a: NativeArgs, _ i: Int) throws -> Double {
        if i >= a.count { throw libArgError(i + 1, "value expected") }
        return try libNumber(a, i)
    }

    /// C's integer conversions (d i u o x X) with flags, width and precision, written directly
    /// (vsnprintf through Swift's CVarArg boxing costs more than the whole conversion).
    private func appendInteger(_ out: inout ByteBuffer, _ mag: UInt64, negative: Bool, conv: UInt8,
                               flags: UnsafePointer<UInt8>, nflags: Int, width: Int, precision: Int) {
        var left = false, plus = false, space = false, alt = false, zero = false
        for i in 0..<nflags {
            switch flags[i] {
            case 45: left = true
            case 43: plus = true
            case 32: space = true
            case 35: alt = true
            default: zero = true
            }
        }
        let signed = conv == 100 || conv == 105
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: octal UInt64 needs 22
        var nd = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            let d = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let base: UInt64 = conv == 111 ? 8 : (conv == 120 || conv == 88 ? 16 : 10)
            let hex: StaticString = conv == 88 ? "0123456789ABCDEF" : "0123456789abcdef"
            var m = mag
            while m != 0 { d[23 - nd] = hex.utf8Start[Int(m % base)]; m /= base; nd += 1 }
        }
        var prec = precision
        if prec < 0 { prec = 1 } else { zero = false }
        var nzeros = max(prec - nd, 0)
        if alt && conv == 111 && nzeros == 0 { nzeros = 1 }  // '#' with o: the first digit is 0
        var prefix: (UInt8, UInt8) = (0, 0)
        var np = 0
        if signed {
            if negative { prefix.0 = 45; np = 1 } else if plus { prefix.0 = 43; np = 1 } else if space { prefix.0 = 32; np = 1 }
        } else if alt && mag != 0 && (conv == 120 || conv == 88) {
            prefix = (48, conv); np = 2
        }
        let body = np + nzeros + nd
        let pad = max(width - body, 0)
        if !left && !zero { for _ in 0..<pad { out.append(32) } }
        if np > 0 { out.append(prefix.0) }
        if np > 1 { out.append(prefix.1) }
        if !left && zero { for _ in 0..<pad { out.append(48) } }
        for _ in 0..<nzeros { out.append(48) }
        withUnsafeBytes(of: &digits) { raw in
            let d = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            out.append(d + (24 - nd), nd)
        }
        if left { for _ in 0..<pad { out.append(32) } }
    }

    private func formatOptionError(_ p: UnsafePointer<UInt8>, _ n: Int) -> LuaError {
        let spec = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        return runtimeError("invalid option '\(spec)' to 'format'", ci: nil)
    }

    private func appendPadded(_ out: inout ByteBuffer, _ p: UnsafePointer<UInt8>, _ n: Int, width: Int, left: Bool) {
        let pad = width - n
        if !left && pad > 0 { for _ in 0..<pad { out.append(32) } }
        out.append(p, n)
        if left && pad > 0 { for _ in 0..<pad { out.append(32) } }
    }

    /// %q: quotes, escapes `"` `\` and newline with a backslash, control bytes as \N (\NNN before a digit).
    func appendQuoted(_ out: inout ByteBuffer, _ p: UnsafePointer<UInt8>, _ n: Int) {
        out.append(34)
        var i = 0
        while i < n {
            let c = p[i]
            if c == 34 || c == 92 || c == 10 {
                out.append(92); out.append(c)
            } else if c == 13 || c == 0 || luaIsCntrl(c) {
                out.append(92)
                let nextIsDigit = i + 1 < n && luaIsDigit(p[i + 1])
                let v = Int(c)
                if nextIsDigit || v >= 100 {
                    out.append(UInt8(48 + v / 100)); out.append(UInt8(48 + (v / 10) % 10)); out.append(UInt8(48 + v % 10))
                } else if v >= 10 {
                    out.append(UInt8(48 + v / 10)); out.append(UInt8(48 + v % 10))
                } else {
                    out.append(UInt8(48 + v))
                }
            } else {
                out.append(c)
            }
            i += 1
        }
        out.append(34)
    }
}
