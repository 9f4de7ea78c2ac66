// SSE2 / SSE4.1 instructions of X64Assembler (design in Assembler.swift): scalar doubles, moves
// between GPRs and XMM registers, conversions, packed logic for sign masks, roundsd.
// Packed operations (`movapd`, `xorpd`, `andpd`, ...) with a memory operand need it 16-byte aligned:
// use `constant128` for their constants.

/// Predicates of `cmpsd` (the ordered/unordered behaviour is the instruction's: `lt`, `le`, `eq`
/// are false on NaN, their negations true).
public enum CmpPredicate: UInt8, Sendable, CaseIterable {
    case eq = 0, lt, le, unord, neq, nlt, nle, ord
}

/// Rounding-mode immediates for `roundsd` (the precision exception is always suppressed).
public enum RoundingMode: UInt8, Sendable {
    case nearest = 0x8, floor = 0x9, ceil = 0xA, trunc = 0xB
}

extension X64Assembler {
    /// `[legacy] [REX] 0F op /r [imm8]` with `reg` and `rm` register numbers or memory.
    @inline(__always)
    func sse(_ legacy: UInt8, _ op: UInt8, reg: UInt8, _ rm: RM, w64: Bool = false) {
        prefix(w64 ? .q : .d, legacy: legacy, reg: reg, rm: rm)
        emit(0x0F)
        emit(op)
        modrm(reg: reg, rm)
    }

    // MARK: Moves

    /// `movsd dst, src` (low lane; upper lane of dst kept).
    public func movsd(_ dst: XMM, _ src: XMM) { sse(0xF2, 0x10, reg: dst.number, .reg(src.number)) }
    /// `movsd dst, [mem]` (loads 8 bytes, clears the upper lane).
    public func movsd(_ dst: XMM, _ src: Mem) { sse(0xF2, 0x10, reg: dst.number, .mem(src)) }
    /// `movsd [mem], src`.
    public func movsd(_ dst: Mem, _ src: XMM) { sse(0xF2, 0x11, reg: src.number, .mem(dst)) }

    /// `movapd dst, src` (full register copy: the preferred xmm-to-xmm move).
    public func movapd(_ dst: XMM, _ src: XMM) { sse(0x66, 0x28, reg: dst.number, .reg(src.number)) }
    /// `movapd dst, [mem]` (16 bytes, aligned).
    public func movapd(_ dst: XMM, _ src: Mem) { sse(0x66, 0x28, reg: dst.number, .mem(src)) }
    /// `movapd [mem], src` (16 bytes, aligned).
    public func movapd(_ dst: Mem, _ src: XMM) { sse(0x66, 0x29, reg: src.number, .mem(dst)) }
    /// `movupd dst, [mem]` / `movupd [mem], src` (16 bytes, unaligned).
    public func movupd(_ dst: XMM, _ src: Mem) { sse(0x66, 0x10, reg: dst.number, .mem(src)) }
    public func movupd(_ dst: Mem, _ src: XMM) { sse(0x66, 0x11, reg: src.number, .mem(dst)) }

    /// `movq xmm, r64` (bits move; clears the upper lane).
    public func movq(_ dst: XMM, _ src: GPR) { sse(0x66, 0x6E, reg: dst.number, .reg(src.number), w64: true) }
    /// `movq r64, xmm` (bits move).
    public func movq(_ dst: GPR, _ src: XMM) { sse(0x66, 0x7E, reg: src.number, .reg(dst.number), w64: true) }
    /// `movd xmm, r32`.
    public func movd(_ dst: XMM, _ src: GPR) { sse(0x66, 0x6E, reg: dst.number, .reg(src.number)) }
    /// `movd r32, xmm`.
    public func movd(_ dst: GPR, _ src: XMM) { sse(0x66, 0x7E, reg: src.number, .reg(dst.number)) }

    /// `movmskpd r32, xmm` (bit 0 = sign of the low lane, bit 1 = sign of the high lane).
    public func movmskpd(_ dst: GPR, _ src: XMM) { sse(0x66, 0x50, reg: dst.number, .reg(src.number)) }

    // MARK: Scalar double arithmetic

