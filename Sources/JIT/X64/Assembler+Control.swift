// Control flow of X64Assembler (design in Assembler.swift): jumps and calls to labels, registers,
// memory and absolute addresses, patchable exit jumps, setcc/cmovcc, traps, nops and alignment.

extension X64Assembler {
    // MARK: Jumps to labels

    /// `jmp label`: rel8 when the label is already bound and in reach, rel32 otherwise.
    public func jmp(_ label: Label) {
        if let t = offset(of: label), t - (offset + 2) >= -128 {
            emit(0xEB)
            emit(UInt8(bitPattern: Int8(t - (offset + 1))))
        } else {
            jmp32(label)
        }
    }

    /// `jmp label` with rel8; `finish` throws if the label ends up out of reach.
    public func jmpShort(_ label: Label) {
        emit(0xEB)
        addFixup(at: offset, size: 1, target: .label(label.id))
        emit(0)
    }

    /// `jmp label` with rel32.
    public func jmp32(_ label: Label) {
        emit(0xE9)
        addFixup(at: offset, size: 4, target: .label(label.id))
        emit32(0)
    }

    /// `jcc label`: rel8 when the label is already bound and in reach, rel32 otherwise.
    public func jcc(_ cond: Cond, _ label: Label) {
        if let t = offset(of: label), t - (offset + 2) >= -128 {
            emit(0x70 | cond.rawValue)
            emit(UInt8(bitPattern: Int8(t - (offset + 1))))
        } else {
            jcc32(cond, label)
        }
    }

    /// `jcc label` with rel8; `finish` throws if the label ends up out of reach.
    public func jccShort(_ cond: Cond, _ label: Label) {
        emit(0x70 | cond.rawValue)
        addFixup(at: offset, size: 1, target: .label(label.id))
        emit(0)
    }

    /// `jcc label` with rel32.
    public func jcc32(_ cond: Cond, _ label: Label) {
        emit(0x0F)
        emit(0x80 | cond.rawValue)
        addFixup(at: offset, size: 4, target: .label(label.id))
        emit32(0)
    }

    /// `call label` (rel32).
    public func call(_ label: Label) {
        emit(0xE8)
        addFixup(at: offset, size: 4, target: .label(label.id))
        emit32(0)
    }

    /// `jmp label` (rel32) whose displacement will be patched later; returns the offset of the
    /// rel32 field (add the code's base address for `CodeArena.patchRel32(at:target:)`).
    @discardableResult
    public func patchableJump(to label: Label) -> Int {
        jmp32(label)
        return offset - 4
    }

    /// `jcc label` (rel32) whose displacement will be patched later; returns the offset of the
    /// rel32 field.
    @discardableResult
    public func patchableJcc(_ cond: Cond, to label: Label) -> Int {
        jcc32(cond, label)
        return offset - 4
    }

    // MARK: Absolute targets (resolved by finish(baseAddress:))

    /// `call rel32` to an absolute address (a helper or another trace); `finish` throws
    /// `rel32OutOfRange` if it is not within ±2 GB of the code.
    public func call(absolute target: UInt64) {
        emit(0xE8)
        addFixup(at: offset, size: 4, target: .absolute(target))
        emit32(0)
    }

    /// `jmp rel32` to an absolute address; returns the offset of the rel32 field.
    @discardableResult
    public func jmp(absolute target: UInt64) -> Int {
        emit(0xE9)
        addFixup(at: offset, size: 4, target: .absolute(target))
        emit32(0)
        return offset - 4
    }

    /// `jcc rel32` to an absolute address; returns the offset of the rel32 field.
    @discardableResult
    public func jcc(_ cond: Cond, absolute target: UInt64) -> Int {
        emit(0x0F)
        emit(0x80 | cond.rawValue)
        addFixup(at: offset, size: 4, target: .absolute(target))
        emit32(0)
        return offset - 4
    }

    // MARK: Indirect

    /// `call r`.
    public func call(_ r: GPR) {
        if r.high != 0 { emit(0x41) }
        emit(0xFF)
        modrm(reg: 2, .reg(r.number))
    }
    /// `call [mem]`.
    public func call(_ m: Mem) {
        prefix(.d, reg: 0, rm: .mem(m))
        emit(0xFF)
        modrm(reg: 2, mem: m, immBytes: 0)
    }
    /// `jmp r`.
    public func jmp(_ r: GPR) {
        if r.high != 0 { emit(0x41) }
        emit(0xFF)
        modrm(reg: 4, .reg(r.number))
    }
    /// `jmp [mem]`.
    public func jmp(_ m: Mem) {
        prefix(.d, reg: 0, rm: .mem(m))
        emit(0xFF)
        modrm(reg: 4, mem: m, immBytes: 0)
    }

    /// `ret`.
    public func ret() { emit(0xC3) }

    // MARK: Conditions

    /// `setcc r8` (writes the low byte only; `movzx` it for a full register).
    public func setcc(_ cond: Cond, _ r: GPR) {
        prefix(.b, reg: 0, rm: .reg(r.number), byteRM: true)
        emit(0x0F)
        emit(0x90 | cond.rawValue)
        modrm(reg: 0, .reg(r.number))
    }

    /// `cmovcc dst, src` (`.w`, `.d`, `.q`; with `.d` the upper half is cleared even when the
    /// condition is false).
    public func cmov(_ cond: Cond, _ dst: GPR, _ src: GPR, width: Width = .q) {
        precondition(width != .b, "cmov has no byte form")
        prefix(width, reg: dst.number, rm: .reg(src.number))
        emit(0x0F)
        emit(0x40 | cond.rawValue)
        modrm(reg: dst.number, .reg(src.number))
    }
    public func cmov(_ cond: Cond, _ dst: GPR, _ src: Mem, width: Width = .q) {
        precondition(width != .b, "cmov has no byte form")
        prefix(width, reg: dst.number, rm: .mem(src))
        emit(0x0F)
        emit(0x40 | cond.rawValue)
        modrm(reg: dst.number, mem: src, immBytes: 0)
    }

    // MARK: Traps, nops, alignment

    /// `int3` (breakpoint trap).
    public func int3() { emit(0xCC) }
    /// `ud2` (guaranteed invalid opcode).
    public func ud2() { emit(0x0F); emit(0x0B) }

    /// The recommended multi-byte nop of each length 1...9 (Intel SDM, NOP).
    static let nops: [[UInt8]] = [
        [],
        [0x90],
        [0x66, 0x90],
        [0x0F, 0x1F, 0x00],
        [0x0F, 0x1F, 0x40, 0x00],
        [0x0F, 0x1F, 0x44, 0x00, 0x00],
        [0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00],
        [0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00],
        [0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
        [0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
    ]

    /// `size` bytes of nops, as few instructions as possible (at most 9 bytes each).
    public func nop(_ size: Int = 1) {
        var left = size
        while left > 0 {
            let n = min(left, 9)
            emit(contentsOf: X64Assembler.nops[n])
            left -= n
        }
    }

    /// Pads with nops to a multiple of `alignment` (a power of two, at most 4096).
    public func align(_ alignment: Int) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0 && alignment <= 4096,
                     "alignment must be a power of two up to 4096")
        nop((alignment - offset & (alignment - 1)) & (alignment - 1))
    }
}
