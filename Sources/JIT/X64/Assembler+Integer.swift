// Integer instructions of X64Assembler (design in Assembler.swift). Every method takes `width:`
// (default `.q`, 64-bit); `.d` writes zero-extend to 64 bits, `.w`/`.b` leave the upper bits.
// Immediates are Int32: sign-extended to 64 bits for `.q`, truncated for `.w`/`.b`.

/// The eight classic ALU operations, numbered as their ModRM opcode extension.
public enum ALUOp: UInt8, Sendable, CaseIterable {
    case add = 0, or, adc, sbb, and, sub, xor, cmp
    public var mnemonic: String { ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"][Int(rawValue)] }
}

/// Shift and rotate operations, numbered as their ModRM opcode extension.
public enum ShiftOp: UInt8, Sendable, CaseIterable {
    case rol = 0, ror = 1, rcl = 2, rcr = 3, shl = 4, shr = 5, sar = 7
    public var mnemonic: String {
        switch self {
        case .rol: return "rol"; case .ror: return "ror"; case .rcl: return "rcl"; case .rcr: return "rcr"
        case .shl: return "shl"; case .shr: return "shr"; case .sar: return "sar"
        }
    }
}

/// A shift count: an immediate (an integer literal converts) or the `cl` register.
public enum ShiftCount: Sendable, ExpressibleByIntegerLiteral {
    case imm(UInt8)
    case cl
    public init(integerLiteral value: UInt8) { self = .imm(value) }
}

extension X64Assembler {
    // MARK: mov

    /// `mov dst, src` (register to register).
    public func mov(_ dst: GPR, _ src: GPR, width: Width = .q) {
        prefix(width, reg: src.number, rm: .reg(dst.number), byteReg: width == .b, byteRM: width == .b)
        emit(width == .b ? 0x88 : 0x89)
        modrm(reg: src.number, .reg(dst.number))
    }

    /// `mov dst, [mem]` (load).
    public func mov(_ dst: GPR, _ src: Mem, width: Width = .q) {
        prefix(width, reg: dst.number, rm: .mem(src), byteReg: width == .b)
        emit(width == .b ? 0x8A : 0x8B)
        modrm(reg: dst.number, mem: src, immBytes: 0)
    }

    /// `mov [mem], src` (store).
    public func mov(_ dst: Mem, _ src: GPR, width: Width = .q) {
        prefix(width, reg: src.number, rm: .mem(dst), byteReg: width == .b)
        emit(width == .b ? 0x88 : 0x89)
        modrm(reg: src.number, mem: dst, immBytes: 0)
    }

    /// `mov [mem], imm` (imm32 sign-extended for `.q`).
    public func mov(_ dst: Mem, _ imm: Int32, width: Width = .q) {
        prefix(width, reg: 0, rm: .mem(dst))
        emit(width == .b ? 0xC6 : 0xC7)
        modrm(reg: 0, mem: dst, immBytes: X64Assembler.immBytes(width))
        immediate(imm, width)
    }

    /// `mov dst, imm` in the form GNU as uses for this text: `.q` is `C7 /0` with a sign-extended
    /// imm32; `.d`/`.w`/`.b` are `B8+r` with a full-width immediate.
    public func mov(_ dst: GPR, imm32: Int32, width: Width = .q) {
        if width == .q {
            prefix(.q, reg: 0, rm: .reg(dst.number))
            emit(0xC7)
            modrm(reg: 0, .reg(dst.number))
            emit32(UInt32(bitPattern: imm32))
            return
        }
        prefix(width, reg: 0, rm: .reg(dst.number), byteRM: width == .b)
        emit((width == .b ? 0xB0 : 0xB8) | dst.low3)
        immediate(imm32, width)
    }

    /// `movabs dst, imm64` (always the 10-byte form).
    public func movabs(_ dst: GPR, _ imm: UInt64) {
        prefix(.q, reg: 0, rm: .reg(dst.number))
        emit(0xB8 | dst.low3)
        emit64(imm)
    }

