// The lexer: Lua 5.1 source bytes -> tokens, with LuaJIT 2.1's extensions and error wording.
//
// It works on the raw bytes of the chunk (a copy with a 0 sentinel at the end, so the scanner
// looks at `p[pos]` without a bounds check and only asks "is this the end?" when it reads a 0).
// Names and string literals are interned (StringInterner) as they are scanned; numbers are
// converted once. Newlines are "\n", "\r", "\r\n" or "\n\r", each counted once, as Lua does.
//
// `line` is the line the scanner has reached; `lastLine` is the line where the previous token
// ended. The code generator tags instructions with `lastLine`, the line of the token that produced
// them, and errors report `line`, as LuaJIT does. A byte >= 0x80 counts as a letter (LuaJIT).

import Bytecode

/// Tokens: single-byte tokens are their byte value; the rest start at 256.
enum Tok {
    static let firstKeyword = 257
    // Keywords, in the order they are interned (id = token - firstKeyword).
    static let kAnd = 257, kBreak = 258, kDo = 259, kElse = 260, kElseif = 261, kEnd = 262,
        kFalse = 263, kFor = 264, kFunction = 265, kGoto = 266, kIf = 267, kIn = 268, kLocal = 269,
        kNil = 270, kNot = 271, kOr = 272, kRepeat = 273, kReturn = 274, kThen = 275, kTrue = 276,
        kUntil = 277, kWhile = 278
    static let concat = 279, dots = 280, eq = 281, ge = 282, le = 283, ne = 284, label = 285
    static let number = 286, name = 287, string = 288, eof = 289

    static let keywords = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function",
                           "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then",
                           "true", "until", "while"]
    static let symbols = ["..", "...", "==", ">=", "<=", "~=", "::", "<number>", "<name>", "<string>",
                          "<eof>"]

    /// The token's name in messages ("'%s' expected").
    static func name(_ t: Int) -> String {
        if t < 256 {
            if t < 32 || t == 127 { return "char(\(t))" }
            return String(UnicodeScalar(UInt8(t)))
        }
        if t < concat { return keywords[t - firstKeyword] }
        return symbols[t - concat]
    }
}

/// One scanned token and its value.
struct Token {
    var tok: Int = Tok.eof
    var num: Double = 0
    var str: Int32 = -1         // intern id of a name or string
    var start: Int = 0          // source range (numbers: their text for messages)
    var end: Int = 0
    var longSep: Int = -1       // long strings: the level of their brackets
    var quote: UInt8 = 0        // short strings: the delimiter
}

// Byte classes.
private let cDigit: UInt8 = 1, cHex: UInt8 = 2, cIdent: UInt8 = 4, cSpace: UInt8 = 8
private let charClass: [UInt8] = {
    var t = [UInt8](repeating: 0, count: 256)
    for c in UInt8(ascii: "0")...UInt8(ascii: "9") { t[Int(c)] |= cDigit | cHex | cIdent }
    for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] |= cIdent }
    for c in UInt8(ascii: "A")...UInt8(ascii: "Z") { t[Int(c)] |= cIdent }
    for c in UInt8(ascii: "a")...UInt8(ascii: "f") { t[Int(c)] |= cHex }
    for c in UInt8(ascii: "A")...UInt8(ascii: "F") { t[Int(c)] |= cHex }
    t[Int(UInt8(ascii: "_"))] |= cIdent
    for c in 0x80...0xff { t[c] |= cIdent }
    for c in [9, 10, 11, 12, 13, 32] { t[c] |= cSpace }
    return t
}()

final class Lexer {
    let interner: StringInterner
    let chunkID: String             // shortSourceName of the chunk, for messages
    private let buf: UnsafeMutablePointer<UInt8>
    private let classes: UnsafeMutablePointer<UInt8>
    private let count: Int
    @exclusivity(unchecked) private var pos = 0
    @exclusivity(unchecked) var line = 1
    @exclusivity(unchecked) var lastLine = 1
    @exclusivity(unchecked) var cur = Token()
    @exclusivity(unchecked) private var ahead: Token?
    @exclusivity(unchecked) private var aheadLine = 1
    @exclusivity(unchecked) private var sbuf: [UInt8] = []  // decoded string being scanned

