// Register allocation for the x86-64 backend: linear scan (Poletto & Sarkar) over live intervals,
// one location per value for its whole life (no interval splitting).
//
// Positions. Instruction i has two positions: 2i (where it reads its operands) and 2i+1 (where it
// writes its result). The trace end (back-edge or final exit) is position 2n. A value's interval
// runs from its definition (2i+1) to its last use:
//   - an operand use of instruction j is at 2j;
//   - a snapshot use is at 2j+1 when instruction j may exit through that snapshot (guards, helpers
//     that can fail): the value must survive the instruction's own result write, because the exit
//     happens after it (a guarded load writes its register, then checks the type);
//   - the final snapshot (trace end) and PHI operands are used at 2n;
//   - in a peeled loop (LOOP at index L), a value defined before L and used at or after L lives
//     until 2n: the body runs again with it.
// Since a location never changes, the exit map is the same for every exit: `locations[ref]`.
//
// Registers. rbx holds `base` (callee-saved, never allocated), rbp is the frame pointer, rsp the
// stack. rax, rcx and r11 are scratch registers of the code generator (rcx: shift counts), xmm14
// and xmm15 its scratch XMMs. Everything else is allocatable: GPRs for int/ptr/object values, XMMs
// for numbers. Singleton types (nil/false/true) and void need no location; constants are
// rematerialized at each use (immediates, movabs, or the constant pool for doubles).
// Spilled values get a frame slot of their own for their whole life.
import Runtime

enum Loc: Equatable {
    case none
    case gpr(GPR)
    case xmm(XMM)
    case spill(Int)
}

enum RegClass { case none, gpr, xmm }

@inline(__always) func regClass(_ t: IRType) -> RegClass {
    switch t {
    case .num: return .xmm
    case .nil, .false, .true, .void: return .none
    default: return .gpr
    }
}

enum NativeRegs {
    static let base = GPR.rbx
    static let allocGPR: [GPR] = [.rdx, .rsi, .rdi, .r8, .r9, .r10, .r12, .r13, .r14, .r15]
    static let allocXMM: [XMM] = (0..<14).map { XMM(UInt8($0)) }
    static let calleeSaved: Set<UInt8> = [3, 12, 13, 14, 15]
}

struct RegAllocation {
    var locations: [Loc]
    var start: [Int]
    var end: [Int]
    var spillCount: Int
}

/// The snapshot an instruction that calls a failing helper exits through: the newest one taken
/// at or before it.
func snapshotBefore(_ i: Int, in t: Trace) -> Int {
    var s = 0
    for (k, sn) in t.snapshots.enumerated() where Int(sn.ref) <= i { s = k }
    return s
}

/// Whether instruction `ins` calls a helper that may fail (allocation) or a guard helper.
func exitsThroughSnapshot(_ ins: IRIns) -> Bool {
    if ins.isGuard { return true }
    return ins.op.info.flags.contains(.allocates)
}

