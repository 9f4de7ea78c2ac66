// Short loops unrolled into the trace that enters them.
//
// A numeric for loop with a small constant trip count (`for i = 2, #t` over a ten-element array,
// `for dx = -1, 1`) entered inside a trace is better recorded through than linked to: linking
// means a transfer into the loop's own trace and an exit out of it at every activation (findmax:
// most of the cost of each call), while its unrolled iterations are straight-line code whose
// index is a constant in every copy (constant array indexes, folded bounds checks, loads the loop
// optimization can share between iterations of the enclosing loop).
//
// The rule, checked at each back-edge of the loop while recording:
//   - the activation began in this trace (its FORPREP was recorded here, in the same frame), so
//     the trace never unrolls the loop it belongs to or one it was entered from;
//   - its index and step are constants in the IR (so its start and step are, and every copy's
//     index folds), and its limit is a constant, a length or a value loaded from a table or an
//     upvalue (not arithmetic on loop-variant values, which would change the trip count every
//     time: `for j = i + 1, n`);
//   - its whole trip count is at most `unrollshort` and the trace is still under half of
//     `maxrecord` instructions.
// Each unrolled iteration keeps its loop test as a guard, so a different trip count at run time
// exits like any branch (and grows a side trace there). Branches in the body are guards too, one
// per copy: when their direction depends on data that changes (nqueens), the copies exit often.
// So a snapshot inside an unrolled iteration names its loop, and when such an exit gets hot the
// loop is never unrolled again (`JITEngine.noUnroll`; the side trace from that exit and every
// later trace link to the loop instead). Otherwise the loop header is treated as
// before: linked to the loop's trace, or the recording ends/aborts there (Recorder.loopHeader).
import Bytecode
import Runtime

/// A loop activation that began inside the trace being recorded.
struct FreshLoop: Hashable {
    let level: Int
    let key: LoopKey
}

/// Where a fresh loop began: its start index, and the trace's IR length and inlined calls then.
struct FreshLoopStart {
    let index: Double
    let ins: Int
    let calls: Int
}

extension Recorder {
    /// Whether the loop whose header (body start) is `idx` of `p`, reached in the frame at
    /// `level` (frames above the trace's base frame), is recorded through as a short loop.
    func unrollsShortLoop(_ p: ProtoRef, _ idx: Int, level: Int) -> Bool {
        let maxTrip = engine.params.unrollshort
        guard maxTrip > 0, !engine.noUnroll.contains(LoopKey(p, idx)), trace.ins.count < engine.params.maxrecord / 2,
              let start = freshLoops[FreshLoop(level: level, key: LoopKey(p, idx))], start.calls == callsInlined,
              idx >= 1, idx < Int(p.pointee.ncode) else { return false }
        let prep = p.pointee.code.unsafelyUnwrapped[idx - 1]
        guard Opcode(rawValue: UInt8(truncatingIfNeeded: prep)) == .FORPREP else { return false }
        let a = Int((prep >> 8) & 0xff)
        let ia = index(baseSlot + Int32(a)), il = index(baseSlot + Int32(a + 1)), ist = index(baseSlot + Int32(a + 2))
        let idxRef = slots[ia], limRef = slots[il], stepRef = slots[ist]
        guard isConst(idxRef), isConst(stepRef), limRef != noRef, stableLimit(limRef) else { return false }
        let step = value(a + 2).number, limit = value(a + 1).number, at = value(a).number
        guard step != 0, step.isFinite, limit.isFinite, at.isFinite else { return false }
        // Iterations from the loop's start: the index now is the start plus k steps (k back-edges
        // taken), and the loop runs while it stays within the limit.
        let remaining = ((limit - at) / step).rounded(.down) + 1
        let taken = ((at - start.index) / step).rounded(.down)
        guard taken >= 1, remaining >= 0, taken + remaining <= Double(maxTrip) else { return false }
        let perIteration = Double(trace.ins.count - start.ins) / taken
        guard perIteration * (taken + remaining) <= Double(engine.params.unrollins) else { return false }
        unrolledShort = true
        let fresh = FreshLoop(level: level, key: LoopKey(p, idx))
        if activeUnrolled.last != fresh { activeUnrolled.append(fresh) }
        return true
    }

    /// The FORLOOP at the current pc (jumping back to `header`) fell through: its loop, if being
    /// unrolled, is done.
    func leftLoop(header: Int) {
        if let l = activeUnrolled.last, l.level == frames.count - retDepth, l.key == LoopKey(curProto, header) {
            activeUnrolled.removeLast()
        }
    }

    /// The innermost short loop being unrolled that the instruction being recorded lies in, for
    /// its snapshot. Loops left other than by their FORLOOP falling through (`break`, `goto`,
    /// `return`) are dropped here: an exit after them is not in an unrolled iteration, and getting
    /// hot must not stop their unrolling.
    func currentUnrolledLoop() -> LoopKey? {
        let level = frames.count - retDepth
        while let l = activeUnrolled.last {
            if l.level < level { return l.key }      // in a call made from the loop's body
            if l.level == level, l.key.proto == UInt(bitPattern: curProto), inLoopBody(curProto, header: l.key.pc, curPC) {
                return l.key
            }
            activeUnrolled.removeLast()
        }
        return nil
    }

    /// Whether `pc` lies in the body of the numeric for loop whose body starts at `header` (from
    /// there to its FORLOOP, the target of the FORPREP before it).
    func inLoopBody(_ p: ProtoRef, header: Int, _ pc: Int) -> Bool {
        guard header >= 1, header < Int(p.pointee.ncode), pc >= header else { return false }
        let prep = p.pointee.code.unsafelyUnwrapped[header - 1]
        guard Opcode(rawValue: UInt8(truncatingIfNeeded: prep)) == .FORPREP else { return false }
        return pc <= header + Int(prep >> 16) - 0x8000
    }

    /// A loop limit whose value is the same at every activation of the loop as long as the data
    /// it comes from is: a constant, a length, or a load (its IR op, looking through TONUM).
    func stableLimit(_ r: IRRef) -> Bool {
        if isConst(r) { return true }
        var ins = trace.ins[Int(r)]
        if ins.op == .TONUM, !isConst(ins.a) { ins = trace.ins[Int(ins.a)] }
        switch ins.op {
        case .LEN, .ALOAD, .HLOAD, .FLOAD, .UGET, .TGET: return true
        default: return false
        }
    }
}