    /// Loads the 64-bit value `imm` into `dst` with the shortest encoding that leaves the flags
    /// alone: `mov r32, imm32` (zero-extends) for 0...0xFFFF_FFFF, `mov r64, simm32` for other
    /// values that fit, `movabs` otherwise.
    public func mov(_ dst: GPR, _ imm: Int64) {
        if imm >= 0 && imm <= 0xFFFF_FFFF {
            mov(dst, imm32: Int32(bitPattern: UInt32(imm)), width: .d)
        } else if let v = Int32(exactly: imm) {
            mov(dst, imm32: v, width: .q)
        } else {
            movabs(dst, UInt64(bitPattern: imm))
        }
    }

    /// `mov(dst, Int64(bitPattern: bits))`: for pointers and NaN-boxed values.
    public func mov(_ dst: GPR, bits: UInt64) { mov(dst, Int64(bitPattern: bits)) }

    /// `xor r32, r32`: zeroes `dst` in 2-3 bytes (clobbers the flags).
    public func zero(_ dst: GPR) { xor(dst, dst, width: .d) }

    /// `lea dst, [mem]` (`.q` or `.d`).
    public func lea(_ dst: GPR, _ src: Mem, width: Width = .q) {
        precondition(width != .b, "lea has no byte form")
        prefix(width, reg: dst.number, rm: .mem(src))
        emit(0x8D)
        modrm(reg: dst.number, mem: src, immBytes: 0)
    }

    /// `movzx dst, src` zero-extending a byte (`from: .b`) or word (`from: .w`) into `width`
    /// (`.d` is one byte shorter than `.q` and has the same effect).
    public func movzx(_ dst: GPR, _ src: GPR, from: Width, width: Width = .q) {
        extend(0xB6, dst, .reg(src.number), from: from, width: width)
    }
    public func movzx(_ dst: GPR, _ src: Mem, from: Width, width: Width = .q) {
        extend(0xB6, dst, .mem(src), from: from, width: width)
    }
    /// `movsx dst, src` sign-extending a byte or word into `width`.
    public func movsx(_ dst: GPR, _ src: GPR, from: Width, width: Width = .q) {
        extend(0xBE, dst, .reg(src.number), from: from, width: width)
    }
    public func movsx(_ dst: GPR, _ src: Mem, from: Width, width: Width = .q) {
        extend(0xBE, dst, .mem(src), from: from, width: width)
    }

    private func extend(_ op: UInt8, _ dst: GPR, _ src: RM, from: Width, width: Width) {
        precondition((from == .b && width != .b) || (from == .w && (width == .d || width == .q)),
                     "movzx/movsx extend a byte or a word into a wider register")
        prefix(width, reg: dst.number, rm: src, byteRM: from == .b)
        emit(0x0F)
        emit(from == .b ? op : op + 1)
        modrm(reg: dst.number, src)
    }

    /// `movsxd dst, src32`: sign-extends a dword into a 64-bit register.
    public func movsxd(_ dst: GPR, _ src: GPR) {
        prefix(.q, reg: dst.number, rm: .reg(src.number))
        emit(0x63)
        modrm(reg: dst.number, .reg(src.number))
    }
    public func movsxd(_ dst: GPR, _ src: Mem) {
        prefix(.q, reg: dst.number, rm: .mem(src))
        emit(0x63)
        modrm(reg: dst.number, mem: src, immBytes: 0)
    }

    /// `xchg a, b` (`90+r` when one side is the accumulator, except `xchg eax, eax`, which as
    /// `90` would be a nop instead of clearing the upper half).
    public func xchg(_ a: GPR, _ b: GPR, width: Width = .q) {
        if width != .b && (a == .rax || b == .rax) && !(width == .d && a == b) {
            let other = a == .rax ? b : a
            if width == .q && other == .rax { emit(0x90); return }  // a nop either way; as GNU as
            prefix(width, reg: 0, rm: .reg(other.number))
            emit(0x90 | other.low3)
            return
        }
        prefix(width, reg: b.number, rm: .reg(a.number), byteReg: width == .b, byteRM: width == .b)
        emit(width == .b ? 0x86 : 0x87)
        modrm(reg: b.number, .reg(a.number))
    }