    init(_ source: [UInt8], chunkID: String, interner: StringInterner) {
        self.interner = interner
        self.chunkID = chunkID
        count = source.count
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: source.count + 1)
        source.withUnsafeBufferPointer { sb in
            if let base = sb.baseAddress { b.initialize(from: base, count: sb.count) }
        }
        b[source.count] = 0
        buf = b
        let k = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for i in 0..<256 { k[i] = charClass[i] }
        classes = k
        sbuf.reserveCapacity(256)
        // A UTF-8 byte order mark and a first line starting with '#' are skipped.
        if count >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf { pos = 3 }
        if buf[pos] == UInt8(ascii: "#") {
            while pos < count && buf[pos] != 10 && buf[pos] != 13 { pos += 1 }
        }
    }

    deinit {
        buf.deallocate()
        classes.deallocate()
    }

    // MARK: Errors

    /// The text of a token as Lua shows it after "near".
    func tokenText(_ t: Token) -> String {
        switch t.tok {
        case Tok.name:
            return interner.string(t.str)
        case Tok.number:
            return String(decoding: UnsafeBufferPointer(start: buf + t.start, count: t.end - t.start),
                          as: UTF8.self)
        case Tok.string:
            let body = interner.string(t.str)
            if t.longSep >= 0 {
                let eqs = String(repeating: "=", count: t.longSep)
                return "[" + eqs + "[" + body + "]" + eqs + "]"
            }
            let q = String(UnicodeScalar(t.quote))
            return q + body + q
        default:
            return Tok.name(t.tok)
        }
    }

    /// A message as LuaJIT words it. Its token text is a C string there, so it ends at a NUL byte.
    func error(_ msg: String, near: String?, line l: Int? = nil) -> SyntaxError {
        let ln = l ?? line
        var m = "\(chunkID):\(ln): \(msg)"
        if let n = near {
            let cut = n.firstIndex(of: "\0").map { String(n[..<$0]) } ?? n
            m += " near '\(cut)'"
        }
        return SyntaxError(message: m, line: ln)
    }

    /// An error about the current token (a NUL byte token, like LuaJIT's token 0, names none).
    func errorNear(_ msg: String) -> SyntaxError { error(msg, near: cur.tok == 0 ? nil : tokenText(cur)) }

    private func lexError(_ msg: String, _ near: String?) -> SyntaxError { error(msg, near: near) }

    // MARK: Token stream

    func next() throws {
        lastLine = line
        if let a = ahead {
            cur = a
            line = aheadLine
            ahead = nil
            return
        }
        try scan(&cur)
    }

    /// The token after the current one (used for `goto name`).
    func lookahead() throws -> Int {
        if let a = ahead { return a.tok }
        let saveLine = line
        var t = Token()
        try scan(&t)
        ahead = t
        aheadLine = line
        line = saveLine
        return t.tok
    }

    @inline(__always) private func cls(_ c: UInt8) -> UInt8 { classes[Int(c)] }

    @inline(__always) private func newline() {
        // At '\n' or '\r': skip it and a following different newline byte.
        let c = buf[pos]
        pos += 1
        let d = buf[pos]
        if (d == 10 || d == 13) && d != c { pos += 1 }
        line += 1
    }

    private func scan(_ t: inout Token) throws {
        while true {
            let c = buf[pos]
            let start = pos
            t.start = start
            switch c {
            case 10, 13:
                newline()
                continue
            case 32, 9, 11, 12:
                pos += 1
                continue
            case UInt8(ascii: "-"):
                if buf[pos + 1] != UInt8(ascii: "-") { pos += 1; t.tok = Int(c); return }
                pos += 2
                if buf[pos] == UInt8(ascii: "[") {
                    let sep = skipSep()
                    if sep >= 0 {
                        try readLongString(sep: sep, isComment: true)
                        continue
                    }
                    sbuf.removeAll(keepingCapacity: true)
                }
                while buf[pos] != 10 && buf[pos] != 13 && !(buf[pos] == 0 && pos >= count) { pos += 1 }
                continue
            case UInt8(ascii: "["):
                let sep = skipSep()
                if sep >= 0 {
                    try readLongString(sep: sep, isComment: false)
                    t.tok = Tok.string
                    t.str = interner.intern(sbuf)
                    t.longSep = sep
                    t.end = pos
                    return
                }
                if sep == -1 { t.tok = Int(c); return }
                throw lexError("invalid long string delimiter", String(decoding: sbuf, as: UTF8.self))
            case UInt8(ascii: "="):
                pos += 1
                if buf[pos] == UInt8(ascii: "=") { pos += 1; t.tok = Tok.eq } else { t.tok = Int(c) }
                return
            case UInt8(ascii: "<"):
                pos += 1
                if buf[pos] == UInt8(ascii: "=") { pos += 1; t.tok = Tok.le } else { t.tok = Int(c) }
                return
            case UInt8(ascii: ">"):
                pos += 1
                if buf[pos] == UInt8(ascii: "=") { pos += 1; t.tok = Tok.ge } else { t.tok = Int(c) }
                return
            case UInt8(ascii: "~"):
                pos += 1
                if buf[pos] == UInt8(ascii: "=") { pos += 1; t.tok = Tok.ne } else { t.tok = Int(c) }
                return
            case UInt8(ascii: ":"):
                pos += 1
                if buf[pos] == UInt8(ascii: ":") { pos += 1; t.tok = Tok.label } else { t.tok = Int(c) }
                return
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                try readString(quote: c)
                t.tok = Tok.string
                t.str = interner.intern(sbuf)
                t.quote = c
                t.longSep = -1
                t.end = pos
                return
            case UInt8(ascii: "."):
                if buf[pos + 1] == UInt8(ascii: ".") {
                    if buf[pos + 2] == UInt8(ascii: ".") { pos += 3; t.tok = Tok.dots; return }
                    pos += 2
                    t.tok = Tok.concat
                    return
                }
                if cls(buf[pos + 1]) & cDigit != 0 {
                    try readNumber(&t)
                    return
                }
                pos += 1
                t.tok = Int(c)
                return
            case 0:
                if pos >= count { t.tok = Tok.eof; return }
                pos += 1
                t.tok = 0
                return
            default:
                let k = cls(c)
                if k & cIdent != 0 {
                    if k & cDigit != 0 {
                        try readNumber(&t)
                        return
                    }
                    pos += 1
                    while cls(buf[pos]) & cIdent != 0 { pos += 1 }
                    let id = interner.intern(buf + start, pos - start)
                    if Int(id) < Tok.keywords.count {
                        t.tok = Tok.firstKeyword + Int(id)
                    } else {
                        t.tok = Tok.name
                        t.str = id
                    }
                    return
                }
                pos += 1
                t.tok = Int(c)
                return
            }
        }
    }

    /// At '[' or ']': counts the '='s. Returns the level when the bracket repeats (`[==[`), -1 for a
    /// lone bracket, else -(level + 2) (an invalid delimiter). The bracket text goes into sbuf.
    private func skipSep() -> Int {
        let s = buf[pos]
        sbuf.removeAll(keepingCapacity: true)
        sbuf.append(s)
        pos += 1
        var n = 0
        while buf[pos] == UInt8(ascii: "=") { sbuf.append(buf[pos]); pos += 1; n += 1 }
        return buf[pos] == s ? n : -n - 1
    }

    private func readLongString(sep: Int, isComment: Bool) throws {
        pos += 1  // the second '['
        if buf[pos] == 10 || buf[pos] == 13 { newline() }  // first newline skipped
        sbuf.removeAll(keepingCapacity: true)
        var runStart = pos
        while true {
            let c = buf[pos]
            switch c {
            case 0:
                if pos >= count {
                    throw lexError(isComment ? "unfinished long comment" : "unfinished long string",
                                   "<eof>")
                }
                pos += 1
            case UInt8(ascii: "]"):
                let q = pos
                var n = 0
                pos += 1
                while buf[pos] == UInt8(ascii: "=") { pos += 1; n += 1 }
                if n == sep && buf[pos] == UInt8(ascii: "]") {
                    if !isComment {
                        sbuf.append(contentsOf: UnsafeBufferPointer(start: buf + runStart, count: q - runStart))
                    }
                    pos += 1
                    return
                }
                pos = q + 1
            case 10, 13:
                if !isComment {
                    sbuf.append(contentsOf: UnsafeBufferPointer(start: buf + runStart, count: pos - runStart))
                    sbuf.append(10)
                }
                newline()
                runStart = pos
            default:
                pos += 1
            }
        }
    }

    private func readString(quote: UInt8) throws {
        pos += 1
        sbuf.removeAll(keepingCapacity: true)
        var runStart = pos
        @inline(__always) func flush() {
            if pos > runStart {
                sbuf.append(contentsOf: UnsafeBufferPointer(start: buf + runStart, count: pos - runStart))
            }
        }
        func near() -> String { String(UnicodeScalar(quote)) + String(decoding: sbuf, as: UTF8.self) }
        while true {
            let c = buf[pos]
            if c == quote { flush(); pos += 1; return }
            switch c {
            case 0:
                if pos >= count { throw lexError("unfinished string", "<eof>") }
                pos += 1
            case 10, 13:
                flush()
                throw lexError("unfinished string", near())
            case UInt8(ascii: "\\"):
                flush()
                pos += 1
                let e = buf[pos]
                switch e {
                case UInt8(ascii: "a"): sbuf.append(7); pos += 1
                case UInt8(ascii: "b"): sbuf.append(8); pos += 1
                case UInt8(ascii: "f"): sbuf.append(12); pos += 1
                case UInt8(ascii: "n"): sbuf.append(10); pos += 1
                case UInt8(ascii: "r"): sbuf.append(13); pos += 1
                case UInt8(ascii: "t"): sbuf.append(9); pos += 1
                case UInt8(ascii: "v"): sbuf.append(11); pos += 1
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): sbuf.append(e); pos += 1
                case 10, 13:
                    sbuf.append(10)
                    newline()
                case UInt8(ascii: "x"):
                    pos += 1
                    var v = 0
                    for _ in 0..<2 {
                        let h = buf[pos]
                        guard cls(h) & cHex != 0 else { throw lexError("invalid escape sequence", near()) }
                        v = v * 16 + hexValue(h)
                        pos += 1
                    }
                    sbuf.append(UInt8(v))
                case UInt8(ascii: "z"):
                    pos += 1
                    while true {
                        let s = buf[pos]
                        if s == 10 || s == 13 { newline() } else if cls(s) & cSpace != 0 { pos += 1 } else { break }
                    }
                case UInt8(ascii: "u"):
                    pos += 1
                    guard buf[pos] == UInt8(ascii: "{") else { throw lexError("invalid escape sequence", near()) }
                    pos += 1
                    var v = 0
                    var digits = 0
                    while cls(buf[pos]) & cHex != 0 {
                        v = v * 16 + hexValue(buf[pos])
                        if v >= 0x110000 { throw lexError("invalid escape sequence", near()) }
                        pos += 1
                        digits += 1
                    }
                    guard digits > 0, buf[pos] == UInt8(ascii: "}") else {
                        throw lexError("invalid escape sequence", near())
                    }
                    pos += 1
                    appendUTF8(v)
                case 0 where pos >= count:
                    throw lexError("unfinished string", "<eof>")
                default:
                    guard cls(e) & cDigit != 0 else { throw lexError("invalid escape sequence", near()) }
                    var v = 0
                    var i = 0
                    while i < 3 && cls(buf[pos]) & cDigit != 0 {
                        v = v * 10 + Int(buf[pos] - 48)
                        pos += 1
                        i += 1
                    }
                    if v > 255 { throw lexError("invalid escape sequence", near()) }
                    sbuf.append(UInt8(v))
                }
                runStart = pos
            default:
                pos += 1
            }
        }
    }

    private func appendUTF8(_ v: Int) {
        if v < 0x80 {
            sbuf.append(UInt8(v))
        } else if v < 0x800 {
            sbuf.append(UInt8(0xc0 | (v >> 6)))
            sbuf.append(UInt8(0x80 | (v & 0x3f)))
        } else if v < 0x10000 {
            sbuf.append(UInt8(0xe0 | (v >> 12)))
            sbuf.append(UInt8(0x80 | ((v >> 6) & 0x3f)))
            sbuf.append(UInt8(0x80 | (v & 0x3f)))
        } else {
            sbuf.append(UInt8(0xf0 | (v >> 18)))
            sbuf.append(UInt8(0x80 | ((v >> 12) & 0x3f)))
            sbuf.append(UInt8(0x80 | ((v >> 6) & 0x3f)))
            sbuf.append(UInt8(0x80 | (v & 0x3f)))
        }
    }

    @inline(__always) private func hexValue(_ c: UInt8) -> Int {
        c <= UInt8(ascii: "9") ? Int(c) - 48 : (Int(c) | 0x20) - 87
    }

    /// Numbers: the scanner takes the longest run of letters, digits, '.' and a sign right after an
    /// exponent letter ('e', or 'p' in hex), then the run must be a whole decimal or hex number.
    private func readNumber(_ t: inout Token) throws {
        let start = pos
        var xp = UInt8(ascii: "e")
        if buf[pos] == UInt8(ascii: "0") && (buf[pos + 1] | 0x20) == UInt8(ascii: "x") { xp = UInt8(ascii: "p") }
        var prev: UInt8 = 0
        while true {
            let c = buf[pos]
            if cls(c) & cIdent != 0 || c == UInt8(ascii: ".")
                || ((c == UInt8(ascii: "-") || c == UInt8(ascii: "+")) && (prev | 0x20) == xp) {
                prev = c
                pos += 1
            } else {
                break
            }
        }
        t.tok = Tok.number
        t.start = start
        t.end = pos
        guard let v = parseNumber(buf + start, pos - start) else {
            throw lexError("malformed number", String(decoding: UnsafeBufferPointer(start: buf + start, count: pos - start), as: UTF8.self))
        }
        t.num = v
    }
}

