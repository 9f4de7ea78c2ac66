// Integer narrowing of a root trace's numeric for loop (docs/jit.md, "Narrowing").
//
// A root trace of a numeric for loop starts at the loop body, after FORLOOP (or FORPREP) has put the
// index in slot A and the same double in the visible variable A+3. When the index, the limit (A+1)
// and the step (A+2) are integers in int32 range at recording time, the trace keeps the counter as
// an int instead of a num:
//   - entry: the three slots are loaded as ints (SLOAD int: guard "a number that is an integer in
//     int32 range and not -0", so TONUM of the int is the very double the interpreter holds); a
//     step that is a constant in the bytecode (the KSHORT/KNUM just before FORPREP, with no jump
//     landing on FORPREP) is that constant, any other step is loaded and its sign guarded;
//   - no overflow: the limit is guarded to leave room for one more step and a margin M
//     (step > 0: limit <= INT32_MAX - M - step; step < 0: limit >= INT32_MIN + M - step). Every
//     value the counter takes in the trace lies between its entry value and the limit (the loop
//     test checks it before the back-edge), so the increment never leaves int32;
//   - the increment is ADDI and the loop test an int compare (LE); the PHI around the loop is int;
//   - uses: an array index takes the int as it is (no TOINT), an int compare with an integer
//     constant or another int stays int, i +- k and k - i with an integer constant k are ADDI/SUBI
//     when the proven range of i keeps the result in int32 (M gives room on the limit's side; on
//     the entry's side a guard entry >= INT32_MIN + M (step > 0) or entry <= INT32_MAX - M
//     (step < 0) is added the first time it is needed); everything else converts with TONUM.
//     Snapshots box int refs as doubles, so exits and the trace's end write the exact loop
//     variable.
// A+3 is not loaded: at every entry of the trace (the loop's header, reached only through the
// FORLOOP back-edge or a trace link there) it holds the same double as A, so it starts as the
// counter's int too.
import Bytecode
import CVM
import Runtime

struct NarrowedFor {
    /// The trace slot of the loop's index (A): A+1 limit, A+2 step, A+3 the visible variable.
    let slot: Int32
    /// SLOAD int #A: the counter's value when the iteration starts.
    let counter: IRRef
    /// The step (an int constant or SLOAD int) and its value at recording (its sign is fixed).
    let step: IRRef
    let stepValue: Int32
    /// Room guarded between the counter's range and the int32 limits.
    let margin: Int64
    /// The entry value's bound towards the far limit is guarded (tighten()).
    var entryGuarded = false
}

extension Recorder {
    static let narrowMargin: Int64 = 1 << 16
    static let int32Min = Int64(Int32.min), int32Max = Int64(Int32.max)

