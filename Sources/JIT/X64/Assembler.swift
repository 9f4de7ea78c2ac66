// X64Assembler: the x86-64 encoder the trace backend emits machine code with.
//
// What it covers. The integer, control-flow and SSE2/SSE4.1 instructions a trace compiler for a
// NaN-boxing Lua VM needs, in the forms listed per file:
//   Assembler+Integer.swift  mov (reg/imm32/imm64/mem, 8-64 bit), lea, movzx/movsx/movsxd, xchg,
//                            the eight ALU ops (add or adc sbb and sub xor cmp) in all operand
//                            forms, test, imul, mul/div/idiv + cqo/cdq, neg/not/inc/dec, shifts
//                            and rotates, bswap, bt/bts/btr/btc, bsf/bsr/popcnt/tzcnt/lzcnt,
//                            push/pop, leave, cpuid
//   Assembler+Control.swift  labels, jmp/jcc (rel8, rel32, to labels or absolute addresses),
//                            call (rel32/reg/mem), patchable jumps for exits, setcc, cmovcc, ret,
//                            int3, ud2, multi-byte nops and alignment
//   Assembler+SSE.swift      movsd, movq/movd, movapd/movupd/movaps, scalar double arithmetic,
//                            (u)comisd, cmpsd, int<->double and double<->float conversions,
//                            packed logic for sign masks (xorpd andpd andnpd orpd pxor, *ps),
//                            movmskpd, roundsd (SSE4.1: check `X64CPU.hasSSE41`)
// Operands (Operands.swift): `GPR`, `XMM`, `Width` (.b .w .d .q; default .q), `Cond`, `Mem`, `Label`.
// Every register works in every slot: REX prefixes are derived from the operands, byte operations
// on spl/bpl/sil/dil get a REX so they never mean ah..bh, and the ModRM special cases are handled
// in one place (`modrm(reg:mem:immBytes:)`): rsp/r12 as a base need a SIB byte, rbp/r13 as a base
// need an explicit disp8 of 0, and rsp cannot be an index. The encodings are the ones GNU `as`
// picks for the same Intel-syntax text (accumulator short forms, imm8 forms, `D1` for shifts by
// one, the r/m,reg direction for reg-reg moves and ALU ops); Tests/JITTests/X64AssemblerTests
// assembles every form with binutils and compares byte for byte.
//
// Labels and fixups. `newLabel()` makes an unbound label; `bind(_:)` fixes it to the current
// offset. Anything that refers to a label (jumps, calls, RIP-relative operands) writes a zero
// field and records a fixup (field offset, field size, the offset the displacement is relative to,
// target). `finish(baseAddress:)` appends the constant pool, then resolves every fixup; it throws
// (never traps) on an unbound label or an 8-bit jump whose target ended up out of range. A jump
// to a label that is already bound and near uses rel8 automatically; forward jumps use rel32
// unless the caller asks for the short form. Targets outside the code (C helpers, other traces,
// exit handlers) are absolute addresses: their rel32 is computed against `baseAddress`, the
// address the code will be installed at (known from `CodeArena.allocate` before `finish`), and
// `finish` throws if one is out of ±2 GB, so the backend can fall back to `mov r, imm64; call r`.
//
// Exits and patching. `patchableJump(to:)` / `patchableJcc(_:to:)` always use rel32 and return the
// offset of that rel32 field; once a side trace exists, `CodeArena.patchRel32(at:target:)`
// rewrites the field in executable code to jump straight to it.
//
// Lifetime. One assembler builds one piece of code: emit, `finish`, install; `reset()` empties it
// for the next piece (keeping its buffer). Emitting after `finish` is not supported.
//
// Constants. `constant(_:)` / `constant128(_:_:)` return labels of deduplicated constant-pool
// entries, placed after the code, 16-byte aligned (SSE packed operands need that), addressed with
// `Mem.rip(label)`.
//
// W^X. The assembler only fills a byte array; CodeArena.swift copies it into pages that are
// writable only while being written and executable only after (never both at once).

public enum X64AssemblerError: Error, Equatable, CustomStringConvertible {
    /// A label was referred to but never bound.
    case unboundLabel(id: Int)
    /// An 8-bit displacement (short jump) at this offset cannot reach its target.
    case rel8OutOfRange(offset: Int)
    /// A rel32 to an absolute address at this offset cannot reach it from `baseAddress`.
    case rel32OutOfRange(offset: Int)
    /// The code refers to absolute addresses, so `finish` needs the address it will run at.
    case needsBaseAddress

    public var description: String {
        switch self {
        case .unboundLabel(let id): return "label \(id) is used but never bound"
        case .rel8OutOfRange(let o): return "short jump at offset \(o) cannot reach its target"
        case .rel32OutOfRange(let o): return "rel32 at offset \(o) cannot reach its absolute target"
        case .needsBaseAddress: return "code refers to absolute addresses: finish needs a base address"
        }
    }
}