    // MARK: ALU

    /// `op dst, src` (register, register).
    public func alu(_ op: ALUOp, _ dst: GPR, _ src: GPR, width: Width = .q) {
        prefix(width, reg: src.number, rm: .reg(dst.number), byteReg: width == .b, byteRM: width == .b)
        emit(op.rawValue << 3 | (width == .b ? 0 : 1))
        modrm(reg: src.number, .reg(dst.number))
    }

    /// `op dst, imm`: imm8 form when it fits, the accumulator form for rax, else imm32.
    public func alu(_ op: ALUOp, _ dst: GPR, _ imm: Int32, width: Width = .q) {
        if width != .b && X64Assembler.fitsImm8(imm, width) {
            prefix(width, reg: 0, rm: .reg(dst.number))
            emit(0x83)
            modrm(reg: op.rawValue, .reg(dst.number))
            emit(UInt8(truncatingIfNeeded: imm))
        } else if dst == .rax {
            prefix(width, reg: 0, rm: .reg(0))
            emit(op.rawValue << 3 | (width == .b ? 4 : 5))
            immediate(imm, width)
        } else {
            prefix(width, reg: 0, rm: .reg(dst.number), byteRM: width == .b)
            emit(width == .b ? 0x80 : 0x81)
            modrm(reg: op.rawValue, .reg(dst.number))
            immediate(imm, width)
        }
    }

    /// `op dst, [mem]`.
    public func alu(_ op: ALUOp, _ dst: GPR, _ src: Mem, width: Width = .q) {
        prefix(width, reg: dst.number, rm: .mem(src), byteReg: width == .b)
        emit(op.rawValue << 3 | (width == .b ? 2 : 3))
        modrm(reg: dst.number, mem: src, immBytes: 0)
    }

    /// `op [mem], src`.
    public func alu(_ op: ALUOp, _ dst: Mem, _ src: GPR, width: Width = .q) {
        prefix(width, reg: src.number, rm: .mem(dst), byteReg: width == .b)
        emit(op.rawValue << 3 | (width == .b ? 0 : 1))
        modrm(reg: src.number, mem: dst, immBytes: 0)
    }

    /// `op [mem], imm`.
    public func alu(_ op: ALUOp, _ dst: Mem, _ imm: Int32, width: Width = .q) {
        prefix(width, reg: 0, rm: .mem(dst))
        if width != .b && X64Assembler.fitsImm8(imm, width) {
            emit(0x83)
            modrm(reg: op.rawValue, mem: dst, immBytes: 1)
            emit(UInt8(truncatingIfNeeded: imm))
        } else {
            emit(width == .b ? 0x80 : 0x81)
            modrm(reg: op.rawValue, mem: dst, immBytes: X64Assembler.immBytes(width))
            immediate(imm, width)
        }
    }

