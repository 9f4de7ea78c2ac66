// Code generation: one pass over the IR in order, emitting x86-64 for each instruction with the
// locations RegAlloc.swift chose.
//
// The compiled trace is a C function `(base, exitState) -> Int32`:
//   push rbp; mov rbp, rsp; push rbx, r12-r15; sub rsp, frame; rbx = base; [rbp-48] = exitState
// Frame (below the saved registers, rbp-relative): the exitState pointer, an 8-slot staging area
// for helper operands/results, one save slot per register (caller-saved registers live across a
// helper call), the PHI temporaries, then the spill slots. rsp stays 16-byte aligned in the body.
//
// Values: numbers in XMM registers as doubles; int (low 32 bits meaningful), ptr and objects
// (47-bit pointers) in GPRs; singletons nowhere. Loads check the NaN-box type when guarded and
// unbox; stores box by type. A failing guard jumps to its snapshot's exit stub (ExitStubs.swift).
//
// Scratch registers (never allocated): rax (results headed for a spill slot, boxing), rcx (second
// operand, shift counts), r11 (first operand / memory base), xmm14 (first operand), xmm15 (results
// headed for a spill slot). Second operands of SSE and ALU instructions are used in place when
// they sit in memory (spill slot, constant pool), so they need no scratch.
import CVM
import Runtime

struct NativeUnsupported: Error, CustomStringConvertible {
    let reason: String
    init(_ r: String) { reason = r }
    var description: String { reason }
}

enum Layout {
    static let tabArray = Int32(MemoryLayout<tj_table>.offset(of: \tj_table.array) ?? 16)
    static let tabAsize = Int32(MemoryLayout<tj_table>.offset(of: \tj_table.asize) ?? 24)
    static let tabHmask = Int32(MemoryLayout<tj_table>.offset(of: \tj_table.hmask) ?? 28)
    static let tabNode = Int32(MemoryLayout<tj_table>.offset(of: \tj_table.node) ?? 32)
    static let tabMeta = Int32(MemoryLayout<tj_table>.offset(of: \tj_table.metatable) ?? 48)
    static let tabNomm = Int32(MemoryLayout<tj_table>.offset(of: \tj_table.nomm) ?? 12)
    static let gct = Int32(MemoryLayout<tj_gcobj>.offset(of: \tj_gcobj.gct) ?? 8)
    static let lfuncEnv = Int32(MemoryLayout<tj_lfunc>.offset(of: \tj_lfunc.env) ?? 24)
    static let lfuncProto = Int32(MemoryLayout<tj_lfunc>.offset(of: \tj_lfunc.proto) ?? 16)
    static let lfuncUpvals = Int32(MemoryLayout<tj_lfunc>.size)
    static let cfuncEnv = Int32(MemoryLayout<tj_cfunc>.offset(of: \tj_cfunc.env) ?? 16)
    static let strLen = Int32(MemoryLayout<tj_str>.offset(of: \tj_str.len) ?? 16)
    static let strData = Int32(MemoryLayout<tj_str>.size)
    static let udataMeta = Int32(MemoryLayout<tj_udata>.offset(of: \tj_udata.metatable) ?? 16)
    static let upvalV = Int32(MemoryLayout<tj_upval>.offset(of: \tj_upval.v) ?? 16)
    static let nodeVal = Int32(MemoryLayout<tj_node>.offset(of: \tj_node.val) ?? 0)
    static let nodeKey = Int32(MemoryLayout<tj_node>.offset(of: \tj_node.key) ?? 8)
    static let nodeNext = Int32(MemoryLayout<tj_node>.offset(of: \tj_node.next) ?? 16)
    static let nodeSize = Int32(MemoryLayout<tj_node>.stride)
}

/// The exit code a trace returns: its trace id << 16 | snapshot, with this flag when it reached its
/// end (link .trace/.interpreter). The id tells which trace exited: a trace may have jumped
/// straight into a side trace or a linked trace (ExitStubs.swift).
let nativeEndFlag: Int32 = 0x4000_0000
/// Exit code flag: the snapshot's slots were written before the exit (ExitRestore skips them).
let nativeSlotsWrittenFlag = Int32(bitPattern: 0x8000_0000)
/// Largest trace id and snapshot number the exit code can carry.
let nativeMaxTraceID = 0x3fff
let nativeMaxSnapshot = 0xffff
/// Spill slots a trace may use (the exit state buffer is shared by all traces).
let nativeMaxSpills = 4096

/// Result of code generation (before installing).
struct GeneratedCode {
    var asm: X64Assembler
    var locations: [Loc]
    var spillCount: Int
    /// Code offsets of guard jumps and the snapshot each exits through (for dumps).
    var guardSites: [(offset: Int, snap: Int)]
    /// Code offset of each exit stub, by snapshot.
    var stubOffsets: [(offset: Int, snap: Int)]
    /// Snapshot -> code offset of its stub's patchable `jmp rel32` (to a side trace's transfer).
    var stubJumps: [Int: Int] = [:]
    /// The native frame's size below rbp and the code offset right after the prologue (where
    /// transfers from other traces enter).
    var frameSize: Int32 = 0
    var bodyOffset: Int = 0
    /// Code offset of the `jmp rel32` that ends a trace ending in the interpreter at an inner loop
    /// header (patched to a transfer once that loop has a trace).
    var endJump: Int?
}

/// Where a transfer continues in another trace: its code after the prologue, with its frame size.
struct TransferTarget {
    var body: UInt64
    var frameSize: Int32
}

final class CodeGen {
    let t: Trace
    let ra: RegAllocation
    let a = X64Assembler(capacity: 8192)
    let ctx: UInt64
    let sse41: Bool
    var exitLabels: [Int: Label] = [:]
    var endLabel: Label?
    var guardSites: [(offset: Int, snap: Int)] = []
    var commonExit: Label
    var startLabel: Label
    var loopLabel: Label?
    var n: Int { t.ins.count }
    /// Code offset where each IR instruction's code starts, then the trace end's (n + 1 entries;
    /// the profiler's code offset -> bytecode position map, TraceCodeMap.swift).
    var insOffsets: [Int] = []

    // Frame layout (rbp-relative displacements).
    static let savedRegs: Int32 = 40            // rbx, r12-r15 below rbp
    static let exitStateSlot: Int32 = -48
    static let stagingBase: Int32 = -112         // 8 slots: -112 ..< -48
    static let saveBase: Int32 = -112 - 256      // 32 slots: GPR 0-15, XMM 0-15
    let phiBase: Int32
    let spillBase: Int32
    let frameSize: Int32
    let phiCount: Int

    /// Where CALLN leaves its results for CALLRES (NativeBackend.callBuffer).
    let callBuffer: UInt64
    /// The trace this one links to (link .trace), when it has machine code.
    var linkTarget: TransferTarget?
    var stubJumps: [Int: Int] = [:]
    var endJump: Int?
    /// The CALLN whose results are in the call buffer (CALLRES must read them before the next).
    var lastCallN: IRRef = noRef

    init(_ t: Trace, _ ra: RegAllocation, ctx: UInt64, sse41: Bool, callBuffer: UInt64 = 0) {
        self.callBuffer = callBuffer
        self.t = t
        self.ra = ra
        self.ctx = ctx
        self.sse41 = sse41
        phiCount = t.ins.reduce(0) { $0 + ($1.op == .PHI ? 1 : 0) }
        phiBase = CodeGen.saveBase - Int32(8 * phiCount)
        spillBase = phiBase - Int32(8 * ra.spillCount)
        frameSize = (-spillBase + 15) & ~15
        commonExit = a.newLabel()
        startLabel = a.newLabel()
    }

    // MARK: frame addressing

    @inline(__always) func spillMem(_ k: Int) -> Mem { Mem(.rbp, spillBase + Int32(8 * k)) }
    @inline(__always) func staging(_ j: Int) -> Mem { Mem(.rbp, CodeGen.stagingBase + Int32(8 * j)) }
    @inline(__always) func saveMem(gpr g: GPR) -> Mem { Mem(.rbp, CodeGen.saveBase + Int32(8 * Int(g.number))) }
    @inline(__always) func saveMem(xmm x: XMM) -> Mem { Mem(.rbp, CodeGen.saveBase + Int32(8 * (16 + Int(x.number)))) }
    @inline(__always) func phiMem(_ k: Int) -> Mem { Mem(.rbp, phiBase + Int32(8 * k)) }
    @inline(__always) func slotMem(_ s: Int32) -> Mem { Mem(NativeRegs.base, 8 * s) }

