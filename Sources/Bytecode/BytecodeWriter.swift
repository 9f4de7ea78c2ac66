// Serializes a prototype tree to the .bc format (docs/bytecode.md, "The .bc file format").
//
// The writer expects a tree that passes the Verifier (the `compile` command verifies first). It
// never traps on other input: fields that do not fit their encoding are truncated, and the result
// is then rejected when read back. Output is deterministic, so compile -> write -> read -> write
// gives identical bytes.

public enum BytecodeWriter {
    /// The file bytes of `main`. The file is stripped when `main` carries no debug information; the
    /// chunk name is taken from `main.source` and applies to every prototype of the tree.
    public static func write(_ main: Proto) -> [UInt8] {
        var w = ByteSink(capacity: 1 << 16)
        writeFile(main, into: &w)
        return w.finish()
    }

    /// The same bytes as `write(main)`, handed to `emit` in consecutive pieces of at most about
    /// `chunkSize` bytes instead of one array, so a large tree is written through a small buffer
    /// that stays in cache (no growing, no page faults). Once `emit` returns false it is not called
    /// again; the result is false then.
    public static func write(_ main: Proto, chunkSize: Int = 1 << 18,
                             to emit: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        withoutActuallyEscaping(emit) { emit in
            var w = ByteSink(capacity: chunkSize, flush: emit)
            writeFile(main, into: &w)
            w.flush()
            let ok = w.flushOK
            _ = w.finish()
            return ok
        }
    }

    private static func writeFile(_ main: Proto, into w: inout ByteSink) {
        let stripped = main.debug == nil
        w.bytes(BytecodeFile.magic)
        w.u16(BytecodeFile.version)
        w.u8(stripped ? BytecodeFile.flagStripped : 0)
        w.string(main.source)
        writeProto(main, stripped: stripped, into: &w)
    }

    // The hot loop of `compile`: everything is read through buffer pointers so that walking a large
    // tree costs no reference counting per element.
    private static func writeProto(_ p: Proto, stripped: Bool, into w: inout ByteSink) {
        w.u8(p.isVararg ? BytecodeFile.protoFlagVararg : 0)
        w.u8(UInt8(truncatingIfNeeded: p.numParams))
        w.u8(UInt8(truncatingIfNeeded: p.frameSize))
        w.uleb(p.lineDefined)
        w.uleb(p.lastLineDefined)
        w.uleb(p.code.count)
        w.uleb(p.constants.count)
        w.uleb(p.upvalues.count)
        w.uleb(p.protos.count)
        p.code.withUnsafeBufferPointer { code in
            w.reserve(code.count &* 4)
            for ins in code { w.u32Unchecked(ins.raw) }
        }
        p.constants.withUnsafeBufferPointer { ks in
            for i in ks.indices {
                switch ks[i] {
                case .number(let x):
                    w.reserve(9)
                    w.u8Unchecked(BytecodeFile.constantNumber)
                    w.u64Unchecked(x.bitPattern)
                case .string(let s):
                    w.u8(BytecodeFile.constantString)
                    s.withUnsafeBufferPointer { w.string($0) }
                }
            }
        }
        p.upvalues.withUnsafeBufferPointer { uvs in
            w.reserve(uvs.count &* 2)
            for uv in uvs {
                w.u8Unchecked(uv.inParentFrame ? BytecodeFile.upvalueFlagInParentFrame : 0)
                w.u8Unchecked(UInt8(truncatingIfNeeded: uv.index))
            }
        }
        if !stripped {
            if let d = p.debug {
                writeDebug(d, p, into: &w)
            } else {
                writeDebug(DebugInfo(), p, into: &w)
            }
        }
        p.protos.withUnsafeBufferPointer { children in
            for child in children { writeProto(child, stripped: stripped, into: &w) }
        }
    }

    private static func writeDebug(_ d: DebugInfo, _ p: Proto, into w: inout ByteSink) {
        // One line per instruction, as zigzag deltas from the previous line (the first one from
        // lineDefined). A missing entry (malformed input) is written as "same line".
        var prev = Int64(p.lineDefined)
        let n = p.code.count
        d.lineInfo.withUnsafeBufferPointer { lines in
            for pc in 0..<n {
                let line = pc < lines.count ? Int64(lines[pc]) : prev
                w.sleb(line &- prev)
                prev = line
            }
        }
        w.uleb(d.locals.count)
        d.locals.withUnsafeBufferPointer { locals in
            for l in locals {
                w.string(l.name)
                w.u8(UInt8(truncatingIfNeeded: l.register))
                w.uleb(l.startPC)
                w.uleb(l.endPC &- l.startPC)
            }
        }
        w.uleb(d.upvalueNames.count)
        d.upvalueNames.withUnsafeBufferPointer { names in
            for name in names { w.string(name) }
        }
    }
}