    public func add(_ d: GPR, _ s: GPR, width: Width = .q) { alu(.add, d, s, width: width) }
    public func add(_ d: GPR, _ i: Int32, width: Width = .q) { alu(.add, d, i, width: width) }
    public func add(_ d: GPR, _ s: Mem, width: Width = .q) { alu(.add, d, s, width: width) }
    public func add(_ d: Mem, _ s: GPR, width: Width = .q) { alu(.add, d, s, width: width) }
    public func add(_ d: Mem, _ i: Int32, width: Width = .q) { alu(.add, d, i, width: width) }
    public func or(_ d: GPR, _ s: GPR, width: Width = .q) { alu(.or, d, s, width: width) }
    public func or(_ d: GPR, _ i: Int32, width: Width = .q) { alu(.or, d, i, width: width) }
    public func or(_ d: GPR, _ s: Mem, width: Width = .q) { alu(.or, d, s, width: width) }
    public func or(_ d: Mem, _ s: GPR, width: Width = .q) { alu(.or, d, s, width: width) }
    public func or(_ d: Mem, _ i: Int32, width: Width = .q) { alu(.or, d, i, width: width) }
    public func adc(_ d: GPR, _ s: GPR, width: Width = .q) { alu(.adc, d, s, width: width) }
    public func adc(_ d: GPR, _ i: Int32, width: Width = .q) { alu(.adc, d, i, width: width) }
    public func adc(_ d: GPR, _ s: Mem, width: Width = .q) { alu(.adc, d, s, width: width) }
    public func adc(_ d: Mem, _ s: GPR, width: Width = .q) { alu(.adc, d, s, width: width) }
    public func adc(_ d: Mem, _ i: Int32, width: Width = .q) { alu(.adc, d, i, width: width) }
    public func sbb(_ d: GPR, _ s: GPR, width: Width = .q) { alu(.sbb, d, s, width: width) }
    public func sbb(_ d: GPR, _ i: Int32, width: Width = .q) { alu(.sbb, d, i, width: width) }
    public func sbb(_ d: GPR, _ s: Mem, width: Width = .q) { alu(.sbb, d, s, width: width) }
    public func sbb(_ d: Mem, _ s: GPR, width: Width = .q) { alu(.sbb, d, s, width: width) }
    public func sbb(_ d: Mem, _ i: Int32, width: Width = .q) { alu(.sbb, d, i, width: width) }
    public func and(_ d: GPR, _ s: GPR, width: Width = .q) { alu(.and, d, s, width: width) }
    public func and(_ d: GPR, _ i: Int32, width: Width = .q) { alu(.and, d, i, width: width) }
    public func and(_ d: GPR, _ s: Mem, width: Width = .q) { alu(.and, d, s, width: width) }
    public func and(_ d: Mem, _ s: GPR, width: Width = .q) { alu(.and, d, s, width: width) }
    public func and(_ d: Mem, _ i: Int32, width: Width = .q) { alu(.and, d, i, width: width) }
    public func sub(_ d: GPR, _ s: GPR, width: Width = .q) { alu(.sub, d, s, width: width) }
    public func sub(_ d: GPR, _ i: Int32, width: Width = .q) { alu(.sub, d, i, width: width) }
    public func sub(_ d: GPR, _ s: Mem, width: Width = .q) { alu(.sub, d, s, width: width) }
    public func sub(_ d: Mem, _ s: GPR, width: Width = .q) { alu(.sub, d, s, width: width) }
    public func sub(_ d: Mem, _ i: Int32, width: Width = .q) { alu(.sub, d, i, width: width) }
    public func xor(_ d: GPR, _ s: GPR, width: Width = .q) { alu(.xor, d, s, width: width) }
    public func xor(_ d: GPR, _ i: Int32, width: Width = .q) { alu(.xor, d, i, width: width) }
    public func xor(_ d: GPR, _ s: Mem, width: Width = .q) { alu(.xor, d, s, width: width) }
    public func xor(_ d: Mem, _ s: GPR, width: Width = .q) { alu(.xor, d, s, width: width) }
    public func xor(_ d: Mem, _ i: Int32, width: Width = .q) { alu(.xor, d, i, width: width) }
    public func cmp(_ d: GPR, _ s: GPR, width: Width = .q) { alu(.cmp, d, s, width: width) }
    public func cmp(_ d: GPR, _ i: Int32, width: Width = .q) { alu(.cmp, d, i, width: width) }
    public func cmp(_ d: GPR, _ s: Mem, width: Width = .q) { alu(.cmp, d, s, width: width) }
    public func cmp(_ d: Mem, _ s: GPR, width: Width = .q) { alu(.cmp, d, s, width: width) }
    public func cmp(_ d: Mem, _ i: Int32, width: Width = .q) { alu(.cmp, d, i, width: width) }

    // MARK: test

