// Lua 5.1 patterns: the backtracking matcher behind string.find, match, gmatch and gsub.
//
// A pattern is a sequence of single-character classes (a literal, `.`, `%a`-style classes, sets
// `[...]`/`[^...]`), each optionally followed by a quantifier (`*` longest, `+` longest one or more,
// `-` shortest, `?` optional), plus captures `(...)` and position captures `()`, back-references
// `%1`-`%9`, balanced matches `%bxy`, frontiers `%f[set]`, and the anchors `^` (only at the start of
// find/match/gsub patterns) and `$` (only at the very end).
//
// The matcher works on byte indices into the subject and the pattern (both NUL-terminated after
// their length, which Lua 5.1's rules rely on: `%f` sees '\0' before the subject's start and after its
// end, and a set's scan stops at a NUL byte). `match` returns the end index of a match starting at
// `s`, or -1. Recursion happens only for captures, `?`, `*`/`+`/`-` continuations; its depth is
// limited (LuaJIT's 200 levels: "pattern too complex"). Captures live in caller-provided storage
// (32 of them, as LUA_MAXCAPTURES), so a match allocates nothing.
import CVM
import Glibc

struct PatternError: Error {
    let message: String
}

@inline(__always) func luaIsAlpha(_ c: UInt8) -> Bool { (c | 32) >= 97 && (c | 32) <= 122 }
@inline(__always) func luaIsDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
@inline(__always) func luaIsSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }
@inline(__always) func luaIsLower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
@inline(__always) func luaIsUpper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
@inline(__always) func luaIsCntrl(_ c: UInt8) -> Bool { c < 32 || c == 127 }
@inline(__always) func luaIsAlnum(_ c: UInt8) -> Bool { luaIsAlpha(c) || luaIsDigit(c) }
@inline(__always) func luaIsPunct(_ c: UInt8) -> Bool { c > 32 && c < 127 && !luaIsAlnum(c) }
@inline(__always) func luaIsXDigit(_ c: UInt8) -> Bool { luaIsDigit(c) || ((c | 32) >= 97 && (c | 32) <= 102) }

enum PatternLimits {
    static let maxCaptures = 32
    static let maxDepth = 200
    static let capUnfinished = -1
    static let capPosition = -2
}

struct LuaMatcher {
    let s: UnsafePointer<UInt8>
    let sLen: Int
    let p: UnsafePointer<UInt8>
    let pLen: Int
    var level = 0
    var depth = 0
    /// [0, 32): capture starts; [32, 64): capture lengths (or capUnfinished / capPosition).
    let caps: UnsafeMutablePointer<Int>

    init(s: UnsafePointer<UInt8>, sLen: Int, p: UnsafePointer<UInt8>, pLen: Int, caps: UnsafeMutablePointer<Int>) {
        self.s = s; self.sLen = sLen; self.p = p; self.pLen = pLen; self.caps = caps
    }

    @inline(__always) func capStart(_ i: Int) -> Int { caps[i] }
    @inline(__always) func capLen(_ i: Int) -> Int { caps[PatternLimits.maxCaptures + i] }
    @inline(__always) func setCap(_ i: Int, start: Int, len: Int) {
        caps[i] = start; caps[PatternLimits.maxCaptures + i] = len
    }

    /// The index just past the single-character class at `pi`.
    func classEnd(_ pi: Int) throws -> Int {
        let c = p[pi]
        var q = pi + 1
        if c == 37 {  // %
            if q >= pLen { throw PatternError(message: "malformed pattern (ends with '%')") }
            return q + 1
        }
        if c == 91 {  // [
            if q < pLen && p[q] == 94 { q += 1 }
            // The first character is part of the set even when it is ']'.
            repeat {
                if q >= pLen || p[q] == 0 { throw PatternError(message: "malformed pattern (missing ']')") }
                let cc = p[q]
                q += 1
                if cc == 37 && q < pLen && p[q] != 0 { q += 1 }
            } while q >= pLen || p[q] != 93
            return q + 1
        }
        return q
    }

    @inline(__always) static func matchClass(_ c: UInt8, _ cl: UInt8) -> Bool {
        let r: Bool
        switch cl | 32 {
        case 97: r = luaIsAlpha(c)          // a
        case 99: r = luaIsCntrl(c)          // c
        case 100: r = luaIsDigit(c)         // d
        case 108: r = luaIsLower(c)         // l
        case 112: r = luaIsPunct(c)         // p
        case 115: r = luaIsSpace(c)         // s
        case 117: r = luaIsUpper(c)         // u
        case 119: r = luaIsAlnum(c)         // w
        case 120: r = luaIsXDigit(c)        // x
        case 122: r = c == 0                // z
        default: return cl == c
        }
        return luaIsUpper(cl) ? !r : r
    }

