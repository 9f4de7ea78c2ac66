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
        var w = ByteSink()
        let stripped = main.debug == nil
        w.bytes(BytecodeFile.magic)
        w.u16(BytecodeFile.version)
        w.u8(stripped ? BytecodeFile.flagStripped : 0)
        w.string(Array(main.source.utf8))
        writeProto(main, stripped: stripped, into: &w)
        return w.out
    }

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
        for ins in p.code { w.u32(ins.raw) }
        for k in p.constants {
            switch k {
            case .number(let x):
                w.u8(BytecodeFile.constantNumber)
                w.u64(x.bitPattern)
            case .string(let s):
                w.u8(BytecodeFile.constantString)
                w.string(s)
            }
        }
        for uv in p.upvalues {
            w.u8(uv.inParentFrame ? BytecodeFile.upvalueFlagInParentFrame : 0)
            w.u8(UInt8(truncatingIfNeeded: uv.index))
        }
        if !stripped {
            let d = p.debug ?? DebugInfo()
            // One line per instruction, as zigzag deltas from the previous line (the first one from
            // lineDefined). A missing entry (malformed input) is written as "same line".
            var prev = Int64(p.lineDefined)
            for pc in 0..<p.code.count {
                let line = pc < d.lineInfo.count ? Int64(d.lineInfo[pc]) : prev
                w.sleb(line &- prev)
                prev = line
            }
            w.uleb(d.locals.count)
            for l in d.locals {
                w.string(Array(l.name.utf8))
                w.u8(UInt8(truncatingIfNeeded: l.register))
                w.uleb(l.startPC)
                w.uleb(l.endPC &- l.startPC)
            }
            w.uleb(d.upvalueNames.count)
            for n in d.upvalueNames { w.string(Array(n.utf8)) }
        }
        for child in p.protos { writeProto(child, stripped: stripped, into: &w) }
    }
}

/// Little-endian output buffer with LEB128 varints.
struct ByteSink {
    var out: [UInt8] = []

    mutating func u8(_ v: UInt8) { out.append(v) }
    mutating func bytes(_ b: [UInt8]) { out.append(contentsOf: b) }
    mutating func u16(_ v: UInt16) { u8(UInt8(v & 0xff)); u8(UInt8(v >> 8)) }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { u8(UInt8(truncatingIfNeeded: v >> (8 * i))) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { u8(UInt8(truncatingIfNeeded: v >> (8 * i))) } }

    /// Unsigned LEB128: 7 bits per byte, low first, high bit set on all but the last byte.
    mutating func uleb(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            u8(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        u8(UInt8(v))
    }

    /// Negative values (only in malformed trees) become huge and are rejected when read back.
    mutating func uleb(_ v: Int) { uleb(UInt64(truncatingIfNeeded: v)) }

    /// Signed value as zigzag (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...) then ULEB128.
    mutating func sleb(_ v: Int64) { uleb(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    /// Length (ULEB128) followed by the bytes.
    mutating func string(_ s: [UInt8]) {
        uleb(s.count)
        bytes(s)
    }
}