    func loc(_ r: IRRef) -> Loc { r < 0 ? .none : ra.locations[Int(r)] }
    func type(_ r: IRRef) -> IRType { t.type(of: r) }
    func constBits(_ r: IRRef) -> UInt64 { t.consts[Int(~r)].bits }

    func exitLabel(_ s: Int) -> Label {
        if let l = exitLabels[s] { return l }
        let l = a.newLabel()
        exitLabels[s] = l
        return l
    }

    func jccExit(_ c: Cond, _ s: Int) throws {
        if s < 0 || s >= t.snapshots.count { throw NativeUnsupported("guard without snapshot") }
        a.jcc32(c, exitLabel(s))
        guardSites.append((a.offset - 6, s))
    }

    func jmpExit(_ s: Int) throws {
        if s < 0 || s >= t.snapshots.count { throw NativeUnsupported("guard without snapshot") }
        a.jmp32(exitLabel(s))
        guardSites.append((a.offset - 5, s))
    }

    // MARK: operands

    /// The value of a GPR-class ref in a register (loading spills/constants into `scratch`).
    func gpr(_ r: IRRef, _ scratch: GPR) -> GPR {
        if r < 0 {
            let k = t.const(of: r)
            if k.type == .int { a.mov(scratch, Int64(k.intValue)) } else { a.mov(scratch, bits: k.bits) }
            return scratch
        }
        switch loc(r) {
        case .gpr(let g): return g
        case .spill(let k): a.mov(scratch, spillMem(k)); return scratch
        default: a.zero(scratch); return scratch
        }
    }

    /// Loads a GPR-class ref into exactly `dst`.
    func loadGPR(_ dst: GPR, _ r: IRRef) {
        let g = gpr(r, dst)
        if g != dst { a.mov(dst, g) }
    }

    enum GSrc { case reg(GPR), mem(Mem), imm(Int32) }
    /// A GPR-class ref as a second ALU operand (int immediates when they fit).
    func gsrc(_ r: IRRef, _ scratch: GPR) -> GSrc {
        if r < 0 {
            let k = t.const(of: r)
            if k.type == .int { return .imm(k.intValue) }
            if let v = Int32(exactly: Int64(bitPattern: k.bits)) { return .imm(v) }
            a.mov(scratch, bits: k.bits)
            return .reg(scratch)
        }
        switch loc(r) {
        case .gpr(let g): return .reg(g)
        case .spill(let k): return .mem(spillMem(k))
        default: return .imm(0)
        }
    }

    /// The value of a num ref in an XMM register (loading spills/constants into `scratch`).
    func xmm(_ r: IRRef, _ scratch: XMM) -> XMM {
        if r < 0 {
            loadConstXMM(scratch, constBits(r))
            return scratch
        }
        switch loc(r) {
        case .xmm(let x): return x
        case .spill(let k): a.movsd(scratch, spillMem(k)); return scratch
        default: a.xorps(scratch, scratch); return scratch
        }
    }

    func loadConstXMM(_ x: XMM, _ bits: UInt64) {
        if bits == 0 { a.xorps(x, x) } else { a.movsd(x, Mem.rip(a.constant(bits))) }
    }

    func loadXMM(_ dst: XMM, _ r: IRRef) {
        if r < 0 { loadConstXMM(dst, constBits(r)); return }
        switch loc(r) {
        case .xmm(let x): if x != dst { a.movapd(dst, x) }
        case .spill(let k): a.movsd(dst, spillMem(k))
        default: a.xorps(dst, dst)
        }
    }

    enum XSrc { case reg(XMM), mem(Mem) }
    func xsrc(_ r: IRRef) -> XSrc {
        if r < 0 { return .mem(Mem.rip(a.constant(constBits(r)))) }
        switch loc(r) {
        case .xmm(let x): return .reg(x)
        case .spill(let k): return .mem(spillMem(k))
        default: return .mem(Mem.rip(a.constant(0)))
        }
    }

    /// Destination register of instruction i (a scratch when it is spilled); `finish` stores it.
    func dstGPR(_ i: Int) -> GPR {
        if case .gpr(let g) = ra.locations[i] { return g }
        return .rax
    }
    func dstXMM(_ i: Int) -> XMM {
        if case .xmm(let x) = ra.locations[i] { return x }
        return .xmm15
    }
    func finishGPR(_ i: Int, _ g: GPR) {
        if case .spill(let k) = ra.locations[i] { a.mov(spillMem(k), g) }
    }
    func finishXMM(_ i: Int, _ x: XMM) {
        if case .spill(let k) = ra.locations[i] { a.movsd(spillMem(k), x) }
    }

    // MARK: boxing

    /// The boxed Value of ref r in `dst` (uses only `dst` and xmm15).
    func boxInto(_ dst: GPR, _ r: IRRef) throws {
        let ty = type(r)
        if r < 0 {
            if ty == .ptr || ty == .void { throw NativeUnsupported("boxing a \(ty.name) constant") }
            a.mov(dst, bits: t.const(of: r).value.bits)
            return
        }
        switch ty {
        case .num:
            switch loc(r) {
            case .xmm(let x): a.movq(dst, x)
            case .spill(let k): a.mov(dst, spillMem(k))
            default: a.mov(dst, bits: 0)
            }
        case .int:
            switch loc(r) {
            case .gpr(let g): a.cvtsi2sd(.xmm15, g, width: .d)
            case .spill(let k): a.cvtsi2sd(.xmm15, spillMem(k), width: .d)
            default: a.xorps(.xmm15, .xmm15)
            }
            a.movq(dst, .xmm15)
        case .nil, .false, .true:
            a.mov(dst, bits: ty.box(0).bits)
        case .ptr, .void:
            throw NativeUnsupported("boxing a \(ty.name) value")
        default:
            let tag = (ty.itype ?? 0) << 47
            switch loc(r) {
            case .gpr(let g):
                a.movabs(dst, tag)
                a.or(dst, g)
            case .spill(let k):
                a.movabs(dst, tag)
                a.or(dst, spillMem(k))
            default:
                a.movabs(dst, tag)
            }
        }
    }

    /// Stores the boxed value of r at m (m's base must not be rax).
    func storeBoxed(_ r: IRRef, _ m: Mem) throws {
        if r >= 0 && type(r) == .num, case .xmm(let x) = loc(r) {
            a.movsd(m, x)
            return
        }
        try boxInto(.rax, r)
        a.mov(m, .rax)
    }

    /// Loads a Value from m into instruction i's location: type check when guarded, unbox.
    /// m's base must not be rax or rcx.
    func loadValue(_ i: Int, _ ins: IRIns, _ m: Mem) throws {
        let ty = ins.type
        let guarded = ins.isGuard
        switch ty {
        case .num:
            let d = dstXMM(i)
            if guarded {
                // A number's upper word is below the tags' (TJ_NUMBER_LIMIT's low word is zero).
                a.cmp(m.advanced(by: 4), Int32(bitPattern: UInt32(truncatingIfNeeded: TJ_NUMBER_LIMIT >> 32)), width: .d)
                try jccExit(.ae, Int(ins.snap))
            }
            a.movsd(d, m)
            finishXMM(i, d)
        case .nil, .false, .true:
            if guarded {
                a.mov(.rax, m)
                a.shr(.rax, 47)
                a.cmp(.rax, Int32(ty.itype ?? 0), width: .d)
                try jccExit(.ne, Int(ins.snap))
            }
        case .int where guarded:
            // A narrowed number slot (SLOAD int): a number, an integer in int32 range, not -0.
            let d = dstGPR(i)
            a.mov(.rax, m)
            a.movabs(.rcx, TJ_NUMBER_LIMIT)
            a.cmp(.rax, .rcx)
            try jccExit(.ae, Int(ins.snap))
            a.movq(.xmm15, .rax)
            a.cvttsd2si(.rcx, .xmm15, width: .d)
            a.xorps(.xmm14, .xmm14)
            a.cvtsi2sd(.xmm14, .rcx, width: .d)
            a.ucomisd(.xmm14, .xmm15)
            try jccExit(.ne, Int(ins.snap))
            try jccExit(.p, Int(ins.snap))
            a.neg(.rax)                     // overflows only for the bits of -0
            try jccExit(.o, Int(ins.snap))
            if d != .rcx { a.mov(d, .rcx, width: .d) }
            finishGPR(i, d)
        case .int, .ptr, .void:
            throw NativeUnsupported("load of type \(ty.name)")
        default:
            let d = dstGPR(i)
            a.mov(d, m)
            if guarded {
                a.mov(.rcx, d)
                a.shr(.rcx, 47)
                a.cmp(.rcx, Int32(ty.itype ?? 0), width: .d)
                try jccExit(.ne, Int(ins.snap))
            }
            a.shl(d, 17)
            a.shr(d, 17)
            finishGPR(i, d)
        }
    }