/// Little-endian output buffer with LEB128 varints, in one manually managed allocation (appending
/// to an Array byte by byte pays a uniqueness check per byte). Without a flush handler the buffer
/// grows to hold everything; with one, a full buffer is handed to the handler and reused.
/// `finish()` returns what is buffered and frees the buffer; the sink must not be used after that.
struct ByteSink {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    private let flushHandler: ((UnsafeRawBufferPointer) -> Bool)?
    /// False once the flush handler has refused a piece (later pieces are dropped).
    private(set) var flushOK = true

    init(capacity: Int, flush: ((UnsafeRawBufferPointer) -> Bool)? = nil) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        flushHandler = flush
    }

    /// Hands the buffered bytes to the flush handler (if any) and empties the buffer.
    mutating func flush() {
        guard let handler = flushHandler else { return }
        if count > 0 && flushOK {
            flushOK = handler(UnsafeRawBufferPointer(start: base, count: count))
        }
        count = 0
    }

    /// The bytes written, as an array; releases the buffer.
    mutating func finish() -> [UInt8] {
        let out = Array(UnsafeBufferPointer(start: base, count: count))
        base.deallocate()
        base = .allocate(capacity: 16)
        count = 0
        capacity = 16
        return out
    }

    /// Makes room for `n` more bytes, so the `...Unchecked` writers may follow.
    @inline(__always) mutating func reserve(_ n: Int) {
        if capacity &- count < n { grow(n) }
    }

    @inline(never) private mutating func grow(_ n: Int) {
        if flushHandler != nil {
            flush()
            if capacity >= n { return }
        }
        var cap = capacity &* 2
        while cap &- count < n { cap = cap &* 2 }
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        nb.initialize(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = cap
    }

    @inline(__always) mutating func u8Unchecked(_ v: UInt8) {
        base[count] = v
        count &+= 1
    }

    @inline(__always) mutating func u32Unchecked(_ v: UInt32) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: v.littleEndian, as: UInt32.self)
        count &+= 4
    }

    @inline(__always) mutating func u64Unchecked(_ v: UInt64) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: v.littleEndian, as: UInt64.self)
        count &+= 8
    }

    @inline(__always) mutating func u8(_ v: UInt8) {
        reserve(1)
        u8Unchecked(v)
    }

    mutating func bytes(_ b: UnsafeBufferPointer<UInt8>) {
        guard let src = b.baseAddress, b.count > 0 else { return }
        reserve(b.count)
        (base + count).update(from: src, count: b.count)
        count &+= b.count
    }

    mutating func bytes(_ b: [UInt8]) { b.withUnsafeBufferPointer { bytes($0) } }
    mutating func u16(_ v: UInt16) { u8(UInt8(v & 0xff)); u8(UInt8(v >> 8)) }

    /// Unsigned LEB128: 7 bits per byte, low first, high bit set on all but the last byte.
    @inline(__always) mutating func uleb(_ v: UInt64) {
        reserve(10)
        var v = v
        while v >= 0x80 {
            u8Unchecked(UInt8(truncatingIfNeeded: v & 0x7f) | 0x80)
            v >>= 7
        }
        u8Unchecked(UInt8(truncatingIfNeeded: v))
    }

    /// Negative values (only in malformed trees) become huge and are rejected when read back.
    @inline(__always) mutating func uleb(_ v: Int) { uleb(UInt64(truncatingIfNeeded: v)) }

    /// Signed value as zigzag (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...) then ULEB128.
    @inline(__always) mutating func sleb(_ v: Int64) { uleb(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    /// Length (ULEB128) followed by the bytes.
    mutating func string(_ s: UnsafeBufferPointer<UInt8>) {
        uleb(s.count)
        bytes(s)
    }

    /// A String's UTF-8 bytes, length first, without copying them into an array.
    mutating func string(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ string($0) }) { return done }
        let a = Array(s.utf8)  // only for non-native (bridged) strings
        a.withUnsafeBufferPointer { string($0) }
    }
}