    public func addsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x58, reg: d.number, .reg(s.number)) }
    public func addsd(_ d: XMM, _ s: Mem) { sse(0xF2, 0x58, reg: d.number, .mem(s)) }
    public func mulsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x59, reg: d.number, .reg(s.number)) }
    public func mulsd(_ d: XMM, _ s: Mem) { sse(0xF2, 0x59, reg: d.number, .mem(s)) }
    public func subsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x5C, reg: d.number, .reg(s.number)) }
    public func subsd(_ d: XMM, _ s: Mem) { sse(0xF2, 0x5C, reg: d.number, .mem(s)) }
    /// `minsd d, s`: d = d < s ? d : s (returns s when either is NaN, and for ±0 ties).
    public func minsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x5D, reg: d.number, .reg(s.number)) }
    public func minsd(_ d: XMM, _ s: Mem) { sse(0xF2, 0x5D, reg: d.number, .mem(s)) }
    public func divsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x5E, reg: d.number, .reg(s.number)) }
    public func divsd(_ d: XMM, _ s: Mem) { sse(0xF2, 0x5E, reg: d.number, .mem(s)) }
    /// `maxsd d, s`: d = d > s ? d : s (returns s when either is NaN, and for ±0 ties).
    public func maxsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x5F, reg: d.number, .reg(s.number)) }
    public func maxsd(_ d: XMM, _ s: Mem) { sse(0xF2, 0x5F, reg: d.number, .mem(s)) }
    public func sqrtsd(_ d: XMM, _ s: XMM) { sse(0xF2, 0x51, reg: d.number, .reg(s.number)) }
    public func sqrtsd(_ d: XMM, _ s: Mem) { sse(0xF2, 0x51, reg: d.number, .mem(s)) }

    /// `ucomisd a, b`: unordered compare (quiet on NaN): ZF PF CF = 111 unordered,
    /// 000 a > b, 001 a < b, 100 equal.
    public func ucomisd(_ a: XMM, _ b: XMM) { sse(0x66, 0x2E, reg: a.number, .reg(b.number)) }
    public func ucomisd(_ a: XMM, _ b: Mem) { sse(0x66, 0x2E, reg: a.number, .mem(b)) }
    /// `comisd a, b`: like ucomisd but signals invalid on any NaN.
    public func comisd(_ a: XMM, _ b: XMM) { sse(0x66, 0x2F, reg: a.number, .reg(b.number)) }
    public func comisd(_ a: XMM, _ b: Mem) { sse(0x66, 0x2F, reg: a.number, .mem(b)) }

    // MARK: Conversions

    /// `cvtsi2sd dst, src` from a signed `.d` or `.q` integer (merges into dst's upper lane: clear
    /// dst first, e.g. with `xorpd`, to break the dependency on its old value).
    public func cvtsi2sd(_ dst: XMM, _ src: GPR, width: Width = .q) {
        precondition(width == .d || width == .q, "conversions take a dword or qword integer")
        sse(0xF2, 0x2A, reg: dst.number, .reg(src.number), w64: width == .q)
    }
    public func cvtsi2sd(_ dst: XMM, _ src: Mem, width: Width = .q) {
        precondition(width == .d || width == .q, "conversions take a dword or qword integer")
        sse(0xF2, 0x2A, reg: dst.number, .mem(src), w64: width == .q)
    }
    /// `cvttsd2si dst, src` (truncating; out of range or NaN gives the "integer indefinite" value
    /// 0x80000000 / 0x8000000000000000).
    public func cvttsd2si(_ dst: GPR, _ src: XMM, width: Width = .q) {
        precondition(width == .d || width == .q, "conversions take a dword or qword integer")
        sse(0xF2, 0x2C, reg: dst.number, .reg(src.number), w64: width == .q)
    }
    public func cvttsd2si(_ dst: GPR, _ src: Mem, width: Width = .q) {
        precondition(width == .d || width == .q, "conversions take a dword or qword integer")
        sse(0xF2, 0x2C, reg: dst.number, .mem(src), w64: width == .q)
    }
    /// `cvtsd2si dst, src` (rounds with the current MXCSR mode, round-to-nearest-even by default).
    public func cvtsd2si(_ dst: GPR, _ src: XMM, width: Width = .q) {
        precondition(width == .d || width == .q, "conversions take a dword or qword integer")
        sse(0xF2, 0x2D, reg: dst.number, .reg(src.number), w64: width == .q)
    }
    public func cvtsd2si(_ dst: GPR, _ src: Mem, width: Width = .q) {
        precondition(width == .d || width == .q, "conversions take a dword or qword integer")
        sse(0xF2, 0x2D, reg: dst.number, .mem(src), w64: width == .q)
    }

    // MARK: Packed logic (sign masks: neg = xorpd with -0.0, abs = andpd with ~(-0.0))

    public func andpd(_ d: XMM, _ s: XMM) { sse(0x66, 0x54, reg: d.number, .reg(s.number)) }
    public func andpd(_ d: XMM, _ s: Mem) { sse(0x66, 0x54, reg: d.number, .mem(s)) }
    public func andnpd(_ d: XMM, _ s: XMM) { sse(0x66, 0x55, reg: d.number, .reg(s.number)) }
    public func andnpd(_ d: XMM, _ s: Mem) { sse(0x66, 0x55, reg: d.number, .mem(s)) }
    public func orpd(_ d: XMM, _ s: XMM) { sse(0x66, 0x56, reg: d.number, .reg(s.number)) }
    public func orpd(_ d: XMM, _ s: Mem) { sse(0x66, 0x56, reg: d.number, .mem(s)) }
    public func xorpd(_ d: XMM, _ s: XMM) { sse(0x66, 0x57, reg: d.number, .reg(s.number)) }
    public func xorpd(_ d: XMM, _ s: Mem) { sse(0x66, 0x57, reg: d.number, .mem(s)) }
    public func pxor(_ d: XMM, _ s: XMM) { sse(0x66, 0xEF, reg: d.number, .reg(s.number)) }
    public func pxor(_ d: XMM, _ s: Mem) { sse(0x66, 0xEF, reg: d.number, .mem(s)) }

    /// `xorps`/`andps`/`orps`/`movaps`: the same bit operations one byte shorter (no prefix);
    /// `xorps x, x` is the usual way to zero a register.
    public func xorps(_ d: XMM, _ s: XMM) { sse(0, 0x57, reg: d.number, .reg(s.number)) }
    public func xorps(_ d: XMM, _ s: Mem) { sse(0, 0x57, reg: d.number, .mem(s)) }
    public func andps(_ d: XMM, _ s: XMM) { sse(0, 0x54, reg: d.number, .reg(s.number)) }
    public func andps(_ d: XMM, _ s: Mem) { sse(0, 0x54, reg: d.number, .mem(s)) }
    public func orps(_ d: XMM, _ s: XMM) { sse(0, 0x56, reg: d.number, .reg(s.number)) }
    public func orps(_ d: XMM, _ s: Mem) { sse(0, 0x56, reg: d.number, .mem(s)) }
    public func movaps(_ d: XMM, _ s: XMM) { sse(0, 0x28, reg: d.number, .reg(s.number)) }

    /// `cmpsd d, s, predicate`: d's low lane becomes all ones if the predicate holds, else zero.
    public func cmpsd(_ d: XMM, _ s: XMM, _ p: CmpPredicate) { cmpsd(d, .reg(s.number), p) }
    public func cmpsd(_ d: XMM, _ s: Mem, _ p: CmpPredicate) { cmpsd(d, .mem(s), p) }
    private func cmpsd(_ d: XMM, _ s: RM, _ p: CmpPredicate) {
        prefix(.d, legacy: 0xF2, reg: d.number, rm: s)
        emit(0x0F); emit(0xC2)
        modrm(reg: d.number, s, immBytes: 1)
        emit(p.rawValue)
    }

    /// `cvtsd2ss` / `cvtss2sd` (double <-> float, for FFI-style loads and stores).
    public func cvtsd2ss(_ d: XMM, _ s: XMM) { sse(0xF2, 0x5A, reg: d.number, .reg(s.number)) }
    public func cvtss2sd(_ d: XMM, _ s: XMM) { sse(0xF3, 0x5A, reg: d.number, .reg(s.number)) }

    // MARK: SSE4.1 (check X64CPU.hasSSE41 before using)

    /// `roundsd dst, src, imm8` (SSE4.1).
    public func roundsd(_ dst: XMM, _ src: XMM, _ mode: RoundingMode) {
        roundsd(dst, .reg(src.number), mode.rawValue)
    }
    public func roundsd(_ dst: XMM, _ src: Mem, _ mode: RoundingMode) {
        roundsd(dst, .mem(src), mode.rawValue)
    }
    /// `roundsd` with a raw immediate (bits 0-1 mode, bit 2 use MXCSR, bit 3 suppress precision).
    public func roundsd(_ dst: XMM, _ src: XMM, imm: UInt8) { roundsd(dst, .reg(src.number), imm) }
    public func roundsd(_ dst: XMM, _ src: Mem, imm: UInt8) { roundsd(dst, .mem(src), imm) }

    private func roundsd(_ dst: XMM, _ src: RM, _ imm: UInt8) {
        prefix(.d, legacy: 0x66, reg: dst.number, rm: src)
        emit(0x0F); emit(0x3A); emit(0x0B)
        modrm(reg: dst.number, src, immBytes: 1)
        emit(imm)
    }
}