    // MARK: helper calls

    enum Arg {
        case raw(IRRef)      // the unboxed payload (GPR value or double bits)
        case boxed(IRRef)
        case imm(UInt64)
    }

    /// Calls helper `fn` with `args` staged; saves caller-saved registers live across the call.
    /// A nonzero status exits through snapshot `failSnap`.
    func callHelper(_ fn: NativeHelper, _ args: [Arg], at i: Int, failSnap: Int?, baseArg: Int? = nil) throws {
        for (j, arg) in args.enumerated() {
            switch arg {
            case .imm(let v):
                a.mov(.rax, bits: v)
                a.mov(staging(j), .rax)
            case .boxed(let r):
                try storeBoxed(r, staging(j))
            case .raw(let r):
                if r < 0 {
                    let k = t.const(of: r)
                    a.mov(.rax, bits: k.type == .int ? UInt64(bitPattern: Int64(k.intValue)) : k.bits)
                    a.mov(staging(j), .rax)
                    break
                }
                switch loc(r) {
                case .gpr(let g): a.mov(staging(j), g)
                case .xmm(let x): a.movsd(staging(j), x)
                case .spill(let k):
                    a.mov(.rax, spillMem(k))
                    a.mov(staging(j), .rax)
                case .none:
                    a.mov(staging(j), 0)
                }
            }
        }
        if let k = baseArg { a.mov(staging(k), NativeRegs.base) }
        // Registers to keep: defined before i, used after it (or by its exit).
        var saved: [Loc] = []
        let pos = 2 * i + 1
        for k in 0..<n where ra.start[k] >= 0 && ra.start[k] < pos && ra.end[k] >= pos {
            switch ra.locations[k] {
            case .gpr(let g) where !NativeRegs.calleeSaved.contains(g.number):
                a.mov(saveMem(gpr: g), g)
                saved.append(.gpr(g))
            case .xmm(let x):
                a.movsd(saveMem(xmm: x), x)
                saved.append(.xmm(x))
            default: break
            }
        }
        a.lea(.rsi, staging(0))
        a.mov(.rdi, bits: ctx)
        a.mov(.rax, bits: NativeHelpers.address(fn))
        a.call(.rax)
        for l in saved {
            switch l {
            case .gpr(let g): a.mov(g, saveMem(gpr: g))
            case .xmm(let x): a.movsd(x, saveMem(xmm: x))
            default: break
            }
        }
        if let s = failSnap {
            a.test(.rax, .rax, width: .d)
            try jccExit(.ne, s)
        }
    }

    /// The argument refs of a CARG chain, in order.
    func callArguments(_ r: IRRef) -> [IRRef] {
        if r == noRef { return [] }
        if r >= 0 && t.ins[Int(r)].op == .CARG {
            return callArguments(t.ins[Int(r)].a) + [t.ins[Int(r)].b]
        }
        return [r]
    }

    /// The snapshot a failing helper of instruction i exits through.
    func failSnapshot(_ i: Int, _ ins: IRIns) -> Int {
        ins.isGuard ? Int(ins.snap) : snapshotBefore(i, in: t)
    }

    func resultFromStaging(_ i: Int, _ ins: IRIns) {
        switch regClass(ins.type) {
        case .gpr:
            let d = dstGPR(i)
            a.mov(d, staging(0))
            finishGPR(i, d)
        case .xmm:
            let d = dstXMM(i)
            a.movsd(d, staging(0))
            finishXMM(i, d)
        case .none:
            break
        }
    }

    // MARK: the trace

    func generate() throws -> GeneratedCode {
        // Prologue.
        a.push(.rbp)
        a.mov(.rbp, .rsp)
        a.push(.rbx); a.push(.r12); a.push(.r13); a.push(.r14); a.push(.r15)
        a.sub(.rsp, frameSize - CodeGen.savedRegs)
        a.mov(NativeRegs.base, .rdi)
        a.mov(Mem(.rbp, CodeGen.exitStateSlot), .rsi)
        a.bind(startLabel)

        if t.id > nativeMaxTraceID || t.snapshots.count > nativeMaxSnapshot {
            throw NativeUnsupported("trace id or snapshot count beyond the exit code's range")
        }
        if ra.spillCount > nativeMaxSpills { throw NativeUnsupported("more than \(nativeMaxSpills) spill slots") }
        for i in 0..<n {
            insOffsets.append(a.offset)
            try emit(i, t.ins[i])
        }
        insOffsets.append(a.offset)
        try emitTraceEnd()
        let stubs = try emitExits()
        return GeneratedCode(asm: a, locations: ra.locations, spillCount: ra.spillCount,
                             guardSites: guardSites, stubOffsets: stubs, stubJumps: stubJumps,
                             frameSize: frameSize,
                             bodyOffset: a.offset(of: startLabel) ?? 0, endJump: endJump)
    }

    func emitTraceEnd() throws {
        let last = t.snapshots.count - 1
        switch t.link {
        case .loop:
            if let ls = t.loopStart {
                guard let l = loopLabel, ls < n else { throw NativeUnsupported("LOOP marker missing") }
                try emitPHIs()
                a.jmp(l)
            } else {
                if last < 0 { throw NativeUnsupported("loop trace without snapshot") }
                for e in t.snapshots[last].entries {
                    try storeBoxed(e.ref, slotMem(e.slot))
                }
                a.jmp(startLabel)
            }
        default:
            if last < 0 { throw NativeUnsupported("trace without snapshot") }
            let s = t.snapshots[last]
            // A link to the trace itself (a function trace's up-recursion) jumps back to its
            // start with the pushed frame's base, like a loop without PHIs.
            let selfLink: Bool
            if case .trace(let n) = t.link, n == t.id { selfLink = true } else { selfLink = false }
            if case .trace = t.link, selfLink || linkTarget != nil, s.multresTop == nil {
                // Straight into the linked trace: the interpreter slots it reads, the call records
                // of inlined frames, then its body with the innermost frame's base.
                try emitHandover(s) {
                    a.mov(.rax, imm32: nativeEndFlag | exitCode(last), width: .d)
                    a.jmp32(commonExit)
                }
                if !selfLink, let target = linkTarget { emitTransfer(to: target) } else { a.jmp(startLabel) }
                return
            }
            if t.endLoop != nil && CodeGen.canTransfer(s) {
                // Patchable: JITEngine.relink points it at a transfer into the loop's trace.
                let next = a.newLabel()
                a.jmp32(next)
                endJump = a.offset - 5
                a.bind(next)
            }
            a.mov(.rax, imm32: nativeEndFlag | exitCode(last), width: .d)
            a.jmp32(commonExit)
        }
    }

    @inline(__always) func exitCode(_ snap: Int) -> Int32 { Int32(t.id) << 16 | Int32(snap) }

    /// A snapshot another trace can continue from without the interpreter: same frame (no inlined
    /// frames to push), no multiple-results top to hand over.
    static func canTransfer(_ s: Snapshot) -> Bool { s.multresTop == nil }