    /// `test a, b`.
    public func test(_ a: GPR, _ b: GPR, width: Width = .q) {
        prefix(width, reg: b.number, rm: .reg(a.number), byteReg: width == .b, byteRM: width == .b)
        emit(width == .b ? 0x84 : 0x85)
        modrm(reg: b.number, .reg(a.number))
    }
    /// `test a, imm` (no imm8 form exists; `A9` for rax).
    public func test(_ a: GPR, _ imm: Int32, width: Width = .q) {
        if a == .rax {
            prefix(width, reg: 0, rm: .reg(0))
            emit(width == .b ? 0xA8 : 0xA9)
        } else {
            prefix(width, reg: 0, rm: .reg(a.number), byteRM: width == .b)
            emit(width == .b ? 0xF6 : 0xF7)
            modrm(reg: 0, .reg(a.number))
        }
        immediate(imm, width)
    }
    /// `test [mem], b`.
    public func test(_ a: Mem, _ b: GPR, width: Width = .q) {
        prefix(width, reg: b.number, rm: .mem(a), byteReg: width == .b)
        emit(width == .b ? 0x84 : 0x85)
        modrm(reg: b.number, mem: a, immBytes: 0)
    }
    /// `test [mem], imm`.
    public func test(_ a: Mem, _ imm: Int32, width: Width = .q) {
        prefix(width, reg: 0, rm: .mem(a))
        emit(width == .b ? 0xF6 : 0xF7)
        modrm(reg: 0, mem: a, immBytes: X64Assembler.immBytes(width))
        immediate(imm, width)
    }

    // MARK: Multiply, divide, unary

    /// `imul dst, src` (dst = low bits of dst * src; `.w`, `.d`, `.q`).
    public func imul(_ dst: GPR, _ src: GPR, width: Width = .q) {
        precondition(width != .b, "imul r, r/m has no byte form")
        prefix(width, reg: dst.number, rm: .reg(src.number))
        emit(0x0F); emit(0xAF)
        modrm(reg: dst.number, .reg(src.number))
    }
    public func imul(_ dst: GPR, _ src: Mem, width: Width = .q) {
        precondition(width != .b, "imul r, r/m has no byte form")
        prefix(width, reg: dst.number, rm: .mem(src))
        emit(0x0F); emit(0xAF)
        modrm(reg: dst.number, mem: src, immBytes: 0)
    }
    /// `imul dst, src, imm` (dst = src * imm).
    public func imul(_ dst: GPR, _ src: GPR, _ imm: Int32, width: Width = .q) {
        imul3(dst, .reg(src.number), imm, width)
    }
    public func imul(_ dst: GPR, _ src: Mem, _ imm: Int32, width: Width = .q) {
        imul3(dst, .mem(src), imm, width)
    }
    private func imul3(_ dst: GPR, _ src: RM, _ imm: Int32, _ width: Width) {
        precondition(width != .b, "imul r, r/m, imm has no byte form")
        prefix(width, reg: dst.number, rm: src)
        if X64Assembler.fitsImm8(imm, width) {
            emit(0x6B)
            modrm(reg: dst.number, src, immBytes: 1)
            emit(UInt8(truncatingIfNeeded: imm))
        } else {
            emit(0x69)
            modrm(reg: dst.number, src, immBytes: X64Assembler.immBytes(width))
            immediate(imm, width)
        }
    }

    /// `cqo` (rdx:rax = sign-extended rax), before a 64-bit `idiv`.
    public func cqo() { emit(0x48); emit(0x99) }
    /// `cdq` (edx:eax = sign-extended eax), before a 32-bit `idiv`.
    public func cdq() { emit(0x99) }

    private func group3(_ ext: UInt8, _ rm: RM, _ width: Width) {
        prefix(width, reg: 0, rm: rm, byteRM: width == .b)
        emit(width == .b ? 0xF6 : 0xF7)
        modrm(reg: ext, rm)
    }
    private func group5(_ ext: UInt8, _ rm: RM, _ width: Width) {
        prefix(width, reg: 0, rm: rm, byteRM: width == .b)
        emit(width == .b ? 0xFE : 0xFF)
        modrm(reg: ext, rm)
    }

