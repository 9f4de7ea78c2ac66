// Operands of the x86-64 assembler (see Assembler.swift for the design): general-purpose and SSE
// registers, operand widths, condition codes, memory operands and labels. Plain value types, so
// the backend can keep them in tables without ARC.

/// A general-purpose register, rax..r15, by its hardware number (0...15). The width an instruction
/// uses (rax/eax/ax/al) is chosen by the instruction's `width:` argument, not by the register.
public struct GPR: Hashable, Sendable, CustomStringConvertible {
    public let number: UInt8
    @inline(__always) public init(_ number: UInt8) {
        precondition(number < 16, "GPR number out of range")
        self.number = number
    }
    @inline(__always) var low3: UInt8 { number & 7 }
    @inline(__always) var high: UInt8 { number >> 3 }

    public static let rax = GPR(0), rcx = GPR(1), rdx = GPR(2), rbx = GPR(3)
    public static let rsp = GPR(4), rbp = GPR(5), rsi = GPR(6), rdi = GPR(7)
    public static let r8 = GPR(8), r9 = GPR(9), r10 = GPR(10), r11 = GPR(11)
    public static let r12 = GPR(12), r13 = GPR(13), r14 = GPR(14), r15 = GPR(15)
    public static let all: [GPR] = (0..<16).map { GPR(UInt8($0)) }

    static let names64 = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                          "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"]
    static let names32 = ["eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                          "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"]
    static let names16 = ["ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                          "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"]
    static let names8 = ["al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                         "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"]

    /// The Intel name of this register at `width` ("rax", "r8d", "sil", ...).
    public func name(_ width: Width = .q) -> String {
        switch width {
        case .b: return GPR.names8[Int(number)]
        case .w: return GPR.names16[Int(number)]
        case .d: return GPR.names32[Int(number)]
        case .q: return GPR.names64[Int(number)]
        }
    }
    public var description: String { name(.q) }
}

/// An SSE register, xmm0..xmm15.
public struct XMM: Hashable, Sendable, CustomStringConvertible {
    public let number: UInt8
    @inline(__always) public init(_ number: UInt8) {
        precondition(number < 16, "XMM number out of range")
        self.number = number
    }
    @inline(__always) var low3: UInt8 { number & 7 }
    @inline(__always) var high: UInt8 { number >> 3 }

    public static let xmm0 = XMM(0), xmm1 = XMM(1), xmm2 = XMM(2), xmm3 = XMM(3)
    public static let xmm4 = XMM(4), xmm5 = XMM(5), xmm6 = XMM(6), xmm7 = XMM(7)
    public static let xmm8 = XMM(8), xmm9 = XMM(9), xmm10 = XMM(10), xmm11 = XMM(11)
    public static let xmm12 = XMM(12), xmm13 = XMM(13), xmm14 = XMM(14), xmm15 = XMM(15)
    public static let all: [XMM] = (0..<16).map { XMM(UInt8($0)) }

    public var description: String { "xmm\(number)" }
}

/// Operand width of an integer instruction: byte, word (16), dword (32), qword (64).
/// 32-bit results zero-extend into the full 64-bit register (hardware rule).
public enum Width: Sendable {
    case b, w, d, q
    public var bytes: Int {
        switch self { case .b: return 1; case .w: return 2; case .d: return 4; case .q: return 8 }
    }
}

/// Condition codes, numbered as the hardware encodes them in jcc/setcc/cmovcc.
/// After `cmp a, b`: signed l/le/g/ge, unsigned b/be/a/ae. After `ucomisd a, b`: unordered sets
/// ZF, PF and CF, so `a`/`ae` mean "a > b" / "a >= b" and are false on NaN; `p` tests unordered.
public enum Cond: UInt8, Sendable, CaseIterable {
    case o = 0, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g

    public static let c = Cond.b, nc = Cond.ae, nae = Cond.b, nb = Cond.ae
    public static let z = Cond.e, nz = Cond.ne, na = Cond.be, nbe = Cond.a
    public static let pe = Cond.p, po = Cond.np, nge = Cond.l, nl = Cond.ge, ng = Cond.le, nle = Cond.g

    /// The condition that holds exactly when this one does not.
    @inline(__always) public var negated: Cond { Cond(rawValue: rawValue ^ 1)! }

    /// Mnemonic suffix as in `jne`, `setae`, `cmovl`.
    public var mnemonic: String {
        ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"][Int(rawValue)]
    }
}

/// Index scale of a memory operand; an integer literal 1, 2, 4 or 8 converts to it.
public enum Scale: UInt8, Sendable, ExpressibleByIntegerLiteral {
    case x1 = 0, x2 = 1, x4 = 2, x8 = 3
    public init(integerLiteral value: Int) {
        switch value {
        case 1: self = .x1
        case 2: self = .x2
        case 4: self = .x4
        case 8: self = .x8
        default: preconditionFailure("scale must be 1, 2, 4 or 8")
        }
    }
    public var factor: Int { 1 << Int(rawValue) }
}

/// A position in the code being assembled. Created unbound by `X64Assembler.newLabel()`, bound
/// once by `bind(_:)`; jumps, calls and RIP-relative operands may refer to it before or after.
public struct Label: Hashable, Sendable {
    public let id: Int
}

/// A memory operand: `[base + index*scale + disp]`, or `[rip + label + disp]`.
public struct Mem: Sendable {
    enum Base: Sendable {
        case reg(GPR)
        case rip(Label)
    }
    let base: Base
    public let index: GPR?
    public let scale: Scale
    public let disp: Int32

    /// `[base + index*scale + disp]`. rsp cannot be an index (the encoding has no such form).
    public init(base: GPR, index: GPR? = nil, scale: Scale = .x1, disp: Int32 = 0) {
        precondition(index != .rsp, "rsp cannot be an index register")
        self.base = .reg(base)
        self.index = index
        self.scale = scale
        self.disp = disp
    }

    /// `[base + disp]`.
    public init(_ base: GPR, _ disp: Int32 = 0) { self.init(base: base, disp: disp) }

    /// `[rip + label + disp]`, e.g. a constant-pool entry (`X64Assembler.constant(_:)`).
    public static func rip(_ label: Label, disp: Int32 = 0) -> Mem { Mem(rip: label, disp: disp) }

    private init(rip label: Label, disp: Int32) {
        self.base = .rip(label)
        self.index = nil
        self.scale = .x1
        self.disp = disp
    }

    /// The same address `d` bytes further.
    public func advanced(by d: Int32) -> Mem {
        switch base {
        case .reg(let r): return Mem(base: r, index: index, scale: scale, disp: disp + d)
        case .rip(let l): return Mem(rip: l, disp: disp + d)
        }
    }

    public var baseRegister: GPR? {
        if case .reg(let r) = base { return r }
        return nil
    }
}