    /// Continues in another trace with the same base and exit state: every trace saves the same
    /// registers below rbp, so this frame becomes the other's by setting rsp to its frame size,
    /// and the jump goes past its prologue (its returns and exits go to our caller).
    func emitTransfer(to target: TransferTarget) {
        a.lea(.rsp, Mem(.rbp, -target.frameSize))
        a.jmp(absolute: target.body)
    }

    /// The code a side trace is entered through from exit `snap`: the snapshot's slots written to
    /// the interpreter stack, then a transfer (this CodeGen is a fresh one for the parent trace).
    func generateSideEntry(snap: Int, target: TransferTarget, commonExit: UInt64, endFlag: Int32 = 0) throws -> X64Assembler {
        // (An overflow of the inlined frames' call records exits with the slots written.)
        try emitHandover(t.snapshots[snap]) {
            a.mov(.rax, imm32: nativeSlotsWrittenFlag | endFlag | exitCode(snap), width: .d)
            _ = a.jmp(absolute: commonExit)
        }
        emitTransfer(to: target)
        return a
    }

    /// What another trace needs to continue from snapshot `s`: its slots written to the stack, the
    /// call records of its inlined frames pushed (`overflow` is emitted for when they do not
    /// fit), and the base moved to the innermost frame.
    func emitHandover(_ s: Snapshot, overflow: () -> Void) throws {
        for e in s.entries { try storeBoxed(e.ref, slotMem(e.slot)) }
        guard let f = s.frames.last else { return }
        let fail = a.newLabel(), ok = a.newLabel()
        emitPushFrames(s, fail: fail)
        a.jmp32(ok)
        a.bind(fail)
        overflow()
        a.bind(ok)
        a.add(NativeRegs.base, Int32(8 * f.baseSlot))
    }

    // MARK: call records

    /// Pushes the call records of snapshot `s`'s inlined frames, as Runtime's jitPushFrames does,
    /// with only the scratch registers (rax, rcx, r11: every allocated register keeps its value,
    /// so an exit after `fail` still finds the snapshot's values). Jumps to `fail` with nothing
    /// pushed when the frames would overflow the stack or the call records.
    func emitPushFrames(_ s: Snapshot, fail: Label) {
        typealias FL = JITFrameLayout
        guard let innermost = s.frames.last else { return }
        let topSlot = innermost.baseSlot + Int32(innermost.proto.pointee.framesize)
        a.mov(.r11, bits: FL.runningThreadAddress)
        a.mov(.r11, Mem(.r11))                                  // the running coroutine
        a.mov(.rcx, Mem(.r11, FL.threadInterp))                 // its CoState
        a.lea(.rax, slotMem(topSlot + FL.stackMargin))
        a.cmp(.rax, Mem(.rcx, FL.coStackLimit))
        a.jcc32(.a, fail)
        a.mov(.rax, Mem(.rcx, FL.coCount))
        a.add(.rax, Int32(s.frames.count))
        a.cmp(.rax, Mem(.rcx, FL.coCap))
        a.jcc32(.a, fail)
        // The thread's top (the GC's view) and the high-water mark at the innermost frame's end.
        a.lea(.rax, slotMem(topSlot))
        let below = a.newLabel()
        a.cmp(.rax, Mem(.rcx, FL.coHighWater))
        a.jcc(.be, below)
        a.mov(Mem(.rcx, FL.coHighWater), .rax)
        a.bind(below)
        a.sub(.rax, Mem(.r11, FL.threadStack))
        a.shr(.rax, 3)
        a.mov(Mem(.r11, FL.threadTop), .rax, width: .d)
        a.mov(.r11, .rcx)
        var callerProto = snapshotBaseProto(s)
        for f in s.frames {
            // rax = &cis[ciCount], the new record; the caller's is just below it.
            a.mov(.rax, Mem(.r11, FL.coCount))
            a.imul(.rax, .rax, FL.ciSize)
            a.add(.rax, Mem(.r11, FL.coCis))
            a.mov(.rcx, bits: UInt64(UInt(bitPattern: callerProto.pointee.code.unsafelyUnwrapped + Int(f.returnPC))))
            a.mov(Mem(.rax, FL.ciPC - FL.ciSize), .rcx)
            a.lea(.rcx, slotMem(f.funcSlot))
            a.mov(Mem(.rax, FL.ciFn), .rcx)
            a.lea(.rcx, slotMem(f.baseSlot))
            a.mov(Mem(.rax, FL.ciBase), .rcx)
            a.lea(.rcx, slotMem(f.baseSlot + Int32(f.proto.pointee.framesize)))
            a.mov(Mem(.rax, FL.ciTop), .rcx)
            a.mov(.rcx, bits: UInt64(UInt(bitPattern: f.proto.pointee.code.unsafelyUnwrapped)))
            a.mov(Mem(.rax, FL.ciPC), .rcx)
            if f.closure < 0 {
                a.mov(.rcx, bits: UInt64(UInt(bitPattern: ExitRestore.closure(t, f.closure))))
            } else {
                // Guarded by prototype only: the closure in the function slot (written above).
                a.mov(.rcx, slotMem(f.funcSlot))
                a.shl(.rcx, 17)
                a.shr(.rcx, 17)
            }
            a.mov(Mem(.rax, FL.ciClosure), .rcx)
            a.mov(Mem(.rax, FL.ciNresults), f.nresults, width: .d)
            a.mov(Mem(.rax, FL.ciFlags), Int32(bitPattern: f.tail ? FL.flagLua | FL.flagTail : FL.flagLua), width: .d)
            a.mov(Mem(.rax, FL.ciNvarargs), f.nvarargs, width: .d)
            a.mov(Mem(.rax, FL.ciPad), 0, width: .d)
            a.mov(.rcx, bits: Value.nil.bits)
            a.mov(Mem(.rax, FL.ciHandler), .rcx)
            a.inc(Mem(.r11, FL.coCount))
            callerProto = f.proto
        }
    }

    /// RETF from the trace's base frame into its caller, as Runtime's jitReturnToCaller: the top
    /// record is a plain Lua call (fixed arity) and the one below is `closure` resuming at `pc`,
    /// and no open upvalue points into the frame (the interpreter's return closes them);
    /// otherwise exit through `snap`. Scratch registers only.
    func emitReturnToCaller(closure: UInt64, pc: UInt64, snap: Int, plainFrame: Bool = false) throws {
        typealias FL = JITFrameLayout
        let top = -FL.ciSize, below = -2 * FL.ciSize
        a.mov(.r11, bits: FL.runningThreadAddress)
        a.mov(.r11, Mem(.r11))
        // The open upvalue list is sorted by descending address: its head is the highest.
        let noOpen = a.newLabel()
        a.mov(.rax, Mem(.r11, FL.threadOpenupval))
        a.test(.rax, .rax)
        a.jcc(.e, noOpen)
        a.cmp(NativeRegs.base, Mem(.rax, FL.upvalV))
        try jccExit(.be, snap)
        a.bind(noOpen)
        a.mov(.r11, Mem(.r11, FL.threadInterp))
        a.mov(.rax, Mem(.r11, FL.coCount))
        a.cmp(.rax, 2)
        try jccExit(.b, snap)
        a.imul(.rax, .rax, FL.ciSize)
        a.add(.rax, Mem(.r11, FL.coCis))                        // &cis[ciCount]
        a.mov(.rcx, Mem(.rax, top + FL.ciFlags), width: .d)
        a.and(.rcx, Int32(bitPattern: ~FL.flagTail), width: .d)
        a.cmp(.rcx, Int32(bitPattern: FL.flagLua), width: .d)
        try jccExit(.ne, snap)
        if !plainFrame {
            a.cmp(Mem(.rax, top + FL.ciNvarargs), 0, width: .d)
            try jccExit(.ne, snap)
            a.mov(.rcx, Mem(.rax, top + FL.ciFn))
            a.add(.rcx, 8)
            a.cmp(.rcx, Mem(.rax, top + FL.ciBase))
            try jccExit(.ne, snap)
        }
        a.test(Mem(.rax, below + FL.ciFlags), Int32(bitPattern: FL.flagLua), width: .d)
        try jccExit(.e, snap)
        a.mov(.rcx, bits: closure)
        a.cmp(.rcx, Mem(.rax, below + FL.ciClosure))
        try jccExit(.ne, snap)
        a.mov(.rcx, bits: pc)
        a.cmp(.rcx, Mem(.rax, below + FL.ciPC))
        try jccExit(.ne, snap)
        a.dec(Mem(.r11, FL.coCount))
    }