    /// Does c belong to the set [pi, ec] (p[pi] == '[', p[ec] == ']')?
    func matchBracket(_ c: UInt8, _ pi: Int, _ ec: Int) -> Bool {
        var sig = true
        var i = pi + 1
        if p[i] == 94 { sig = false; i += 1 }
        while i < ec {
            if p[i] == 37 {
                i += 1
                if LuaMatcher.matchClass(c, p[i]) { return sig }
                i += 1
            } else if i + 2 < ec && p[i + 1] == 45 {
                if p[i] <= c && c <= p[i + 2] { return sig }
                i += 3
            } else {
                if p[i] == c { return sig }
                i += 1
            }
        }
        return !sig
    }

    @inline(__always) func singleMatch(_ c: UInt8, _ pi: Int, _ ep: Int) -> Bool {
        switch p[pi] {
        case 46: return true                                    // .
        case 37: return LuaMatcher.matchClass(c, p[pi + 1])     // %
        case 91: return matchBracket(c, pi, ep - 1)             // [
        default: return p[pi] == c
        }
    }

    mutating func match(_ sInit: Int, _ pInit: Int) throws -> Int {
        depth += 1
        if depth > PatternLimits.maxDepth { throw PatternError(message: "pattern too complex") }
        defer { depth -= 1 }
        var si = sInit
        var pi = pInit
        while true {
            if pi >= pLen { return si }
            let c = p[pi]
            if c == 40 {  // (
                if pi + 1 < pLen && p[pi + 1] == 41 { return try startCapture(si, pi + 2, PatternLimits.capPosition) }
                return try startCapture(si, pi + 1, PatternLimits.capUnfinished)
            }
            if c == 41 { return try endCapture(si, pi + 1) }  // )
            if c == 36 && pi + 1 == pLen { return si == sLen ? si : -1 }  // $ at the end
            if c == 37 && pi + 1 < pLen {
                let n = p[pi + 1]
                if n == 98 {  // %b
                    si = try matchBalance(si, pi + 2)
                    if si == -1 { return -1 }
                    pi += 4
                    continue
                }
                if n == 102 {  // %f
                    pi += 2
                    guard pi < pLen && p[pi] == 91 else {
                        throw PatternError(message: "missing '[' after '%f' in pattern")
                    }
                    let ep = try classEnd(pi)
                    let prev: UInt8 = si == 0 ? 0 : s[si - 1]
                    let cur: UInt8 = si < sLen ? s[si] : 0
                    if !matchBracket(prev, pi, ep - 1) && matchBracket(cur, pi, ep - 1) { pi = ep; continue }
                    return -1
                }
                if luaIsDigit(n) {  // back-reference
                    si = try matchBackReference(si, n)
                    if si == -1 { return -1 }
                    pi += 2
                    continue
                }
            }
            let ep = try classEnd(pi)
            let m = si < sLen && singleMatch(s[si], pi, ep)
            let q: UInt8 = ep < pLen ? p[ep] : 0
            switch q {
            case 63:  // ?
                if m {
                    let r = try match(si + 1, ep + 1)
                    if r != -1 { return r }
                }
                pi = ep + 1
            case 42:  // *
                return try maxExpand(si, pi, ep)
            case 43:  // +
                return m ? try maxExpand(si + 1, pi, ep) : -1
            case 45:  // -
                return try minExpand(si, pi, ep)
            default:
                if !m { return -1 }
                si += 1
                pi = ep
            }
        }
    }

    mutating func maxExpand(_ si: Int, _ pi: Int, _ ep: Int) throws -> Int {
        var i = runLength(si, pi, ep)
        while i >= 0 {
            let r = try match(si + i, ep + 1)
            if r != -1 { return r }
            i -= 1
        }
        return -1
    }

    /// How many bytes from `si` on match the single-character class [pi, ep): singleMatch in a
    /// loop, with the class decoded once (`.` the rest, a literal by compares, a `%` class or a set
    /// run long enough by a ByteSet).
    @inline(__always) func runLength(_ si: Int, _ pi: Int, _ ep: Int) -> Int {
        let limit = sLen - si
        if limit <= 0 { return 0 }
        var i = 0
        switch p[pi] {
        case 46:  // .
            return limit
        case 37:  // %
            let cl = p[pi + 1]
            let set = ByteSet.ofClass(cl)
            while i < limit && set.contains(s[si + i]) { i += 1 }
        case 91:  // [ : short runs test the set as written; past 8 bytes it pays to build it
            while i < limit && matchBracket(s[si + i], pi, ep - 1) {
                i += 1
                if i == 8 {
                    let set = ByteSet.ofBracket(p, pi, ep - 1)
                    while i < limit && set.contains(s[si + i]) { i += 1 }
                    break
                }
            }
        default:
            let c = p[pi]
            while i < limit && s[si + i] == c { i += 1 }
        }
        return i
    }

