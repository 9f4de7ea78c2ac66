// DCE: dead-code elimination, run once after recording (and after loop optimization).
//
// What it does. An instruction is kept when it is not removable (guards, stores, allocations with
// effects, LOOP, GCSTEP, ... see IRIns.isRemovable) or when a kept instruction, a snapshot entry or
// a live PHI uses it. Everything else becomes NOP in place: references stay stable, so snapshots,
// guards' snapshot numbers and dumps need no renumbering. Backends skip NOPs.
//
// Roots: every non-removable instruction except PHI, and the entries of every snapshot (an exit
// writes them back; the last snapshot is also what a looping or linked trace writes). Frames hold
// only constants. A PHI(a, b) is live when its left side a is live for another reason than the PHI
// itself; then b is live too. Liveness of PHIs is found by iterating to a fixed point, so a
// value that is only carried around the loop by its own PHI (a counter nobody reads, not even an
// exit) is removed together with its PHI.
//
// One backward walk marks the operands of every kept instruction (operands always precede their
// user, so one pass suffices for everything but PHIs, which sit at the end and read earlier refs).
public enum DCE {
    /// Replaces dead instructions by NOP. Returns the number of instructions removed.
    @discardableResult
    public static func run(_ trace: Trace) -> Int {
        let n = trace.ins.count
        guard n > 0 else { return 0 }
        var live = [Bool](repeating: false, count: n)
        func mark(_ r: IRRef) { if r >= 0 && Int(r) < n { live[Int(r)] = true } }
        for s in trace.snapshots {
            for e in s.entries { mark(e.ref) }
            for f in s.frames { mark(f.closure) }
        }
        var phiLive = [Bool](repeating: false, count: n)
        while true {
            // Backward walk: a kept instruction makes its ref operands live.
            var i = n - 1
            while i >= 0 {
                let ins = trace.ins[i]
                let info = ins.op.info
                let keep: Bool
                if ins.op == .PHI { keep = phiLive[i] } else { keep = live[i] || !ins.isRemovable }
                if keep && ins.op != .NOP {
                    live[i] = true
                    if info.a == .ref { mark(ins.a) }
                    if info.b == .ref { mark(ins.b) }
                    if info.c == .ref { mark(ins.c) }
                }
                i -= 1
            }
            // PHIs whose left side became live are live (their right side is then marked next walk).
            var changed = false
            for j in 0..<n where trace.ins[j].op == .PHI && !phiLive[j] {
                let l = trace.ins[j].a
                if l >= 0 && Int(l) < n && live[Int(l)] { phiLive[j] = true; changed = true }
            }
            if !changed { break }
        }
        var removed = 0
        for i in 0..<n where !live[i] && trace.ins[i].op != .NOP {
            let ins = trace.ins[i]
            if ins.op == .PHI || ins.isRemovable {
                trace.ins[i] = IRIns(.NOP, .void)
                removed += 1
            }
        }
        return removed
    }
}