    /// The prototype of snapshot `s`'s base frame (the caller of its first inlined frame).
    func snapshotBaseProto(_ s: Snapshot) -> ProtoRef {
        s.baseClosure == noRef ? t.startProto : ExitRestore.closure(t, s.baseClosure).pointee.proto.unsafelyUnwrapped
    }

    /// The back-edge's parallel assignment: every PHI's left takes its right's value (all rights
    /// read before any left is written). Moves are ordered so that no source is overwritten before
    /// it is read; cycles are broken through a PHI temporary slot.
    func emitPHIs() throws {
        enum Src: Equatable { case loc(Loc), const(IRRef), temp(Int, RegClass) }
        struct Move { var dst: Loc; var src: Src; var cls: RegClass }
        var moves: [Move] = []
        for ins in t.ins where ins.op == .PHI {
            if ins.a < 0 { throw NativeUnsupported("PHI of a constant") }
            let cls = regClass(type(ins.a))
            if cls == .none { continue }
            if regClass(type(ins.b)) != cls { throw NativeUnsupported("PHI with mixed types") }
            let d = loc(ins.a)
            let s: Src = ins.b < 0 ? .const(ins.b) : .loc(loc(ins.b))
            if s == .loc(d) { continue }
            moves.append(Move(dst: d, src: s, cls: cls))
        }
        var temps = 0
        func emitMove(_ m: Move) throws {
            // Source into a register (or use it in place), then store to the destination.
            switch m.cls {
            case .xmm:
                var x: XMM = .xmm15
                switch m.src {
                case .loc(.xmm(let r)): x = r
                case .loc(.spill(let k)): a.movsd(.xmm15, spillMem(k))
                case .const(let r): loadConstXMM(.xmm15, constBits(r))
                case .temp(let k, _): a.movsd(.xmm15, phiMem(k))
                default: throw NativeUnsupported("PHI source")
                }
                switch m.dst {
                case .xmm(let d): if d != x { a.movapd(d, x) }
                case .spill(let k): a.movsd(spillMem(k), x)
                default: throw NativeUnsupported("PHI destination")
                }
            case .gpr:
                var g: GPR = .rax
                switch m.src {
                case .loc(.gpr(let r)): g = r
                case .loc(.spill(let k)): a.mov(.rax, spillMem(k))
                case .const(let r):
                    let k = t.const(of: r)
                    a.mov(.rax, bits: k.type == .int ? UInt64(bitPattern: Int64(k.intValue)) : k.bits)
                case .temp(let k, _): a.mov(.rax, phiMem(k))
                default: throw NativeUnsupported("PHI source")
                }
                switch m.dst {
                case .gpr(let d): if d != g { a.mov(d, g) }
                case .spill(let k): a.mov(spillMem(k), g)
                default: throw NativeUnsupported("PHI destination")
                }
            case .none: break
            }
        }
        while !moves.isEmpty {
            if let idx = moves.indices.first(where: { j in
                !moves.indices.contains { k in k != j && moves[k].src == .loc(moves[j].dst) }
            }) {
                try emitMove(moves[idx])
                moves.remove(at: idx)
                continue
            }
            // A cycle: park the first destination's current value in a temporary.
            let d = moves[0].dst
            if temps >= phiCount { throw NativeUnsupported("PHI cycle") }
            let k = temps
            temps += 1
            switch d {
            case .xmm(let x): a.movsd(phiMem(k), x)
            case .gpr(let g): a.mov(phiMem(k), g)
            case .spill(let s): a.mov(.rax, spillMem(s)); a.mov(phiMem(k), .rax)
            case .none: break
            }
            for j in moves.indices where moves[j].src == .loc(d) { moves[j].src = .temp(k, moves[j].cls) }
        }
    }

    /// One exit stub per snapshot used (`mov eax, snap; jmp common`), then the common exit: store
    /// all registers and the spill slots into exitState, restore the callee-saved registers, return.
    func emitExits() throws -> [(offset: Int, snap: Int)] {
        var stubs: [(offset: Int, snap: Int)] = []
        for s in exitLabels.keys.sorted() {
            stubs.append((a.offset, s))
            a.bind(exitLabels[s]!)
            // A jump to the next instruction until a side trace is attached (then to its entry).
            let body = a.newLabel()
            stubJumps[s] = a.offset
            a.jmp32(body)
            a.bind(body)
            a.mov(.rax, imm32: exitCode(s), width: .d)
            a.jmp32(commonExit)
        }
        a.bind(commonExit)
        a.mov(.r11, Mem(.rbp, CodeGen.exitStateSlot))
        for g in 0..<16 where g != 11 && g != 4 && g != 5 {
            a.mov(Mem(.r11, Int32(8 * g)), GPR(UInt8(g)))
        }
        for x in 0..<16 { a.movsd(Mem(.r11, Int32(128 + 8 * x)), XMM(UInt8(x))) }
        for k in 0..<ra.spillCount {
            a.mov(.rcx, spillMem(k))
            a.mov(Mem(.r11, Int32(256 + 8 * k)), .rcx)
        }
        a.lea(.rsp, Mem(.rbp, -CodeGen.savedRegs))
        a.pop(.r15); a.pop(.r14); a.pop(.r13); a.pop(.r12); a.pop(.rbx)
        a.pop(.rbp)
        a.ret()
        return stubs
    }

    // MARK: instructions