    mutating func minExpand(_ sInit: Int, _ pi: Int, _ ep: Int) throws -> Int {
        var si = sInit
        while true {
            let r = try match(si, ep + 1)
            if r != -1 { return r }
            if si < sLen && singleMatch(s[si], pi, ep) { si += 1 } else { return -1 }
        }
    }

    mutating func startCapture(_ si: Int, _ pi: Int, _ what: Int) throws -> Int {
        if level >= PatternLimits.maxCaptures { throw PatternError(message: "too many captures") }
        setCap(level, start: si, len: what)
        level += 1
        let r = try match(si, pi)
        if r == -1 { level -= 1 }
        return r
    }

    mutating func endCapture(_ si: Int, _ pi: Int) throws -> Int {
        var l = level - 1
        while l >= 0 && capLen(l) != PatternLimits.capUnfinished { l -= 1 }
        if l < 0 { throw PatternError(message: "invalid pattern capture") }
        setCap(l, start: capStart(l), len: si - capStart(l))
        let r = try match(si, pi)
        if r == -1 { setCap(l, start: capStart(l), len: PatternLimits.capUnfinished) }
        return r
    }

    func matchBalance(_ si: Int, _ pi: Int) throws -> Int {
        if pi + 1 >= pLen { throw PatternError(message: "unbalanced pattern") }
        if si >= sLen || s[si] != p[pi] { return -1 }
        let b = p[pi], e = p[pi + 1]
        var cont = 1
        var i = si + 1
        while i < sLen {
            let c = s[i]
            if c == e {
                cont -= 1
                if cont == 0 { return i + 1 }
            } else if c == b {
                cont += 1
            }
            i += 1
        }
        return -1
    }

    func matchBackReference(_ si: Int, _ d: UInt8) throws -> Int {
        let l = Int(d) - 49
        if l < 0 || l >= level || capLen(l) == PatternLimits.capUnfinished {
            throw PatternError(message: "invalid capture index")
        }
        let len = capLen(l)
        if len < 0 { return -1 }
        if sLen - si >= len && memcmp(s + capStart(l), s + si, len) == 0 { return si + len }
        return -1
    }

    /// Capture i as a Lua value (i == 0 with no captures: the whole match [ms, me)).
    func capture(_ i: Int, _ ms: Int, _ me: Int, _ heap: Heap) throws -> Value {
        if i >= level {
            if i == 0 { return Value(try heap.intern(UnsafeRawPointer(s + ms), count: me - ms)) }
            throw PatternError(message: "invalid capture index")
        }
        let l = capLen(i)
        if l == PatternLimits.capUnfinished { throw PatternError(message: "unfinished capture") }
        if l == PatternLimits.capPosition { return Value(Double(capStart(i) + 1)) }
        return Value(try heap.intern(UnsafeRawPointer(s + capStart(i)), count: l))
    }

    /// The number of values a successful match yields (the whole match when there are no captures
    /// and `whole` is set).
    @inline(__always) func captureCount(whole: Bool) -> Int { level == 0 && whole ? 1 : level }
}

/// Does the pattern contain none of Lua's special characters (so find can search plainly)?
func patternHasNoSpecials(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i < n {
        switch p[i] {
        case 94, 36, 42, 43, 63, 46, 40, 91, 37, 45: return false  // ^$*+?.([%-
        case 0: return true  // strpbrk stops at NUL
        default: i += 1
        }
    }
    return true
}

/// Plain substring search: index of the first occurrence of needle in hay at or after `from`, or -1.
func plainFind(_ hay: UnsafePointer<UInt8>, _ hayLen: Int, _ needle: UnsafePointer<UInt8>, _ nLen: Int, from: Int) -> Int {
    if nLen == 0 { return from }
    if nLen > hayLen - from { return -1 }
    let first = needle[0]
    var i = from
    let last = hayLen - nLen
    while i <= last {
        guard let q = memchr(hay + i, Int32(first), last - i + 1) else { return -1 }
        let idx = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - hay
        if memcmp(hay + idx, needle, nLen) == 0 { return idx }
        i = idx + 1
    }
    return -1
}

// MARK: start filter

/// A set of bytes (256 bits).
struct ByteSet {
    var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    @inline(__always) func contains(_ c: UInt8) -> Bool {
        let w: UInt64
        switch c >> 6 {
        case 0: w = w0
        case 1: w = w1
        case 2: w = w2
        default: w = w3
        }
        return (w >> UInt64(c & 63)) & 1 != 0
    }

    mutating func insert(_ c: UInt8) {
        let bit: UInt64 = 1 << UInt64(c & 63)
        switch c >> 6 {
        case 0: w0 |= bit
        case 1: w1 |= bit
        case 2: w2 |= bit
        default: w3 |= bit
        }
    }