    /// Called before the first instruction of a trace: narrows the loop when it qualifies.
    func setupNarrowing() {
        guard engine.params.narrow, trace.parent == nil, !trace.isReturnTrace, frames.isEmpty, retDepth == 0, trace.ins.isEmpty else { return }
        let p = startProto.pointee
        let code = UnsafePointer(p.code.unsafelyUnwrapped)
        let start = startPC - code
        guard start >= 1 && start < Int(p.ncode) else { return }
        let prep = code[start - 1]
        guard Opcode(rawValue: UInt8(truncatingIfNeeded: prep)) == .FORPREP else { return }
        let a = Int((prep >> 8) & 0xff)
        guard let i0 = JITMath.narrowInt(curBase[a]), let stop = JITMath.narrowInt(curBase[a + 1]),
              let st = JITMath.narrowInt(curBase[a + 2]), st != 0 else { return }
        let lo = Recorder.int32Min, hi = Recorder.int32Max
        func fits(_ m: Int64) -> Bool {
            st > 0 ? Int64(stop) <= hi - m - Int64(st) && Int64(i0) >= lo + m
                   : Int64(stop) >= lo + m - Int64(st) && Int64(i0) <= hi - m
        }
        let m: Int64 = fits(Recorder.narrowMargin) ? Recorder.narrowMargin : (fits(0) ? 0 : -1)
        if m < 0 { return }
        let constStep = constantStep(code, count: Int(p.ncode), prep: start - 1, slot: a + 2) == st

        ensureSnapshot()
        let counter = b.emit(IRIns(.SLOAD, .int, c: Int32(a), guarded: true))
        let stopRef = b.emit(IRIns(.SLOAD, .int, c: Int32(a + 1), guarded: true))
        let stepRef: IRRef
        if constStep {
            stepRef = b.int(st)
        } else {
            stepRef = b.emit(IRIns(.SLOAD, .int, c: Int32(a + 2), guarded: true))
            guardIns(st > 0 ? .LT : .NLT, b.int(0), stepRef)
        }
        // The limit leaves room for a step and the margin (no overflow: see the file comment).
        if st > 0 {
            let bound = b.emit(IRIns(.SUBI, .int, a: b.int(Int32(hi - m)), b: stepRef))
            guardIns(.LE, stopRef, bound)
        } else {
            let bound = b.emit(IRIns(.SUBI, .int, a: b.int(Int32(lo + m)), b: stepRef))
            guardIns(.LE, bound, stopRef)
        }
        // |step| >= 1 when it is not a constant (its sign is guarded and 0 fails the guard of a
        // positive step; a negative step's guard lets 0 through, which only widens the bound).
        let stepMag = constStep ? Int64(st).magnitude : 1
        intRanges[counter] = st > 0 ? (lo, hi - m - Int64(stepMag)) : (lo + m + Int64(stepMag), hi)
        for (i, r) in [counter, stopRef, stepRef, counter].enumerated() { slots[index(Int32(a + i))] = r }
        narrowed = NarrowedFor(slot: Int32(a), counter: counter, step: stepRef, stepValue: st, margin: m)
    }

    /// The step of the for loop whose FORPREP is at `prep` when it is a constant: the instruction
    /// before FORPREP loads it (KSHORT, or KNUM of an integer) and no jump lands on FORPREP.
    func constantStep(_ code: UnsafePointer<UInt32>, count: Int, prep: Int, slot: Int) -> Int32? {
        guard prep >= 1 else { return nil }
        let ins = code[prep - 1]
        guard Int((ins >> 8) & 0xff) == slot else { return nil }
        let d = Int(ins >> 16)
        var k: Int32?
        switch Opcode(rawValue: UInt8(truncatingIfNeeded: ins)) {
        case .KSHORT: k = Int32(Int16(truncatingIfNeeded: d))
        case .KNUM:
            let v = UnsafePointer<Value>(OpaquePointer(startProto.pointee.k.unsafelyUnwrapped))[d]
            k = JITMath.narrowInt(v)
        default: return nil
        }
        for pc in 0..<count {
            let w = code[pc]
            guard let op = Opcode(rawValue: UInt8(truncatingIfNeeded: w)), op.info.flags.contains(.branch) else { continue }
            let off = Int(w >> 16) - Limits.jumpBias
            if op == .UCLO && off == 0 { continue }
            if pc + 1 + off == prep { return nil }
        }
        return k
    }

    /// Widens what the narrowed counter allows on its entry side by the margin: guards the entry
    /// value (step > 0: >= INT32_MIN + M; step < 0: <= INT32_MAX - M). Every later value of the
    /// counter lies between the entry value and the limit.
    func tightenCounter() {
        guard var n = narrowed, !n.entryGuarded, n.margin > 0, let r = intRanges[n.counter] else { return }
        let lo = Recorder.int32Min, hi = Recorder.int32Max
        if n.stepValue > 0 {
            guardIns(.LE, b.int(Int32(lo + n.margin)), n.counter)
            intRanges[n.counter] = (lo + n.margin, r.hi)
        } else {
            guardIns(.LE, n.counter, b.int(Int32(hi - n.margin)))
            intRanges[n.counter] = (r.lo, hi - n.margin)
        }
        n.entryGuarded = true
        narrowed = n
    }