    func emit(_ i: Int, _ ins: IRIns) throws {
        switch ins.op {
        case .LT, .NLT, .LE, .NLE:
            if type(ins.a) == .int {
                try emitIntCompare(ins)
                return
            }
            guard type(ins.a) == .num && type(ins.b) == .num else { throw NativeUnsupported("\(ins.op.name) on non-numbers") }
            // ucomisd b, a: "above" (b > a) and "above or equal" are false when unordered.
            let bx = xmm(ins.b, .xmm14)
            switch xsrc(ins.a) {
            case .reg(let x): a.ucomisd(bx, x)
            case .mem(let m): a.ucomisd(bx, m)
            }
            let c: Cond
            switch ins.op {
            case .LT: c = .be     // need b > a
            case .NLT: c = .a
            case .LE: c = .b      // need b >= a
            default: c = .ae
            }
            try jccExit(c, Int(ins.snap))
        case .EQ, .NE:
            try emitEquality(i, ins)
        case .ABC:
            let x = gpr(ins.a, .r11)
            switch gsrc(ins.b, .rcx) {
            case .reg(let g): a.cmp(x, g, width: .d)
            case .mem(let m): a.cmp(x, m, width: .d)
            case .imm(let v): a.cmp(x, v, width: .d)
            }
            try jccExit(.ae, Int(ins.snap))

        case .SLOAD:
            try loadValue(i, ins, slotMem(ins.c))
        case .FLOAD:
            try emitFLOAD(i, ins)
        case .AREF:
            let p = gpr(ins.a, .r11)
            let d = dstGPR(i)
            if ins.b < 0 {
                let k = Int64(t.const(of: ins.b).intValue) * 8
                guard let disp = Int32(exactly: k) else { throw NativeUnsupported("AREF offset") }
                a.lea(d, Mem(p, disp))
            } else {
                switch loc(ins.b) {
                case .gpr(let g): a.movsxd(.rcx, g)
                case .spill(let k): a.movsxd(.rcx, spillMem(k))
                default: a.zero(.rcx)
                }
                a.lea(d, Mem(base: p, index: .rcx, scale: 8))
            }
            finishGPR(i, d)
        case .ALOAD:
            let p = gpr(ins.a, .r11)
            try loadValue(i, ins, Mem(p, 0))
        case .HLOAD where stringKey(ins.b) != nil:
            try findStringNode(gpr(ins.a, .rcx), stringKey(ins.b).unsafelyUnwrapped)
            try loadValue(i, ins, Mem(.r11, Layout.nodeVal))
        case .HLOAD, .TGET:
            try callHelper(NativeHelpers.tget, [.raw(ins.a), .boxed(ins.b)], at: i, failSnap: nil)
            try loadValue(i, ins, staging(0))
        case .UGET:
            let f = gpr(ins.a, .r11)
            a.mov(.r11, Mem(f, Layout.lfuncUpvals + 8 * ins.c))
            a.mov(.r11, Mem(.r11, Layout.upvalV))
            try loadValue(i, ins, Mem(.r11, 0))
        case .STRBYTE:
            let s = gpr(ins.a, .r11)
            if ins.b < 0 {
                a.mov(.rcx, Int64(t.const(of: ins.b).intValue))
            } else {
                switch loc(ins.b) {
                case .gpr(let g): a.movsxd(.rcx, g)
                case .spill(let k): a.movsxd(.rcx, spillMem(k))
                default: a.zero(.rcx)
                }
            }
            a.cmp(.rcx, Mem(s, Layout.strLen))
            try jccExit(.ae, Int(ins.snap))
            let d = dstGPR(i)
            a.movzx(d, Mem(base: s, index: .rcx, disp: Layout.strData), from: .b, width: .d)
            finishGPR(i, d)

        case .ASTORE:
            let p = gpr(ins.a, .r11)
            try storeBoxed(ins.b, Mem(p, 0))
        case .HSTORE:
            let slow = a.newLabel(), done = a.newLabel()
            if let key = stringKey(ins.c) {
                // A key already holding a value is overwritten in place; anything else (a new key,
                // a nil value) goes through the table's own store.
                let tab = gpr(ins.a, .rcx)
                try findStringNode(tab, key)
                a.mov(.rax, bits: Value.nil.bits)
                a.cmp(Mem(.r11, Layout.nodeVal), .rax)
                a.jcc(.e, slow)
                try storeBoxed(ins.b, Mem(.r11, Layout.nodeVal))
                a.mov(Mem(gpr(ins.a, .rcx), Layout.tabNomm), 0, width: .d)
                a.jmp(done)
            }
            a.bind(slow)
            try callHelper(NativeHelpers.tset, [.raw(ins.a), .boxed(ins.c), .boxed(ins.b)], at: i,
                           failSnap: failSnapshot(i, ins))
            a.bind(done)
        case .TSET:
            try callHelper(NativeHelpers.tset, [.raw(ins.a), .boxed(ins.b), .boxed(ins.c)], at: i,
                           failSnap: failSnapshot(i, ins))
        case .USET:
            let f = gpr(ins.a, .r11)
            a.mov(.r11, Mem(f, Layout.lfuncUpvals + 8 * ins.c))
            a.mov(.r11, Mem(.r11, Layout.upvalV))
            try storeBoxed(ins.b, Mem(.r11, 0))

        case .ADD: try binarySSE(i, ins, commutative: true) { d, s in switch s { case .reg(let x): self.a.addsd(d, x); case .mem(let m): self.a.addsd(d, m) } }
        case .SUB: try binarySSE(i, ins, commutative: false) { d, s in switch s { case .reg(let x): self.a.subsd(d, x); case .mem(let m): self.a.subsd(d, m) } }
        case .MUL: try binarySSE(i, ins, commutative: true) { d, s in switch s { case .reg(let x): self.a.mulsd(d, x); case .mem(let m): self.a.mulsd(d, m) } }
        case .DIV: try binarySSE(i, ins, commutative: false) { d, s in switch s { case .reg(let x): self.a.divsd(d, x); case .mem(let m): self.a.divsd(d, m) } }
        case .MIN: try binarySSE(i, ins, commutative: false) { d, s in switch s { case .reg(let x): self.a.minsd(d, x); case .mem(let m): self.a.minsd(d, m) } }
        case .MAX: try binarySSE(i, ins, commutative: false) { d, s in switch s { case .reg(let x): self.a.maxsd(d, x); case .mem(let m): self.a.maxsd(d, m) } }
        case .MOD:
            if sse41 {
                // a - floor(a / b) * b, in the interpreter's order.
                a.movapd(.xmm15, xmm(ins.a, .xmm15))
                switch xsrc(ins.b) {
                case .reg(let x): a.divsd(.xmm15, x)
                case .mem(let m): a.divsd(.xmm15, m)
                }
                a.roundsd(.xmm15, .xmm15, .floor)
                switch xsrc(ins.b) {
                case .reg(let x): a.mulsd(.xmm15, x)
                case .mem(let m): a.mulsd(.xmm15, m)
                }
                loadXMM(.xmm14, ins.a)
                a.subsd(.xmm14, .xmm15)
                let d = dstXMM(i)
                a.movapd(d, .xmm14)
                finishXMM(i, d)
            } else {
                try callHelper(NativeHelpers.mod, [.raw(ins.a), .raw(ins.b)], at: i, failSnap: nil)
                resultFromStaging(i, ins)
            }
        case .POW:
            try callHelper(NativeHelpers.pow, [.raw(ins.a), .raw(ins.b)], at: i, failSnap: nil)
            resultFromStaging(i, ins)
        case .ATAN2:
            try callHelper(NativeHelpers.atan2, [.raw(ins.a), .raw(ins.b)], at: i, failSnap: nil)
            resultFromStaging(i, ins)
        case .FMOD:
            try callHelper(NativeHelpers.fmod, [.raw(ins.a), .raw(ins.b)], at: i, failSnap: nil)
            resultFromStaging(i, ins)
        case .NEG:
            let d = dstXMM(i)
            loadXMM(d, ins.a)
            a.xorpd(d, Mem.rip(a.constant128(0x8000_0000_0000_0000, 0)))
            finishXMM(i, d)
        case .FPMATH:
            guard let f = IRMathFn(rawValue: ins.b) else { throw NativeUnsupported("FPMATH function") }
            let d = dstXMM(i)
            switch f {
            case .sqrt:
                switch xsrc(ins.a) {
                case .reg(let x): a.sqrtsd(d, x)
                case .mem(let m): a.sqrtsd(d, m)
                }
                finishXMM(i, d)
            case .abs:
                loadXMM(d, ins.a)
                a.andpd(d, Mem.rip(a.constant128(0x7FFF_FFFF_FFFF_FFFF, 0)))
                finishXMM(i, d)
            case .floor where sse41, .ceil where sse41:
                switch xsrc(ins.a) {
                case .reg(let x): a.roundsd(d, x, f == .floor ? .floor : .ceil)
                case .mem(let m): a.roundsd(d, m, f == .floor ? .floor : .ceil)
                }
                finishXMM(i, d)
            default:
                try callHelper(NativeHelpers.fpmath, [.raw(ins.a), .imm(UInt64(UInt32(bitPattern: ins.b)))], at: i, failSnap: nil)
                resultFromStaging(i, ins)
            }

        case .ADDI: try binaryALU(i, ins, .add, commutative: true)
        case .SUBI: try binaryALU(i, ins, .sub, commutative: false)
        case .BAND: try binaryALU(i, ins, .and, commutative: true)
        case .BOR: try binaryALU(i, ins, .or, commutative: true)
        case .BXOR: try binaryALU(i, ins, .xor, commutative: true)
        case .BSHL: try shiftOp(i, ins, .shl)
        case .BSHR: try shiftOp(i, ins, .shr)
        case .BSAR: try shiftOp(i, ins, .sar)
        case .BROL: try shiftOp(i, ins, .rol)
        case .BROR: try shiftOp(i, ins, .ror)
        case .BNOT:
            let d = dstGPR(i)
            loadGPR(d, ins.a)
            a.not(d, width: .d)
            finishGPR(i, d)
        case .BSWAP:
            let d = dstGPR(i)
            loadGPR(d, ins.a)
            a.bswap(d, width: .d)
            finishGPR(i, d)

        case .TOBIT:
            loadXMM(.xmm15, ins.a)
            a.addsd(.xmm15, Mem.rip(a.constant(double: 6755399441055744.0)))
            let d = dstGPR(i)
            a.movd(d, .xmm15)
            finishGPR(i, d)
        case .TOINT:
            let x = xmm(ins.a, .xmm14)
            a.cvttsd2si(.rax, x, width: .d)
            a.xorps(.xmm15, .xmm15)
            a.cvtsi2sd(.xmm15, .rax, width: .d)
            a.ucomisd(.xmm15, x)
            try jccExit(.ne, Int(ins.snap))
            try jccExit(.p, Int(ins.snap))
            let d = dstGPR(i)
            if d != .rax { a.mov(d, .rax, width: .d) }
            finishGPR(i, d)
        case .TONUM:
            let d = dstXMM(i)
            if ins.a < 0 {
                loadConstXMM(d, Double(t.const(of: ins.a).intValue).bitPattern)
            } else {
                switch loc(ins.a) {
                case .gpr(let g):
                    a.xorps(d, d)
                    a.cvtsi2sd(d, g, width: .d)
                case .spill(let k):
                    a.xorps(d, d)
                    a.cvtsi2sd(d, spillMem(k), width: .d)
                default: a.xorps(d, d)
                }
            }
            finishXMM(i, d)

        case .CAT:
            try callHelper(NativeHelpers.cat, [.boxed(ins.a), .boxed(ins.b)], at: i, failSnap: failSnapshot(i, ins))
            resultFromStaging(i, ins)
        case .STRSUB:
            try callHelper(NativeHelpers.strsub, [.raw(ins.a), .raw(ins.b), .raw(ins.c)], at: i, failSnap: failSnapshot(i, ins))
            resultFromStaging(i, ins)
        case .STRCHAR:
            try callHelper(NativeHelpers.strchar, [.raw(ins.a)], at: i, failSnap: failSnapshot(i, ins))
            resultFromStaging(i, ins)
        case .STRCMP:
            try callHelper(NativeHelpers.strcmp, [.raw(ins.a), .raw(ins.b)], at: i, failSnap: nil)
            resultFromStaging(i, ins)
        case .TOSTR:
            try callHelper(NativeHelpers.tostr, [.raw(ins.a)], at: i, failSnap: failSnapshot(i, ins))
            resultFromStaging(i, ins)
        case .TNEW:
            try callHelper(NativeHelpers.tnew, [.imm(UInt64(UInt32(bitPattern: ins.b))), .imm(UInt64(UInt32(bitPattern: ins.c)))],
                           at: i, failSnap: failSnapshot(i, ins))
            resultFromStaging(i, ins)
        case .LEN:
            // Table.length's common cases inline: no hash part and an array part that is empty or
            // ends in a non-nil value -> its size. Otherwise the helper's border search.
            let tab = gpr(ins.a, .r11)
            let slow = a.newLabel(), done = a.newLabel(), size = a.newLabel()
            a.cmp(Mem(tab, Layout.tabHmask), 0, width: .d)
            a.jcc32(.ne, slow)
            a.mov(.rax, Mem(tab, Layout.tabAsize), width: .d)
            a.test(.rax, .rax, width: .d)
            a.jcc(.e, size)
            a.mov(.rcx, Mem(tab, Layout.tabArray))
            a.cmp(Mem(base: .rcx, index: .rax, scale: .x8, disp: -8), Int32(truncatingIfNeeded: Int64(bitPattern: Value.nil.bits)))
            a.jcc32(.e, slow)
            a.bind(size)
            let d = dstGPR(i)
            a.mov(d, .rax)
            finishGPR(i, d)
            a.jmp32(done)
            a.bind(slow)
            try callHelper(NativeHelpers.len, [.raw(ins.a)], at: i, failSnap: nil)
            resultFromStaging(i, ins)
            a.bind(done)

        case .CARG:
            break
        case .CALLN:
            if callBuffer == 0 { throw NativeUnsupported("CALLN without a call buffer") }
            let args = callArguments(ins.b)
            if args.count > NativeHelpers.callnMaxArgs {
                throw NativeUnsupported("CALLN with \(args.count) arguments (at most \(NativeHelpers.callnMaxArgs))")
            }
            // Results the trace reads: the call pads the buffer with nil up to that many.
            var want = 1
            for j in (i + 1)..<n where t.ins[j].op == .CALLRES && t.ins[j].a == IRRef(i) {
                want = max(want, Int(t.ins[j].c) + 1)
            }
            if want > NativeHelpers.callBufferResults { throw NativeUnsupported("CALLN result \(want) read") }
            let packed = UInt64(args.count) | UInt64(want) << 16
            // The arguments go to the call buffer (boxing uses rax and xmm15 only).
            a.mov(.r11, bits: callBuffer)
            for (j, r) in args.enumerated() {
                try storeBoxed(r, Mem(.r11, Int32(8 * (NativeHelpers.callArgsOffset + j))))
            }
            try callHelper(NativeHelpers.calln, [.imm(callBuffer), .boxed(ins.a), .imm(packed)],
                           at: i, failSnap: failSnapshot(i, ins))
            lastCallN = IRRef(i)
            if regClass(ins.type) != .none || ins.isGuard {
                a.mov(.r11, bits: callBuffer)
                try loadValue(i, ins, Mem(.r11, 8))
            }
        case .CALLRES:
            if ins.a != lastCallN { throw NativeUnsupported("CALLRES after another call") }
            a.mov(.r11, bits: callBuffer)
            if ins.c < 0 {
                let d = dstGPR(i)
                a.mov(d, Mem(.r11, 0), width: .d)
                finishGPR(i, d)
            } else {
                try loadValue(i, ins, Mem(.r11, 8 * (1 + ins.c)))
            }

        case .LOOP:
            let l = a.newLabel()
            a.bind(l)
            loopLabel = l
        case .PHI, .NOP:
            break
        case .GCSTEP:
            try callHelper(NativeHelpers.gcstep, [], at: i, failSnap: Int(ins.snap))
        case .UVOUT:
            // (v - (base - 8)) unsigned >= the window: the upvalue aliases none of the trace's slots.
            let f = gpr(ins.a, .r11)
            a.mov(.r11, Mem(f, Layout.lfuncUpvals + 8 * ins.c))
            a.mov(.r11, Mem(.r11, Layout.upvalV))
            a.sub(.r11, NativeRegs.base)
            a.add(.r11, 8)
            a.cmp(.r11, Int32(8 * traceSlotWindow))
            try jccExit(.b, Int(ins.snap))
        case .VARGN:
            try callHelper(NativeHelpers.vargn, [.imm(UInt64(UInt32(bitPattern: ins.b)))], at: i, failSnap: Int(ins.snap))
        case .FNEW:
            try callHelper(NativeHelpers.fnew, [.raw(ins.a), .imm(UInt64(UInt32(bitPattern: ins.b))), .imm(UInt64(UInt32(bitPattern: ins.c)))],
                           at: i, failSnap: failSnapshot(i, ins), baseArg: 3)
            resultFromStaging(i, ins)
        case .UCLO:
            try callHelper(NativeHelpers.uclo, [.imm(UInt64(UInt32(bitPattern: ins.c)))], at: i, failSnap: nil, baseArg: 1)
        case .SSTORE:
            try storeBoxed(ins.a, slotMem(ins.c))
        case .UVAT:
            let f = gpr(ins.a, .r11)
            a.mov(.r11, Mem(f, Layout.lfuncUpvals + 8 * ins.c))
            a.lea(.rcx, slotMem(ins.b))
            a.cmp(.rcx, Mem(.r11, Layout.upvalV))
            try jccExit(.ne, Int(ins.snap))
        case .RETF:
            let cl = ExitRestore.closure(t, ins.a)
            let pc = cl.pointee.proto.unsafelyUnwrapped.pointee.code.unsafelyUnwrapped + Int(ins.b)
            // The popped frame's function is fixed (the trace's start frame's, or a caller a RETF
            // guarded): a frame of a function without varargs always has its base just above its
            // function slot and no varargs, so those checks are left out.
            let s = t.snapshots[Int(ins.snap)]
            let plain = s.frames.isEmpty && snapshotBaseProto(s).pointee.isvararg == 0
            try emitReturnToCaller(closure: constBits(ins.a), pc: UInt64(UInt(bitPattern: pc)), snap: Int(ins.snap),
                                   plainFrame: plain)
            a.sub(NativeRegs.base, Int32(8 * ins.c))
        }
    }

