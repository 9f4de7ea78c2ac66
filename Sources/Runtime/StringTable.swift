// Interned strings: equal byte strings are the same tj_str, so string equality and string-keyed
// table lookups are pointer compares.
//
// The intern table is an array of chains (power-of-two buckets, linked through the header's
// `gcnext`), doubled when it holds more strings than buckets. It is weak: the sweep frees every
// string the mark phase did not reach (Heap.sweepStrings).
//
// Hash: seeded per heap (getrandom), 64-bit multiply-mix over 8-byte words (two overlapping loads
// for strings up to 16 bytes). Strings up to 256 bytes
// are hashed whole; longer ones hash their first and last 128 bytes plus 16 words sampled evenly in
// between, so creating a long string costs O(len) only for the copy and the equality check.
// Collisions among long strings differing only in unsampled bytes cost a memcmp, not correctness.
import Glibc

extension UnsafeMutablePointer where Pointee == tj_str {
    /// Length in bytes.
    @inline(__always) public var count: Int { Int(pointee.len) }
    /// The bytes (followed by a NUL not counted in `count`).
    @inline(__always) public var bytes: UnsafeMutablePointer<UInt8> {
        (UnsafeMutableRawPointer(self) + MemoryLayout<tj_str>.size).assumingMemoryBound(to: UInt8.self)
    }
    @inline(__always) public var buffer: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: bytes, count: count)
    }
    @inline(__always) public func withBytes<T>(_ body: (UnsafeMutablePointer<UInt8>) throws -> T) rethrows -> T {
        try body(bytes)
    }
    /// The bytes decoded as UTF-8 (invalid sequences repaired): for messages and tests.
    public var string: String { String(decoding: buffer, as: UTF8.self) }
    /// The bytes as an array.
    public var array: [UInt8] { Array(buffer) }
    @inline(__always) public var value: Value { Value(self) }
}

extension Heap {
    @inline(__always) static func load64(_ p: UnsafeRawPointer, _ i: Int) -> UInt64 {
        p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
    }

    @inline(__always) static func mix(_ h: UInt64, _ w: UInt64) -> UInt64 {
        let m = (h ^ w).multipliedFullWidth(by: 0x9E37_79B9_7F4A_7C15)
        return m.high ^ m.low
    }