    public func not(_ r: GPR, width: Width = .q) { group3(2, .reg(r.number), width) }
    public func not(_ m: Mem, width: Width = .q) { group3(2, .mem(m), width) }
    public func neg(_ r: GPR, width: Width = .q) { group3(3, .reg(r.number), width) }
    public func neg(_ m: Mem, width: Width = .q) { group3(3, .mem(m), width) }
    /// `mul src` (unsigned rdx:rax = rax * src).
    public func mul(_ r: GPR, width: Width = .q) { group3(4, .reg(r.number), width) }
    /// `div src` (unsigned rdx:rax / src: quotient in rax, remainder in rdx).
    public func div(_ r: GPR, width: Width = .q) { group3(6, .reg(r.number), width) }
    /// `idiv src` (signed rdx:rax / src: quotient in rax, remainder in rdx).
    public func idiv(_ r: GPR, width: Width = .q) { group3(7, .reg(r.number), width) }
    public func inc(_ r: GPR, width: Width = .q) { group5(0, .reg(r.number), width) }
    public func inc(_ m: Mem, width: Width = .q) { group5(0, .mem(m), width) }
    public func dec(_ r: GPR, width: Width = .q) { group5(1, .reg(r.number), width) }
    public func dec(_ m: Mem, width: Width = .q) { group5(1, .mem(m), width) }

    // MARK: Shifts and rotates

    /// `op dst, count`: `D1` for a count of 1, `C1 ib` for other immediates, `D3` for cl.
    public func shift(_ op: ShiftOp, _ dst: GPR, _ count: ShiftCount, width: Width = .q) {
        shift(op, .reg(dst.number), count, width)
    }
    public func shift(_ op: ShiftOp, _ dst: Mem, _ count: ShiftCount, width: Width = .q) {
        shift(op, .mem(dst), count, width)
    }
    private func shift(_ op: ShiftOp, _ rm: RM, _ count: ShiftCount, _ width: Width) {
        prefix(width, reg: 0, rm: rm, byteRM: width == .b)
        let b: UInt8 = width == .b ? 0 : 1
        switch count {
        case .cl:
            emit(0xD2 | b)
            modrm(reg: op.rawValue, rm)
        case .imm(1):
            emit(0xD0 | b)
            modrm(reg: op.rawValue, rm)
        case .imm(let n):
            emit(0xC0 | b)
            modrm(reg: op.rawValue, rm, immBytes: 1)
            emit(n)
        }
    }
    public func shl(_ d: GPR, _ c: ShiftCount, width: Width = .q) { shift(.shl, d, c, width: width) }
    public func shr(_ d: GPR, _ c: ShiftCount, width: Width = .q) { shift(.shr, d, c, width: width) }
    public func sar(_ d: GPR, _ c: ShiftCount, width: Width = .q) { shift(.sar, d, c, width: width) }
    public func rol(_ d: GPR, _ c: ShiftCount, width: Width = .q) { shift(.rol, d, c, width: width) }
    public func ror(_ d: GPR, _ c: ShiftCount, width: Width = .q) { shift(.ror, d, c, width: width) }

    // MARK: Bits

    /// `bswap r` (`.d` or `.q`).
    public func bswap(_ r: GPR, width: Width = .q) {
        precondition(width == .d || width == .q, "bswap takes a dword or qword register")
        prefix(width, reg: 0, rm: .reg(r.number))
        emit(0x0F)
        emit(0xC8 | r.low3)
    }

    /// `bt r, bit` (CF = bit `bit` of r; bit index taken modulo the width).
    public func bt(_ r: GPR, _ bit: GPR, width: Width = .q) {
        precondition(width != .b, "bt has no byte form")
        prefix(width, reg: bit.number, rm: .reg(r.number))
        emit(0x0F); emit(0xA3)
        modrm(reg: bit.number, .reg(r.number))
    }
    /// `bt r, imm8`.
    public func bt(_ r: GPR, _ bit: UInt8, width: Width = .q) {
        precondition(width != .b, "bt has no byte form")
        prefix(width, reg: 0, rm: .reg(r.number))
        emit(0x0F); emit(0xBA)
        modrm(reg: 4, .reg(r.number))
        emit(bit)
    }