    /// The string a constant key operand names, or nil.
    func stringKey(_ r: IRRef) -> StringRef? {
        guard r < 0 else { return nil }
        let k = t.const(of: r)
        return k.type == .str ? StringRef(bitPattern: UInt(k.bits)) : nil
    }

    /// r11 = the hash node of string key `s` in the table in `tab` (not rax, r11), or the address
    /// of a nil constant when the key is absent: [r11 + nodeVal] is the raw value either way.
    /// The chain is walked from the key's main position as Table.get(str:) does.
    func findStringNode(_ tab: GPR, _ s: StringRef) throws {
        a.mov(.r11, Mem(tab, Layout.tabHmask), width: .d)
        a.and(.r11, Int32(bitPattern: s.pointee.hash), width: .d)
        a.imul(.r11, .r11, Layout.nodeSize)
        a.add(.r11, Mem(tab, Layout.tabNode))
        a.mov(.rax, bits: Value(s).bits)
        let loop = a.newLabel(), found = a.newLabel()
        a.bind(loop)
        a.cmp(Mem(.r11, Layout.nodeKey), .rax)
        a.jcc(.e, found)
        a.mov(.r11, Mem(.r11, Layout.nodeNext))
        a.test(.r11, .r11)
        a.jcc(.ne, loop)
        a.lea(.r11, Mem.rip(a.constant(Value.nil.bits), disp: -Layout.nodeVal))
        a.bind(found)
    }