/// Converts a whole number literal (decimal, or hex with an optional binary exponent); nil when
/// malformed.
func parseNumber(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
    var i = 0
    func digit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    func hexd(_ c: UInt8) -> Bool { digit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102) }
    /// Checks that p[i..<n] is `mantissa [. mantissa] [exp [+-] decimal digits]`, the mantissa in
    /// the digit class `isMantissa`, with at least one mantissa digit.
    func wellFormed(from start: Int, _ isMantissa: (UInt8) -> Bool, exponent: UInt8) -> Bool {
        var i = start
        var mant = 0
        while i < n && isMantissa(p[i]) { i += 1; mant += 1 }
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n && isMantissa(p[i]) { i += 1; mant += 1 }
        }
        if mant == 0 { return false }
        if i < n && (p[i] | 0x20) == exponent {
            i += 1
            if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            var e = 0
            while i < n && digit(p[i]) { i += 1; e += 1 }
            if e == 0 { return false }
        }
        return i == n
    }
    if n >= 2 && p[0] == 48 && (p[1] | 0x20) == UInt8(ascii: "x") {
        if !wellFormed(from: 2, hexd, exponent: UInt8(ascii: "p")) { return nil }
    } else {
        // Fast path: a short run of decimal digits.
        var v = 0
        while i < n && digit(p[i]) && i < 15 { v = v * 10 + Int(p[i] - 48); i += 1 }
        if i == n { return Double(v) }
        if !wellFormed(from: 0, digit, exponent: UInt8(ascii: "e")) { return nil }
    }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { tmp -> Double in
        let b = tmp.baseAddress!
        for k in 0..<n { b[k] = CChar(bitPattern: p[k]) }
        b[n] = 0
        return strtod(b, nil)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