    /// `bts`/`btr`/`btc r, bit`: test bit into CF, then set / reset / complement it.
    public func bts(_ r: GPR, _ bit: GPR, width: Width = .q) { bitOp(0xAB, r, bit, width) }
    public func btr(_ r: GPR, _ bit: GPR, width: Width = .q) { bitOp(0xB3, r, bit, width) }
    public func btc(_ r: GPR, _ bit: GPR, width: Width = .q) { bitOp(0xBB, r, bit, width) }
    public func bts(_ r: GPR, _ bit: UInt8, width: Width = .q) { bitOp(5, r, bit, width) }
    public func btr(_ r: GPR, _ bit: UInt8, width: Width = .q) { bitOp(6, r, bit, width) }
    public func btc(_ r: GPR, _ bit: UInt8, width: Width = .q) { bitOp(7, r, bit, width) }

    private func bitOp(_ op: UInt8, _ r: GPR, _ bit: GPR, _ width: Width) {
        precondition(width != .b, "bts/btr/btc have no byte form")
        prefix(width, reg: bit.number, rm: .reg(r.number))
        emit(0x0F); emit(op)
        modrm(reg: bit.number, .reg(r.number))
    }
    private func bitOp(_ ext: UInt8, _ r: GPR, _ bit: UInt8, _ width: Width) {
        precondition(width != .b, "bts/btr/btc have no byte form")
        prefix(width, reg: 0, rm: .reg(r.number))
        emit(0x0F); emit(0xBA)
        modrm(reg: ext, .reg(r.number))
        emit(bit)
    }

    /// `bsf`/`bsr dst, src`: index of the lowest / highest set bit (dst undefined, ZF set, if src is 0).
    public func bsf(_ dst: GPR, _ src: GPR, width: Width = .q) { scan(0, 0xBC, dst, src, width) }
    public func bsr(_ dst: GPR, _ src: GPR, width: Width = .q) { scan(0, 0xBD, dst, src, width) }
    /// `popcnt`, `tzcnt`, `lzcnt` (check X64CPU: POPCNT, BMI1, LZCNT; on CPUs without BMI1/LZCNT
    /// the tzcnt/lzcnt encodings silently execute as bsf/bsr).
    public func popcnt(_ dst: GPR, _ src: GPR, width: Width = .q) { scan(0xF3, 0xB8, dst, src, width) }
    public func tzcnt(_ dst: GPR, _ src: GPR, width: Width = .q) { scan(0xF3, 0xBC, dst, src, width) }
    public func lzcnt(_ dst: GPR, _ src: GPR, width: Width = .q) { scan(0xF3, 0xBD, dst, src, width) }

    private func scan(_ legacy: UInt8, _ op: UInt8, _ dst: GPR, _ src: GPR, _ width: Width) {
        precondition(width != .b, "no byte form")
        prefix(width, legacy: legacy, reg: dst.number, rm: .reg(src.number))
        emit(0x0F); emit(op)
        modrm(reg: dst.number, .reg(src.number))
    }

    /// `test r, [mem]` (the same instruction as `test [mem], r`).
    public func test(_ a: GPR, _ b: Mem, width: Width = .q) { test(b, a, width: width) }

    // MARK: Stack

    public func push(_ r: GPR) {
        if r.high != 0 { emit(0x41) }
        emit(0x50 | r.low3)
    }
    public func pop(_ r: GPR) {
        if r.high != 0 { emit(0x41) }
        emit(0x58 | r.low3)
    }
    /// `push imm` (sign-extended to 64 bits; imm8 form when it fits).
    public func push(_ imm: Int32) {
        if imm >= -128 && imm <= 127 {
            emit(0x6A); emit(UInt8(truncatingIfNeeded: imm))
        } else {
            emit(0x68); emit32(UInt32(bitPattern: imm))
        }
    }

    /// `leave` (mov rsp, rbp; pop rbp).
    public func leave() { emit(0xC9) }

    /// `cpuid` (eax/ecx in, eax/ebx/ecx/edx out).
    public func cpuid() { emit(0x0F); emit(0xA2) }
}