    func binarySSE(_ i: Int, _ ins: IRIns, commutative: Bool, _ op: (XMM, XSrc) -> Void) throws {
        let d = dstXMM(i)
        let bs = xsrc(ins.b)
        if case .reg(let bx) = bs, bx == d, ins.a != ins.b {
            if commutative {
                op(d, xsrc(ins.a))
            } else {
                loadXMM(.xmm14, ins.a)
                op(.xmm14, bs)
                a.movapd(d, .xmm14)
            }
        } else {
            loadXMM(d, ins.a)
            op(d, bs)
        }
        finishXMM(i, d)
    }

    func binaryALU(_ i: Int, _ ins: IRIns, _ op: ALUOp, commutative: Bool) throws {
        let d = dstGPR(i)
        var bs = gsrc(ins.b, .rcx)
        if case .reg(let bg) = bs, bg == d, ins.a != ins.b {
            if commutative {
                bs = gsrc(ins.a, .rcx)
            } else {
                a.mov(.rcx, bg)
                bs = .reg(.rcx)
                loadGPR(d, ins.a)
            }
        } else {
            loadGPR(d, ins.a)
        }
        switch bs {
        case .reg(let g): a.alu(op, d, g, width: .d)
        case .mem(let m): a.alu(op, d, m, width: .d)
        case .imm(let v): a.alu(op, d, v, width: .d)
        }
        finishGPR(i, d)
    }

    /// LT/NLT/LE/NLE on ints: a signed 32-bit compare; exits when the relation does not hold.
    func emitIntCompare(_ ins: IRIns) throws {
        var l = ins.a, r = ins.b
        if l < 0 && r < 0 {
            if Fold.evalGuard(ins.op, t.const(of: l), t.const(of: r)) != true { try jmpExit(Int(ins.snap)) }
            return
        }
        // The exit condition for cmp a, b: the negation of what must hold.
        var c: Cond
        switch ins.op {
        case .LT: c = .ge
        case .NLT: c = .l
        case .LE: c = .g
        default: c = .le   // NLE: exit when a <= b
        }
        if l < 0 {
            // A constant first: compare b with a, mirroring the condition (a < b is b > a).
            swap(&l, &r)
            switch c {
            case .ge: c = .le
            case .l: c = .g
            case .g: c = .l
            default: c = .ge
            }
        }
        let x = gpr(l, .r11)
        switch gsrc(r, .rcx) {
        case .reg(let g): a.cmp(x, g, width: .d)
        case .mem(let m): a.cmp(x, m, width: .d)
        case .imm(let v): a.cmp(x, v, width: .d)
        }
        try jccExit(c, Int(ins.snap))
    }

    func shiftOp(_ i: Int, _ ins: IRIns, _ op: ShiftOp) throws {
        let d = dstGPR(i)
        if ins.b < 0 {
            loadGPR(d, ins.a)
            a.shift(op, d, .imm(UInt8(t.const(of: ins.b).intValue & 31)), width: .d)
        } else {
            loadGPR(.rcx, ins.b)
            loadGPR(d, ins.a)
            a.shift(op, d, .cl, width: .d)
        }
        finishGPR(i, d)
    }

    func emitEquality(_ i: Int, _ ins: IRIns) throws {
        let ty = type(ins.a)
        let isEQ = ins.op == .EQ
        if ty != type(ins.b) { throw NativeUnsupported("\(ins.op.name) of mixed types") }
        if ty.isSingleton {
            if !isEQ { try jmpExit(Int(ins.snap)) }
            return
        }
        if ty == .num {
            let x = xmm(ins.a, .xmm14)
            switch xsrc(ins.b) {
            case .reg(let y): a.ucomisd(x, y)
            case .mem(let m): a.ucomisd(x, m)
            }
            if isEQ {
                try jccExit(.ne, Int(ins.snap))
                try jccExit(.p, Int(ins.snap))
            } else {
                let ok = a.newLabel()
                a.jcc(.p, ok)
                try jccExit(.e, Int(ins.snap))
                a.bind(ok)
            }
            return
        }
        var l = ins.a, r = ins.b
        if l < 0 && r < 0 {
            let eq = ty == .int ? t.const(of: l).intValue == t.const(of: r).intValue : constBits(l) == constBits(r)
            if eq != isEQ { try jmpExit(Int(ins.snap)) }
            return
        }
        if l < 0 { swap(&l, &r) }
        let w: Width = ty == .int ? .d : .q
        let x = gpr(l, .r11)
        switch gsrc(r, .rcx) {
        case .reg(let g): a.cmp(x, g, width: w)
        case .mem(let m): a.cmp(x, m, width: w)
        case .imm(let v): a.cmp(x, v, width: w)
        }
        try jccExit(isEQ ? .ne : .e, Int(ins.snap))
    }

    func emitFLOAD(_ i: Int, _ ins: IRIns) throws {
        guard let f = IRField(rawValue: ins.b) else { throw NativeUnsupported("FLOAD field") }
        let p = gpr(ins.a, .r11)
        let d = dstGPR(i)
        switch f {
        case .tabArray: a.mov(d, Mem(p, Layout.tabArray))
        case .tabAsize: a.mov(d, Mem(p, Layout.tabAsize), width: .d)
        case .tabHmask: a.mov(d, Mem(p, Layout.tabHmask), width: .d)
        case .tabMeta: a.mov(d, Mem(p, Layout.tabMeta))
        case .tabNomm: a.mov(d, Mem(p, Layout.tabNomm), width: .d)
        case .fnProto: a.mov(d, Mem(p, Layout.lfuncProto))
        case .strLen: a.mov(d, Mem(p, Layout.strLen), width: .d)
        case .udataMeta: a.mov(d, Mem(p, Layout.udataMeta))
        case .fnEnv:
            if ins.a < 0 {
                // A constant function: its env field's offset is known now.
                let v = t.const(of: ins.a).value
                a.mov(d, Mem(p, v.isLuaFunction ? Layout.lfuncEnv : Layout.cfuncEnv))
            } else {
                let done = a.newLabel(), cf = a.newLabel()
                a.cmp(Mem(p, Layout.gct), Int32(GCT.lfunc), width: .b)
                a.jcc(.ne, cf)
                a.mov(.rax, Mem(p, Layout.lfuncEnv))
                a.jmp(done)
                a.bind(cf)
                a.mov(.rax, Mem(p, Layout.cfuncEnv))
                a.bind(done)
                if d != .rax { a.mov(d, .rax) }
            }
        }
        finishGPR(i, d)
    }
}