    /// The seeded string hash.
    public static func hashBytes(_ p: UnsafeRawPointer, _ n: Int, seed: UInt64) -> UInt32 {
        var h = seed ^ UInt64(n) &* 0xA076_1D64_78BD_642F
        if n <= 16 {
            // Two overlapping loads cover every byte of a short string.
            var a: UInt64 = 0, b: UInt64 = 0
            if n >= 8 {
                a = load64(p, 0); b = load64(p, n - 8)
            } else if n >= 4 {
                a = UInt64(p.loadUnaligned(as: UInt32.self))
                b = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            } else if n > 0 {
                a = UInt64(p.load(fromByteOffset: 0, as: UInt8.self)) << 16
                    | UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self)) << 8
                    | UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
            }
            h = mix(h, a)
            h = mix(h, b ^ 0x8EBC_6AF0_9C88_C6E3)
        } else if n <= 256 {
            var i = 0
            while i + 8 < n { h = mix(h, load64(p, i)); i += 8 }
            h = mix(h, load64(p, n - 8))
        } else {
            var i = 0
            while i < 128 { h = mix(h, load64(p, i)); i += 8 }
            let step = (n - 256) / 16
            var j = 128
            for _ in 0..<16 { h = mix(h, load64(p, j)); j += step }
            i = n - 128
            while i < n { h = mix(h, load64(p, i)); i += 8 }
        }
        h = mix(h, 0x2D35_8DCC_AA6C_78A5)
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    // MARK: interning

    /// The interned string with these bytes (created if needed).
    public func intern(_ p: UnsafeRawPointer?, count n: Int) throws -> StringRef {
        let base = p ?? UnsafeRawPointer(bitPattern: 1)!  // n == 0: never read
        let h = Heap.hashBytes(base, n, seed: st.pointee.seed)
        var cur = st.pointee.strtab[Int(h) & st.pointee.strmask]
        while let s = cur {
            if s.pointee.hash == h && Int(s.pointee.len) == n && memcmp(s.bytes, base, n) == 0 {
                return s
            }
            cur = StringRef(OpaquePointer(s.pointee.gcnext))
        }
        return try newString(base, n, h)
    }

    @inline(never) func newString(_ p: UnsafeRawPointer, _ n: Int, _ h: UInt32) throws -> StringRef {
        let raw = try allocRaw(Heap.stringSize(n))
        let s = raw.bindMemory(to: tj_str.self, capacity: 1)
        s.pointee.gct = GCT.string
        s.pointee.marked = 0
        s.pointee.reserved = 0
        s.pointee.pad = 0
        s.pointee.hash = h
        s.pointee.len = UInt64(n)
        memcpy(s.bytes, p, n)
        s.bytes[n] = 0
        let b = Int(h) & st.pointee.strmask
        s.pointee.gcnext = GCRef(OpaquePointer(st.pointee.strtab[b]))
        st.pointee.strtab[b] = s
        st.pointee.stringCount &+= 1
        if st.pointee.stringCount > st.pointee.strmask { growStringTable() }
        return s
    }

    func growStringTable() {
        let oldMask = st.pointee.strmask
        let newSize = (oldMask + 1) * 2
        let old = st.pointee.strtab
        let tab = UnsafeMutablePointer<StringRef?>.allocate(capacity: newSize)
        tab.initialize(repeating: nil, count: newSize)
        for b in 0...oldMask {
            var cur = old[b]
            while let s = cur {
                cur = StringRef(OpaquePointer(s.pointee.gcnext))
                let nb = Int(s.pointee.hash) & (newSize - 1)
                s.pointee.gcnext = GCRef(OpaquePointer(tab[nb]))
                tab[nb] = s
            }
        }
        old.deallocate()
        st.pointee.strtab = tab
        st.pointee.strmask = newSize - 1
    }

    public func intern(_ b: UnsafeBufferPointer<UInt8>) throws -> StringRef {
        try intern(b.baseAddress.map { UnsafeRawPointer($0) }, count: b.count)
    }
    public func intern(_ b: UnsafeRawBufferPointer) throws -> StringRef {
        try intern(b.baseAddress, count: b.count)
    }
    public func intern(_ a: [UInt8]) throws -> StringRef {
        try a.withUnsafeBufferPointer { try intern($0) }
    }
    public func intern(_ s: String) throws -> StringRef {
        var s = s
        return try s.withUTF8 { try intern($0) }
    }
    /// A string value.
    public func string(_ s: String) throws -> Value { Value(try intern(s)) }

    // MARK: concatenation

    /// Concatenates `count` values that are all strings or numbers (numbers formatted as tostring
    /// does) into one interned string; returns nil, touching nothing, if any value is neither (the
    /// interpreter then applies __concat pairwise from the right).
    public func concat(_ p: UnsafePointer<Value>, count: Int) throws -> StringRef? {
        var total = 0
        for i in 0..<count {
            let v = p[i]
            if v.isString { total += v.string.count } else if v.isNumber { total += Int(TJ_NUMBUF) } else { return nil }
        }
        if total > maxMemory { throw HeapError.outOfMemory }
        let buf = scratch(total)
        var n = 0
        for i in 0..<count { n += Heap.writeConcatPiece(p[i], to: buf + n) }
        return try intern(UnsafeRawPointer(buf), count: n)
    }

    /// Writes a string's bytes, or a number as tostring formats it (at most TJ_NUMBUF bytes), at
    /// `dst`; returns the bytes written. The caller has checked the value is one or the other.
    @inline(__always) public static func writeConcatPiece(_ v: Value, to dst: UnsafeMutablePointer<UInt8>) -> Int {
        if v.isString {
            let s = v.string
            memcpy(dst, s.bytes, s.count)
            return s.count
        }
        return NumberText.format(v.number, into: dst)
    }

    /// A reusable byte buffer of at least `n` bytes, owned by the heap, valid until the next call
    /// (for building a string before interning it: concat, string library functions).
    public func scratch(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if n > st.pointee.scratchSize {
            let size = max(n, st.pointee.scratchSize * 2, 256)
            st.pointee.scratch?.deallocate()
            st.pointee.scratch = .allocate(capacity: size)
            st.pointee.scratchSize = size
        }
        return st.pointee.scratch.unsafelyUnwrapped
    }

    /// Two-operand concatenation (a .. b) for strings/numbers; nil if either is neither.
    public func concat(_ a: Value, _ b: Value) throws -> StringRef? {
        var pair = (a, b)
        return try withUnsafePointer(to: &pair) { pp in
            try pp.withMemoryRebound(to: Value.self, capacity: 2) { try concat($0, count: 2) }
        }
    }

    // MARK: numbers <-> strings

    /// The string Lua's tostring gives for a number ("%.14g", "inf", "-inf", "nan", "-0").
    public func numberToString(_ d: Double) throws -> StringRef {
        var buf = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return try withUnsafeMutableBytes(of: &buf) { b in
            let p = b.baseAddress!.assumingMemoryBound(to: CChar.self)
            let n = Int(tj_num2str(d, p))
            return try intern(UnsafeRawPointer(p), count: n)
        }
    }
}

/// Number formatting and parsing shared by the interpreter and the library.
public enum NumberText {
    /// Formats `d` as Lua prints it into `buf` (at least 32 bytes); returns the byte count.
    @inline(__always) public static func format(_ d: Double, into buf: UnsafeMutablePointer<UInt8>) -> Int {
        Int(tj_num2str(d, UnsafeMutableRawPointer(buf).assumingMemoryBound(to: CChar.self)))
    }

    public static func format(_ d: Double) -> String {
        var buf = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &buf) { b in
            let p = b.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let n = format(d, into: p)
            return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        }
    }

    /// Lua 5.1 string -> number (tonumber without base, arithmetic coercion): leading and trailing
    /// whitespace, a decimal or "0x" hexadecimal number (as C's strtod reads it, so "inf", "nan"
    /// and hex floats too, as LuaJIT on glibc accepts them), nothing else.
    @inline(__always) public static func parse(_ p: UnsafePointer<UInt8>, count: Int) -> Double? {
        var d = 0.0
        return tj_str2num(UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self), count, &d) != 0 ? d : nil
    }
    public static func parse(_ s: StringRef) -> Double? { parse(s.bytes, count: s.count) }
    public static func parse(_ s: String) -> Double? {
        var s = s
        return s.withUTF8 { b in b.baseAddress.flatMap { parse($0, count: b.count) } }
    }
}