    /// An integer constant (not -0) as an int32, for narrowed arithmetic and compares.
    func intConstant(_ r: IRRef) -> Int32? {
        guard isConst(r) else { return nil }
        let k = trace.const(of: r)
        if k.type == .int { return k.intValue }
        guard k.type == .num, k.bits != (-0.0 as Double).bitPattern else { return nil }
        return JITMath.exactInt(k.number)
    }

    /// ADD/SUB (which 0/1) of a narrowed int and an integer constant as ADDI/SUBI, when the int's
    /// proven range keeps the result inside int32 (then the double result is the same integer).
    /// Returns false when it does not apply (the caller records the num operation).
    func narrowArith(_ which: UInt8, _ dst: Int, _ x: IRRef, _ y: IRRef) -> Bool {
        guard which == 0 || which == 1, narrowed != nil else { return false }
        let xInt = trace.type(of: x) == .int, yInt = trace.type(of: y) == .int
        let v: IRRef, k: Int32, constFirst: Bool
        if xInt && !yInt, let ky = intConstant(y) { v = x; k = ky; constFirst = false }
        else if yInt && !xInt, let kx = intConstant(x) { v = y; k = kx; constFirst = true }
        else { return false }
        func range() -> (lo: Int64, hi: Int64)? {
            guard let r = intRanges[v] else { return nil }
            let kk = Int64(k)
            if which == 0 { return (r.lo + kk, r.hi + kk) }
            return constFirst ? (kk - r.hi, kk - r.lo) : (r.lo - kk, r.hi - kk)
        }
        func fits(_ r: (lo: Int64, hi: Int64)?) -> Bool { r.map { $0.lo >= Recorder.int32Min && $0.hi <= Recorder.int32Max } ?? false }
        var res = range()
        if !fits(res), v == narrowed?.counter {
            tightenCounter()
            res = range()
        }
        guard let rr = res, fits(rr) else { return false }
        let out: IRRef
        if which == 0 {
            out = b.emit(IRIns(.ADDI, .int, a: v, b: b.int(k)))
        } else {
            out = constFirst ? b.emit(IRIns(.SUBI, .int, a: b.int(k), b: v)) : b.emit(IRIns(.SUBI, .int, a: v, b: b.int(k)))
        }
        if !isConst(out) { intRanges[out] = rr }
        set(dst, out)
        return true
    }

    /// A comparison (LT/LE family) with a narrowed int on one side and an int or an integer
    /// constant on the other, as an int compare (the doubles are exactly these integers).
    func narrowCompare(isLT: Bool, holds r: Bool, _ x: IRRef, _ y: IRRef) -> Bool {
        let tx = trace.type(of: x), ty = trace.type(of: y)
        guard tx == .int || ty == .int else { return false }
        func asInt(_ q: IRRef, _ t: IRType) -> IRRef? {
            if t == .int { return q }
            return intConstant(q).map { b.int($0) }
        }
        guard let xi = asInt(x, tx), let yi = asInt(y, ty) else { return false }
        guardIns(isLT ? (r ? .LT : .NLT) : (r ? .LE : .NLE), xi, yi)
        return true
    }

    /// FORLOOP of the narrowed loop: ADDI and an int loop test. Returns false for any other FORLOOP.
    func narrowForLoop(_ a: Int, jump d: Int, cont: Bool) throws -> Bool {
        guard let n = narrowed, frames.isEmpty, baseSlot == 0, Int32(a) == n.slot, isOwnLoop(jump: d) else { return false }
        let i0 = try getRaw(a), lim = try getRaw(a + 1)
        guard trace.type(of: i0) == .int, trace.type(of: lim) == .int else { return false }
        let ni = b.emit(IRIns(.ADDI, .int, a: i0, b: n.step))
        if n.stepValue > 0 { guardIns(cont ? .LE : .NLE, ni, lim) } else { guardIns(cont ? .LE : .NLE, lim, ni) }
        if cont {
            set(a, ni)
            set(a + 3, ni)
        }
        return true
    }
}