enum LinearScan {
    static func allocate(_ t: Trace) -> RegAllocation {
        let n = t.ins.count
        var start = [Int](repeating: -1, count: n)
        var end = [Int](repeating: -1, count: n)
        for i in 0..<n where regClass(t.ins[i].type) != .none && t.ins[i].op != .PHI {
            start[i] = 2 * i + 1
            end[i] = 2 * i + 1
        }
        @inline(__always) func use(_ r: IRRef, _ pos: Int) {
            if r < 0 || r == noRef { return }
            let k = Int(r)
            if start[k] < 0 { return }
            if pos > end[k] { end[k] = pos }
        }
        func useSnap(_ s: Int, _ pos: Int) {
            if s < 0 || s >= t.snapshots.count { return }
            for e in t.snapshots[s].entries { use(e.ref, pos) }
        }
        var phis: [(a: Int, b: Int)] = []
        for i in 0..<n {
            let ins = t.ins[i]
            let info = ins.op.info
            if ins.op == .PHI {
                use(ins.b, 2 * n)
                if ins.a >= 0 && ins.b >= 0 { phis.append((Int(ins.a), Int(ins.b))) } else { use(ins.a, 2 * n) }
                continue
            }
            if info.a == .ref { use(ins.a, 2 * i) }
            if info.b == .ref { use(ins.b, 2 * i) }
            if info.c == .ref { use(ins.c, 2 * i) }
            if ins.op == .CALLN {
                // The arguments are read at the call, not at their CARG cells.
                var r = ins.b
                while r >= 0 && r != noRef && t.ins[Int(r)].op == .CARG {
                    use(t.ins[Int(r)].b, 2 * i)
                    r = t.ins[Int(r)].a
                }
                use(r, 2 * i)
            }
            if ins.isGuard { useSnap(Int(ins.snap), 2 * i + 1) }
            if info.flags.contains(.allocates) { useSnap(ins.isGuard ? Int(ins.snap) : snapshotBefore(i, in: t), 2 * i + 1) }
        }
        useSnap(t.snapshots.count - 1, 2 * n)
        // PHI coalescing: a loop-carried value `a` whose last use in the body comes before its new
        // value `b` is defined hands its register to `b` (reserved in between), so the back-edge
        // needs no move. Otherwise `a` lives to the back-edge like every value the body reads.
        var partner = [Int](repeating: -1, count: n)
        var lefts = [Int](repeating: 0, count: n), rights = [Int](repeating: 0, count: n)
        for p in phis { lefts[p.a] += 1; rights[p.b] += 1 }
        for p in phis {
            let ok = start[p.a] >= 0 && start[p.b] >= 0 && lefts[p.a] == 1 && rights[p.b] == 1 && lefts[p.b] == 0
                && rights[p.a] == 0 && regClass(t.ins[p.a].type) == regClass(t.ins[p.b].type)
                && p.b >= (t.loopStart ?? n) && end[p.a] < start[p.b]
            if ok { partner[p.a] = p.b } else { use(IRRef(p.a), 2 * n) }
        }
        if let ls = t.loopStart {
            for k in 0..<min(ls, n) where start[k] >= 0 && end[k] >= 2 * ls && partner[k] < 0 { end[k] = 2 * n }
        }

        var locs = [Loc](repeating: .none, count: n)
        var spills = 0
        // Active intervals per class, as (end, ref), and the free registers.
        var freeG = NativeRegs.allocGPR
        var freeX = NativeRegs.allocXMM
        var active: [Int] = []
        var reserved: [Int: Loc] = [:]         // PHI right -> its left's register
        for i in 0..<n where start[i] >= 0 {
            let pos = start[i]
            // Expire intervals that ended before this definition.
            active.removeAll { k in
                if end[k] < pos {
                    if partner[k] >= 0 {
                        reserved[partner[k]] = locs[k]
                        return true
                    }
                    switch locs[k] {
                    case .gpr(let g): freeG.append(g)
                    case .xmm(let x): freeX.append(x)
                    default: break
                    }
                    return true
                }
                return false
            }
            if let r = reserved.removeValue(forKey: i) {
                locs[i] = r
                active.append(i)
                continue
            }
            let cls = regClass(t.ins[i].type)
            if cls == .gpr, !freeG.isEmpty {
                locs[i] = .gpr(freeG.removeFirst())
                active.append(i)
                continue
            }
            if cls == .xmm, !freeX.isEmpty {
                locs[i] = .xmm(freeX.removeFirst())
                active.append(i)
                continue
            }
            // Spill the active interval of this class that ends last (or this one).
            var victim = -1
            for k in active where regClass(t.ins[k].type) == cls {
                if victim < 0 || end[k] > end[victim] { victim = k }
            }
            if victim >= 0 && end[victim] > end[i] {
                locs[i] = locs[victim]
                locs[victim] = .spill(spills)
                spills += 1
                active.removeAll { $0 == victim }
                active.append(i)
            } else {
                locs[i] = .spill(spills)
                spills += 1
            }
        }
        return RegAllocation(locations: locs, start: start, end: end, spillCount: spills)
    }
}
