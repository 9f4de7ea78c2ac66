// LoopOpt: loop optimization by peeling one iteration (copy-substitution, as LuaJIT's lj_opt_loop).
//
// Why. A recorded loop trace is one iteration: it loads every slot it reads, checks every type and
// bound, and recomputes invariant values each time round. Peeling the recorded iteration and
// re-emitting a copy of it through the emit-time passes (Fold, CSE) makes everything that does not
// depend on the previous iteration collapse into the peeled copy: invariant loads, invariant
// arithmetic and invariant guards disappear from the loop body. What varies is carried around the
// back-edge by PHIs. No separate invariant analysis is needed; CSE finds it.
//
// Contract.
// Input (`trace`, `builder` with `builder.trace === trace`):
//   - trace.link == .loop, trace.loopStart == nil, no LOOP or PHI instruction; instructions
//     0 ..< n are one iteration; at least one snapshot.
//   - An SLOAD of slot s reads the value s held when the iteration started (the recorder never
//     SLOADs a slot it already wrote: later reads use the written ref).
//   - The LAST snapshot is the loop end: its pc is the trace start, and its entries give every slot
//     the iteration changed with the ref it holds at the end of the iteration. Slots without an
//     entry are unchanged. Its `ref` is where it was taken (n, or before a final GCSTEP guard that
//     exits through it).
//   - The builder's CSE state is the one the recording left (same epochs), or CSE is off.
//   - No SLOAD of a slot an earlier SSTORE of the iteration wrote.
//   - No USET: an upvalue still open on the trace's frames is a stack slot, so a USET could change
//     what an SLOAD reads, and SLOADs of unmodified slots would not be invariant (not peeled).
// Output when it returns true:
//   - 0 ..< n unchanged (the peeled first iteration), then LOOP at index n (trace.loopStart = n),
//     then the body: a copy of 0 ..< n emitted through `builder.emit` (fold and CSE as the builder's
//     options say) under the substitution subst[]:
//       SLOAD s -> the ref slot s holds at the end of the iteration (last snapshot entry), or the
//                  SLOAD itself when s has no entry (invariant; its type check stays in the peel);
//       any other instruction -> its copy, operands substituted (constants map to themselves).
//     NOPs are not copied.
//   - Every snapshot of the iteration is copied just before the copy of the instruction it
//     precedes (the last one at the end of the body if it was taken at n), with its entries
//     substituted and MERGED over the loop-start state: a body exit must also write back the slots
//     the previous iteration changed and this one has not yet (the trace never writes slots itself),
//     so a copied snapshot holds every entry of the last snapshot (slot -> its end ref r, the value
//     at the start of the current body iteration) overridden by its own substituted entries.
//     Copied guards exit through the copied snapshots. The last copied snapshot is the new loop end.
//   - PHIs after the body: a ref r < LOOP that the body uses in place of a value of the previous
//     iteration (a copied instruction that resolved to r: a substituted SLOAD or a Fold/CSE hit; or
//     an inherited snapshot entry) gets PHI(r, subst[r]) when subst[r] != r. PHIs are parallel
//     assignments at the back-edge: all right sides are read before any left side is written
//     (a, b = b, a gives PHI(ra, rb) and PHI(rb, ra)). PHI type = type of r.
//   - Snapshots taken before LOOP are unchanged; guards in the body refer to body snapshots.
// Returns false, with trace and builder exactly as before, when the trace does not meet the input
// contract or when a slot is type-unstable: a modified slot whose end value has another IR type than
// an SLOAD of that slot (the copy would need a different type than the peel checked). Such a trace
// keeps looping by restarting at instruction 0 after writing its last snapshot.
public enum LoopOpt {
    @discardableResult
    public static func run(_ trace: Trace, builder: IRBuilder) -> Bool {
        guard builder.trace === trace, trace.link == .loop, trace.loopStart == nil,
              let last = trace.snapshots.last, !trace.ins.isEmpty else { return false }
        let n = trace.ins.count
        guard last.ref >= 0, Int(last.ref) <= n else { return false }
        // USET may write a stack slot through an open upvalue, so SLOADs would not be invariant.
        for ins in trace.ins where ins.op == .LOOP || ins.op == .PHI || ins.op == .USET || ins.op == .RETF { return false }
        // An SLOAD of a slot the iteration already stored (SSTORE: a local captured by an open
        // upvalue, reloaded after a call) does not read the value the iteration started with.
        var stored: Set<Int32> = []
        for ins in trace.ins {
            if ins.op == .SSTORE { stored.insert(ins.c) }
            if ins.op == .SLOAD && stored.contains(ins.c) { return false }
        }

        // End-of-iteration values of the modified slots.
        var endRef: [Int32: IRRef] = [:]
        for e in last.entries { endRef[e.slot] = e.ref }
        // Type stability: every SLOAD of a modified slot must keep its type around the loop.
        for ins in trace.ins where ins.op == .SLOAD {
            if let r = endRef[ins.c], trace.type(of: r) != ins.type { return false }
        }

        // Save everything for a clean give-up.
        let savedIns = trace.ins, savedSnaps = trace.snapshots, savedConsts = trace.consts
        let savedConstIndex = trace.constIndex, savedCSE = builder.cse

        var subst = [IRRef](repeating: noRef, count: n)
        @inline(__always) func sub(_ r: IRRef) -> IRRef { (r >= 0 && Int(r) < n) ? subst[Int(r)] : r }
        var isCandidate = [Bool](repeating: false, count: n)
        var candidates: [IRRef] = []
        func candidate(_ r: IRRef) {
            if r >= 0 && Int(r) < n && !isCandidate[Int(r)] && savedIns[Int(r)].type != .void {
                isCandidate[Int(r)] = true
                candidates.append(r)
            }
        }
        let loopStart = builder.emitRaw(IRIns(.LOOP, .void))
        trace.loopStart = Int(loopStart)

        // Snapshots in the order they were taken, copied when the copy reaches their position.
        let snapCount = trace.snapshots.count
        var snapMap = [Int32](repeating: -1, count: snapCount)
        var nextSnap = 0
        func copySnapshots(upTo pos: Int) {
            while nextSnap < snapCount && Int(savedSnaps[nextSnap].ref) <= pos {
                let s = savedSnaps[nextSnap]
                var merged: [Int32: IRRef] = [:]
                for e in last.entries { merged[e.slot] = e.ref }          // loop-start state
                let inherited = Set(merged.keys)
                var own = Set<Int32>()
                for e in s.entries { merged[e.slot] = sub(e.ref); own.insert(e.slot) }
                var entries: [SnapEntry] = []
                entries.reserveCapacity(merged.count)
                for slot in merged.keys.sorted() {
                    let r = merged[slot]!
                    if inherited.contains(slot) && !own.contains(slot) { candidate(r) }
                    entries.append(SnapEntry(slot: slot, ref: r))
                }
                let frames = s.frames.map { f -> SnapFrame in
                    var g = f; g.closure = sub(f.closure); return g
                }
                snapMap[nextSnap] = Int32(trace.snapshots.count)
                var copy = Snapshot(ref: Int32(trace.ins.count), pc: s.pc, entries: entries, frames: frames, topSlot: s.topSlot)
                copy.multresTop = s.multresTop
                copy.baseClosure = s.baseClosure == noRef ? noRef : sub(s.baseClosure)
                copy.unrolledLoop = s.unrolledLoop
                trace.snapshots.append(copy)
                nextSnap += 1
            }
        }

        var ok = true
        for i in 0..<n {
            copySnapshots(upTo: i)
            let orig = savedIns[i]
            let info = orig.op.info
            switch orig.op {
            case .NOP:
                continue
            case .SLOAD:
                if let r = endRef[orig.c] {
                    subst[i] = r
                    candidate(r)
                } else {
                    subst[i] = IRRef(i)
                }
                continue
            default:
                break
            }
            var c = orig
            if info.a == .ref { c.a = sub(orig.a) }
            if info.b == .ref { c.b = sub(orig.b) }
            if info.c == .ref { c.c = sub(orig.c) }
            if (info.a == .ref && c.a == noRef && orig.a != noRef) || (info.b == .ref && c.b == noRef && orig.b != noRef)
                || (info.c == .ref && c.c == noRef && orig.c != noRef) {
                ok = false      // an operand whose copy has no value (a dropped guard used as a value)
                break
            }
            let before = trace.ins.count
            let r = builder.emit(c)
            if Int(r) == before && trace.ins.count == before + 1 && trace.ins[Int(r)].isGuard && orig.snap >= 0 {
                // A new guard: exit through the copy of the original's snapshot.
                let ms = Int(orig.snap) < snapCount ? snapMap[Int(orig.snap)] : -1
                if ms >= 0 { trace.ins[Int(r)].snap = ms } else { ok = false; break }
            }
            subst[i] = r
            if r >= 0 && r < loopStart { candidate(r) }
        }
        if ok {
            copySnapshots(upTo: n)
            // PHIs: parallel assignments at the back-edge.
            for r in candidates.sorted() {
                let s = subst[Int(r)]
                guard s != r else { continue }
                if s == noRef { ok = false; break }
                builder.emitRaw(IRIns(.PHI, trace.type(of: r), a: r, b: s))
            }
        }
        if !ok {
            trace.ins = savedIns
            trace.snapshots = savedSnaps
            trace.consts = savedConsts
            trace.constIndex = savedConstIndex
            trace.loopStart = nil
            builder.cse = savedCSE
            return false
        }
        return true
    }
}