public final class X64Assembler {
    /// The code buffer. Reached through a `let` pointer so that emitting a byte is a bounds check
    /// and a store: a `var` array in a class would pay two dynamic exclusivity checks per access
    /// (measured: they were 65% of assembly time).
    struct Buffer {
        var base: UnsafeMutablePointer<UInt8>
        var count: Int
        var capacity: Int
        var fixups: [Fixup] = []
        var labelOffsets: [Int] = []  // -1 while unbound
    }
    let buf: UnsafeMutablePointer<Buffer>

    /// A copy of the code so far (before `finish`: without the constant pool, fixup fields zero).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: buf.pointee.base, count: buf.pointee.count)) }

    struct Fixup {
        enum Target { case label(Int), absolute(UInt64) }
        var at: Int        // offset of the displacement field
        var size: Int      // 1 or 4
        var end: Int       // displacement is relative to this offset (end of the instruction)
        var target: Target
        var addend: Int32  // added to the target (RIP-relative `disp`)
    }
    var fixups: [Fixup] {
        @inline(__always) get { buf.pointee.fixups }
        @inline(__always) _modify { yield &buf.pointee.fixups }
    }
    var labelOffsets: [Int] {
        @inline(__always) get { buf.pointee.labelOffsets }
        @inline(__always) _modify { yield &buf.pointee.labelOffsets }
    }

    struct PoolEntry { var lo: UInt64; var hi: UInt64; var label: Label }
    var pool128: [PoolEntry] = []
    var pool64: [PoolEntry] = []
    var pool64Index: [UInt64: Int] = [:]
    var pool128Index: [PoolKey: Int] = [:]
    struct PoolKey: Hashable { var lo: UInt64; var hi: UInt64 }
    var poolEmitted = false

    public init(capacity: Int = 4096) {
        let cap = max(capacity, 64)
        buf = UnsafeMutablePointer<Buffer>.allocate(capacity: 1)
        buf.initialize(to: Buffer(base: UnsafeMutablePointer<UInt8>.allocate(capacity: cap), count: 0, capacity: cap))
    }

    deinit {
        buf.pointee.base.deallocate()
        buf.deinitialize(count: 1)
        buf.deallocate()
    }

    @inline(never) func grow(_ needed: Int) {
        let old = buf.pointee
        let cap = max(old.capacity * 2, needed)
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
        base.update(from: old.base, count: old.count)
        old.base.deallocate()
        buf.pointee.base = base
        buf.pointee.capacity = cap
    }