    mutating func formUnion(_ o: ByteSet) { w0 |= o.w0; w1 |= o.w1; w2 |= o.w2; w3 |= o.w3 }
    mutating func invert() { w0 = ~w0; w1 = ~w1; w2 = ~w2; w3 = ~w3 }

    /// The bytes `%cl` matches (for a class letter), or just `cl` (any other byte).
    static func ofClass(_ cl: UInt8) -> ByteSet {
        let l = cl | 32
        if l >= 97 && l <= 122 { return classSets[Int(cl &- 65)] }
        var s = ByteSet()
        s.insert(cl)
        return s
    }

    /// The bytes the set p[pi] == '[' ... p[ec] == ']' matches: the same walk as matchBracket.
    static func ofBracket(_ p: UnsafePointer<UInt8>, _ pi: Int, _ ec: Int) -> ByteSet {
        var set = ByteSet()
        var sig = true
        var i = pi + 1
        if p[i] == 94 { sig = false; i += 1 }
        while i < ec {
            if p[i] == 37 {
                i += 1
                set.formUnion(ByteSet.ofClass(p[i]))
                i += 1
            } else if i + 2 < ec && p[i + 1] == 45 {
                if p[i] <= p[i + 2] {
                    var b = p[i]
                    while true { set.insert(b); if b == p[i + 2] { break }; b += 1 }
                }
                i += 3
            } else {
                set.insert(p[i])
                i += 1
            }
        }
        if !sig { set.invert() }
        return set
    }

    /// For every letter 'A'...'z' (index c - 65): the bytes `%c` matches (matchClass, precomputed).
    private static let classSets: [ByteSet] = (65...122).map { cl in
        var s = ByteSet()
        for c in 0...255 where LuaMatcher.matchClass(UInt8(c), UInt8(cl)) { s.insert(UInt8(c)) }
        return s
    }
}

/// Where a match of a pattern can begin, worked out once per find/match/gmatch/gsub call so the
/// scan over start positions skips, without entering the matcher, every position where the
/// pattern's first single-character class fails.
///
/// It only applies when that class must consume a byte: it is not followed by `?`, `*` or `-`, and
/// only captures `(`, `()` precede it (they consume nothing). At a skipped position `match` would
/// have returned -1 from its first step without reaching anything that could throw, so skipping
/// changes no result and no error. Patterns starting otherwise (`%b`, `%f`, back-references, `$`,
/// `.`, malformed classes) get no filter and are scanned position by position as before.
struct PatternStart {
    enum Kind { case none, literal, set }
    var kind = Kind.none
    var literal: UInt8 = 0
    var set = ByteSet()

    /// No filter (anchored patterns: there is only one start position).
    init() {}

    /// `p` is the pattern after any `^` anchor.
    init(_ p: UnsafePointer<UInt8>, _ pLen: Int) {
        var pi = 0
        var opens = 0
        while pi < pLen && p[pi] == 40 {  // (
            opens += 1
            pi += (pi + 1 < pLen && p[pi + 1] == 41) ? 2 : 1
        }
        // Past 31 leading captures the matcher may throw "too many captures": keep its scan.
        if opens >= PatternLimits.maxCaptures - 1 || pi >= pLen { return }
        let c = p[pi]
        if c == 41 || c == 46 || (c == 36 && pi + 1 == pLen) { return }  // ) . $(at end)
        if c == 37 {  // %
            if pi + 1 >= pLen { return }
            let n = p[pi + 1]
            if n == 98 || n == 102 || luaIsDigit(n) { return }  // %b %f %1
        }
        let m = LuaMatcher(s: p, sLen: 0, p: p, pLen: pLen, caps: UnsafeMutablePointer(bitPattern: 8)!)
        guard let ep = try? m.classEnd(pi) else { return }
        if ep < pLen {
            let q = p[ep]
            if q == 63 || q == 42 || q == 45 { return }  // ? * -
        }
        if c == 37 {
            let cl = p[pi + 1]
            let l = cl | 32
            if l >= 97 && l <= 122 {
                set = ByteSet.ofClass(cl)
                kind = .set
            } else {
                literal = cl
                kind = .literal
            }
        } else if c == 91 {  // [
            set = ByteSet.ofBracket(p, pi, ep - 1)
            kind = .set
        } else {
            literal = c
            kind = .literal
        }
    }

    /// The first position in [i, n) where a match can begin, or n if there is none.
    @inline(__always) func next(_ s: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        if i >= n { return n }
        switch kind {
        case .none:
            return i
        case .literal:
            guard let q = memchr(s + i, Int32(literal), n - i) else { return n }
            return UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - s
        case .set:
            var j = i
            while j < n && !set.contains(s[j]) { j += 1 }
            return j
        }
    }
}
