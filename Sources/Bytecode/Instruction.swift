// One bytecode word and its fields (see Opcode.swift for the layout).

public struct Instruction: Hashable, Sendable, CustomStringConvertible {
    public var raw: UInt32

    @inline(__always) public init(raw: UInt32) { self.raw = raw }

    @inline(__always) public init(_ op: Opcode, a: Int, b: Int, c: Int) {
        raw = UInt32(op.rawValue) | UInt32(a & 0xff) << 8 | UInt32(c & 0xff) << 16 | UInt32(b & 0xff) << 24
    }

    @inline(__always) public init(_ op: Opcode, a: Int, d: Int) {
        raw = UInt32(op.rawValue) | UInt32(a & 0xff) << 8 | UInt32(d & 0xffff) << 16
    }

    /// A jump-format instruction whose target is `offset` words after the next instruction.
    @inline(__always) public init(_ op: Opcode, a: Int, jump offset: Int) {
        self.init(op, a: a, d: offset + Limits.jumpBias)
    }

    /// The raw opcode byte (may be out of range in unverified code).
    @inline(__always) public var opByte: UInt8 { UInt8(truncatingIfNeeded: raw) }
    /// Only for verified code: traps on an unknown opcode byte.
    @inline(__always) public var op: Opcode { Opcode(rawValue: opByte)! }
    @inline(__always) public var a: Int { Int((raw >> 8) & 0xff) }
    @inline(__always) public var b: Int { Int(raw >> 24) }
    @inline(__always) public var c: Int { Int((raw >> 16) & 0xff) }
    @inline(__always) public var d: Int { Int(raw >> 16) }
    /// D read as a signed 16-bit literal (KSHORT).
    @inline(__always) public var sd: Int { Int(Int16(bitPattern: UInt16(raw >> 16))) }
    /// D read as a jump offset relative to the next instruction.
    @inline(__always) public var jumpOffset: Int { d - Limits.jumpBias }

    public mutating func setA(_ v: Int) { raw = (raw & ~0x0000_ff00) | UInt32(v & 0xff) << 8 }
    public mutating func setB(_ v: Int) { raw = (raw & ~0xff00_0000) | UInt32(v & 0xff) << 24 }
    public mutating func setC(_ v: Int) { raw = (raw & ~0x00ff_0000) | UInt32(v & 0xff) << 16 }
    public mutating func setD(_ v: Int) { raw = (raw & 0x0000_ffff) | UInt32(v & 0xffff) << 16 }
    public mutating func setJump(_ offset: Int) { setD(offset + Limits.jumpBias) }
    public mutating func setOp(_ op: Opcode) { raw = (raw & ~0xff) | UInt32(op.rawValue) }

    public var description: String {
        guard let op = Opcode(rawValue: opByte) else { return "?\(opByte)" }
        switch op.info.format {
        case .abc: return "\(op.name) \(a) \(b) \(c)"
        case .ad: return "\(op.name) \(a) \(d)"
        }
    }
}