    /// Pointer to `n` writable bytes at the end of the code; the caller stores them, then
    /// `commit(n)`.
    @inline(__always) func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        let c = buf.pointee.count
        if buf.pointee.capacity &- c < n { grow(c + n) }
        return buf.pointee.base + c
    }
    @inline(__always) func commit(_ n: Int) { buf.pointee.count &+= n }

    /// Empties the assembler for the next piece of code, keeping its buffer's capacity.
    public func reset() {
        buf.pointee.count = 0
        fixups.removeAll(keepingCapacity: true)
        labelOffsets.removeAll(keepingCapacity: true)
        pool128.removeAll(keepingCapacity: true)
        pool64.removeAll(keepingCapacity: true)
        pool64Index.removeAll(keepingCapacity: true)
        pool128Index.removeAll(keepingCapacity: true)
        poolEmitted = false
    }

    /// Current offset: where the next instruction starts.
    @inline(__always) public var offset: Int { buf.pointee.count }

    // MARK: Labels

    public func newLabel() -> Label {
        labelOffsets.append(-1)
        return Label(id: labelOffsets.count - 1)
    }

    /// Binds `label` to the current offset. Binding a label twice is a programming error.
    public func bind(_ label: Label) {
        precondition(labelOffsets[label.id] < 0, "label \(label.id) bound twice")
        labelOffsets[label.id] = offset
    }

    /// A new label bound here.
    public func here() -> Label {
        let l = newLabel()
        bind(l)
        return l
    }

    /// The offset `label` is bound to, or nil while unbound.
    public func offset(of label: Label) -> Int? {
        let o = labelOffsets[label.id]
        return o < 0 ? nil : o
    }

    // MARK: Raw data

    @inline(__always) func emit(_ b: UInt8) {
        reserve(1).pointee = b
        commit(1)
    }
    @inline(__always) func emit16(_ v: UInt16) {
        UnsafeMutableRawPointer(reserve(2)).storeBytes(of: v.littleEndian, as: UInt16.self)
        commit(2)
    }
    @inline(__always) func emit32(_ v: UInt32) {
        UnsafeMutableRawPointer(reserve(4)).storeBytes(of: v.littleEndian, as: UInt32.self)
        commit(4)
    }
    @inline(__always) func emit64(_ v: UInt64) {
        UnsafeMutableRawPointer(reserve(8)).storeBytes(of: v.littleEndian, as: UInt64.self)
        commit(8)
    }
    func emit(contentsOf raw: [UInt8]) {
        guard !raw.isEmpty else { return }
        let p = reserve(raw.count)
        raw.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: raw.count) }
        commit(raw.count)
    }

    /// Appends raw bytes (data, or an instruction this assembler has no method for).
    public func data(_ raw: [UInt8]) { emit(contentsOf: raw) }
    public func data64(_ v: UInt64) { emit64(v) }
    public func data32(_ v: UInt32) { emit32(v) }

    // MARK: Constant pool

    /// Label of an 8-byte constant-pool entry holding `bits` (deduplicated).
    public func constant(_ bits: UInt64) -> Label {
        if let i = pool64Index[bits] { return pool64[i].label }
        precondition(!poolEmitted, "constant pool already emitted")
        let l = newLabel()
        pool64Index[bits] = pool64.count
        pool64.append(PoolEntry(lo: bits, hi: 0, label: l))
        return l
    }

    /// Label of an 8-byte constant-pool entry holding the double `value`.
    public func constant(double value: Double) -> Label { constant(value.bitPattern) }

    /// Label of a 16-byte, 16-aligned constant-pool entry (`lo` is the low lane), e.g. the sign
    /// mask for `xorpd`/`andpd`, whose memory operand must be 16 bytes and aligned.
    public func constant128(_ lo: UInt64, _ hi: UInt64) -> Label {
        let key = PoolKey(lo: lo, hi: hi)
        if let i = pool128Index[key] { return pool128[i].label }
        precondition(!poolEmitted, "constant pool already emitted")
        let l = newLabel()
        pool128Index[key] = pool128.count
        pool128.append(PoolEntry(lo: lo, hi: hi, label: l))
        return l
    }

    /// Size the finished code will have (code, padding, constant pool): what to allocate in the
    /// arena before calling `finish(baseAddress:)`.
    public var finishedSize: Int {
        if poolEmitted || (pool64.isEmpty && pool128.isEmpty) { return offset }
        return ((offset + 15) & ~15) + 16 * pool128.count + 8 * pool64.count
    }

    func emitPool() {
        guard !poolEmitted else { return }
        poolEmitted = true
        if pool64.isEmpty && pool128.isEmpty { return }
        while offset & 15 != 0 { emit(0xCC) }  // never executed; int3 if it were
        for e in pool128 { bind(e.label); emit64(e.lo); emit64(e.hi) }
        for e in pool64 { bind(e.label); emit64(e.lo) }
    }

    // MARK: Finishing

    /// Appends the constant pool, resolves every fixup and returns the machine code.
    /// `baseAddress` is the address the code will run at; needed only when the code jumps or calls
    /// absolute addresses. The result is position-independent otherwise.
    public func finish(baseAddress: UInt64? = nil) throws -> [UInt8] {
        emitPool()
        for f in fixups {
            let value: Int64
            switch f.target {
            case .label(let id):
                let t = labelOffsets[id]
                if t < 0 { throw X64AssemblerError.unboundLabel(id: id) }
                value = Int64(t) + Int64(f.addend) - Int64(f.end)
            case .absolute(let address):
                guard let base = baseAddress else { throw X64AssemblerError.needsBaseAddress }
                value = Int64(bitPattern: address &- (base &+ UInt64(f.end)))
            }
            if f.size == 1 {
                guard let v = Int8(exactly: value) else { throw X64AssemblerError.rel8OutOfRange(offset: f.at) }
                buf.pointee.base[f.at] = UInt8(bitPattern: v)
            } else {
                guard let v = Int32(exactly: value) else { throw X64AssemblerError.rel32OutOfRange(offset: f.at) }
                UnsafeMutableRawPointer(buf.pointee.base + f.at).storeBytes(of: UInt32(bitPattern: v).littleEndian, as: UInt32.self)
            }
        }
        return bytes
    }

    /// The 4 little-endian bytes of a rel32 field at `fieldAddress` that makes the instruction
    /// ending right after it reach `target`; nil if out of range. For patching exits.
    public static func rel32(fieldAddress: UInt64, target: UInt64) -> [UInt8]? {
        let d = Int64(bitPattern: target &- (fieldAddress &+ 4))
        guard let v = Int32(exactly: d) else { return nil }
        let u = UInt32(bitPattern: v)
        return [UInt8(truncatingIfNeeded: u), UInt8(truncatingIfNeeded: u >> 8),
                UInt8(truncatingIfNeeded: u >> 16), UInt8(truncatingIfNeeded: u >> 24)]
    }

    // MARK: Encoding core
    //
    // An instruction is emitted as: legacy prefixes (66 / F2 / F3), REX, opcode bytes, ModRM
    // (+ SIB + displacement), immediate. `prefix(...)` writes the first two, the caller the opcode,
    // `modrm(...)` the operand bytes, the caller the immediate.

    /// A register-or-memory operand (the ModRM r/m slot). Registers by hardware number.
    enum RM {
        case reg(UInt8)
        case mem(Mem)
    }

    /// Emits the operand-size prefix for 16-bit width, the `legacy` mandatory prefix if nonzero,
    /// and a REX prefix when needed (W for 64-bit, R/X/B for registers 8-15, or a bare REX when
    /// a byte register 4-7 must be spl/bpl/sil/dil instead of ah/ch/dh/bh).
    @inline(__always)
    func prefix(_ width: Width, legacy: UInt8 = 0, reg: UInt8, rm: RM,
                byteReg: Bool = false, byteRM: Bool = false) {
        if width == .w { emit(0x66) }
        if legacy != 0 { emit(legacy) }
        var rex: UInt8 = width == .q ? 8 : 0
        rex |= (reg >> 3) << 2
        var force = byteReg && (reg & 0xC) == 4
        switch rm {
        case .reg(let r):
            rex |= r >> 3
            if byteRM && (r & 0xC) == 4 { force = true }
        case .mem(let m):
            if let i = m.index { rex |= i.high << 1 }
            if case .reg(let b) = m.base { rex |= b.high }
        }
        if rex != 0 || force { emit(0x40 | rex) }
    }

    /// Emits ModRM (+ SIB + displacement) for `reg` (register number or opcode extension) and
    /// `rm`. `immBytes` is the size of the immediate that will follow: a RIP-relative
    /// displacement is relative to the end of the whole instruction.
    @inline(__always)
    func modrm(reg: UInt8, _ rm: RM, immBytes: Int = 0) {
        switch rm {
        case .reg(let r): emit(0xC0 | (reg & 7) << 3 | (r & 7))
        case .mem(let m): modrm(reg: reg, mem: m, immBytes: immBytes)
        }
    }

    func modrm(reg: UInt8, mem m: Mem, immBytes: Int) {
        let r = (reg & 7) << 3
        switch m.base {
        case .rip(let label):
            emit(r | 5)  // mod 00, rm 101: [rip + disp32]
            fixups.append(Fixup(at: offset, size: 4, end: offset + 4 + immBytes,
                                target: .label(label.id), addend: m.disp))
            emit32(0)
        case .reg(let base):
            let d = m.disp
            let mod: UInt8
            if d == 0 && base.low3 != 5 { mod = 0 }  // rbp/r13 with mod 00 would mean rip/disp32
            else if d >= -128 && d <= 127 { mod = 1 }
            else { mod = 2 }
            if let index = m.index {
                emit(mod << 6 | r | 4)
                emit(m.scale.rawValue << 6 | index.low3 << 3 | base.low3)
            } else if base.low3 == 4 {  // rsp/r12 as base need a SIB (index 100 = none)
                emit(mod << 6 | r | 4)
                emit(0x24)
            } else {
                emit(mod << 6 | r | base.low3)
            }
            if mod == 1 { emit(UInt8(bitPattern: Int8(truncatingIfNeeded: d))) }
            else if mod == 2 { emit32(UInt32(bitPattern: d)) }
        }
    }

    /// Emits an immediate of the operand width (imm8, imm16 or imm32; 64-bit ops take imm32).
    @inline(__always)
    func immediate(_ v: Int32, _ width: Width) {
        switch width {
        case .b: emit(UInt8(truncatingIfNeeded: v))
        case .w: emit16(UInt16(truncatingIfNeeded: v))
        case .d, .q: emit32(UInt32(bitPattern: v))
        }
    }

    @inline(__always) static func immBytes(_ width: Width) -> Int { width == .b ? 1 : width == .w ? 2 : 4 }

    /// Whether `v`, as an immediate of `width`, can use a sign-extended imm8 form.
    @inline(__always) static func fitsImm8(_ v: Int32, _ width: Width) -> Bool {
        switch width {
        case .b: return true
        case .w: let h = Int16(truncatingIfNeeded: v); return h >= -128 && h <= 127
        case .d, .q: return v >= -128 && v <= 127
        }
    }

    /// Records a fixup for a displacement field of `size` bytes just emitted as zeros at `at`.
    @inline(__always) func addFixup(at: Int, size: Int, target: Fixup.Target) {
        fixups.append(Fixup(at: at, size: size, end: at + size, target: target, addend: 0))
    }
}
