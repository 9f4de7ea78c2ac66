// IRVerifier: checks that a trace is well-formed IR. Run after every pass in debug builds and in
// tests (docs/jit.md, "The IR" and "Optimization passes"). It reports problems as text instead of
// trapping, so a test can assert that a malformed trace is caught and a debug build can dump the
// trace next to the complaint.
//
// Checked:
//   - operands: `ref` operands name an earlier instruction or an existing constant, never a NOP;
//     `none` operands are noRef; literals are in range (slot >= -1, IRField, IRMathFn, sizes >= 0);
//   - types: each op's operand and result types as the IR table says (num arithmetic on num, int
//     ops on int, conversions, loads of value types, FLOAD's type is its field's, guards void...);
//   - guards: only ops that can check something carry the guard flag, comparison ops always do,
//     and a guard's snapshot exists and was taken at or before the guard;
//   - snapshots: in order of position, positions within the trace, entries sorted by slot with
//     distinct slots, entry refs constants or instructions before the snapshot, of a boxable type;
//     frames name constant closures of type fn;
//   - structure: at most one LOOP, trace.loopStart names it; PHIs only after LOOP, their left side
//     an instruction before LOOP, types equal, each left side at most once, nothing but PHIs (and
//     NOPs) after the first PHI.
public enum IRVerifier {
    public static func verify(_ trace: Trace) -> [String] {
        var problems: [String] = []
        let n = trace.ins.count
        func fail(_ i: Int, _ msg: String) {
            let num = String(i)
            problems.append(String(repeating: "0", count: max(0, 4 - num.count)) + num + " " + msg)
        }
        func validRef(_ r: IRRef, before limit: Int) -> Bool {
            if r == noRef { return false }
            if r < 0 { return Int(~r) < trace.consts.count }
            return Int(r) < limit
        }
        func ty(_ r: IRRef) -> IRType { trace.type(of: r) }

        var loopAt: Int?
        var firstPHI: Int?
        var phiLefts = Set<IRRef>()
        for i in 0..<n {
            let ins = trace.ins[i]
            let op = ins.op
            let info = op.info
            // Operands.
            var operandsOK = true
            for (mode, r, name) in [(info.a, ins.a, "a"), (info.b, ins.b, "b"), (info.c, ins.c, "c")] {
                switch mode {
                case .ref:
                    // A call without arguments has none; an argument list is a CARG chain (no value).
                    if op == .CALLN && name == "b" && r == noRef && ins.c == 0 { continue }
                    let argList = (op == .CALLN && name == "b") || (op == .CARG && name == "a")
                    if !validRef(r, before: i) {
                        fail(i, "\(op.name): operand \(name) \(r == noRef ? "missing" : "\(r)") is not an earlier ref or constant")
                        operandsOK = false
                    } else if r >= 0 && trace.ins[Int(r)].op == .NOP {
                        fail(i, "\(op.name): operand \(name) uses NOP \(r)")
                    } else if r >= 0 && trace.ins[Int(r)].type == .void && !(argList && trace.ins[Int(r)].op == .CARG) {
                        fail(i, "\(op.name): operand \(name) uses \(r), which has no value")
                    }
                case .none:
                    if r != noRef { fail(i, "\(op.name): operand \(name) must be unused"); operandsOK = false }
                case .lit:
                    break
                }
            }
            // Guards and snapshots.
            if ins.isGuard {
                if !canGuard(op) { fail(i, "\(op.name) cannot be a guard") }
                if ins.snap < 0 || Int(ins.snap) >= trace.snapshots.count {
                    fail(i, "\(op.name): guard has no valid snapshot (\(ins.snap))")
                } else if Int(trace.snapshots[Int(ins.snap)].ref) > i {
                    fail(i, "\(op.name): guard exits through snapshot \(ins.snap) taken after it")
                }
            } else if info.flags.contains(.alwaysGuard) {
                fail(i, "\(op.name) must carry the guard flag")
            }
            // Structure.
            if let f = firstPHI, op != .PHI && op != .NOP { fail(i, "\(op.name) after the PHIs (first at \(f))") }
            if op == .LOOP {
                if let l = loopAt { fail(i, "second LOOP (first at \(l))") } else { loopAt = i }
                if trace.loopStart != i { fail(i, "LOOP but trace.loopStart is \(trace.loopStart.map(String.init) ?? "nil")") }
            }
            if op == .PHI {
                if firstPHI == nil { firstPHI = i }
                if let l = loopAt {
                    if ins.a < 0 || Int(ins.a) >= l { fail(i, "PHI left side \(ins.a) is not an instruction before LOOP") }
                } else {
                    fail(i, "PHI before LOOP")
                }
                if !phiLefts.insert(ins.a).inserted { fail(i, "second PHI for \(ins.a)") }
            }
            if operandsOK { checkTypes(trace, i, ins, fail) }
        }
        if let s = trace.loopStart, loopAt == nil { problems.append("trace.loopStart is \(s) but there is no LOOP") }

        // Snapshots.
        var lastPos: Int32 = 0
        for (k, s) in trace.snapshots.enumerated() {
            let tag = "snapshot \(k)"
            if s.ref < 0 || Int(s.ref) > n { problems.append("\(tag): position \(s.ref) outside the trace") }
            if s.ref < lastPos { problems.append("\(tag): position \(s.ref) before the previous snapshot's \(lastPos)") }
            lastPos = max(lastPos, s.ref)
            var prevSlot = Int32.min
            for e in s.entries {
                if e.slot <= prevSlot { problems.append("\(tag): slot \(e.slot) out of order or repeated") }
                prevSlot = e.slot
                if e.slot < -1 { problems.append("\(tag): slot \(e.slot) below the base frame's function") }
                if !validRef(e.ref, before: Int(s.ref)) {
                    problems.append("\(tag): slot \(e.slot) refers to \(e.ref), not a constant or an instruction before \(s.ref)")
                    continue
                }
                if e.ref >= 0 && trace.ins[Int(e.ref)].op == .NOP { problems.append("\(tag): slot \(e.slot) refers to NOP \(e.ref)") }
                let t = ty(e.ref)
                if !(t.isValue || t == .int) { problems.append("\(tag): slot \(e.slot) refers to \(e.ref) of type \(t.name)") }
            }
            for f in s.frames {
                if !validRef(f.closure, before: Int(s.ref)) || ty(f.closure) != .fn {
                    problems.append("\(tag): frame closure \(f.closure) is not a function defined before the snapshot")
                }
            }
        }
        return problems
    }

    /// Ops that may carry the guard flag (docs/jit.md: comparisons, type-checking loads, ABC,
    /// STRBYTE/STRCHAR ranges, TOINT exactness, TSET's key, GCSTEP, UVOUT, UVAT, VARGN).
    static func canGuard(_ op: IROp) -> Bool {
        switch op {
        case .LT, .NLT, .LE, .NLE, .EQ, .NE, .ABC, .GCSTEP, .UVOUT, .UVAT, .VARGN, .CALLN, .CALLRES, .RETF,
             .SLOAD, .ALOAD, .HLOAD, .TGET, .UGET, .STRBYTE, .STRCHAR, .TOINT, .TSET:
            return true
        default:
            return false
        }
    }

    private static func checkTypes(_ trace: Trace, _ i: Int, _ ins: IRIns, _ fail: (Int, String) -> Void) {
        let op = ins.op
        func ty(_ r: IRRef) -> IRType { trace.type(of: r) }
        func want(_ name: String, _ r: IRRef, _ ok: (IRType) -> Bool, _ what: String) {
            if !ok(ty(r)) { fail(i, "\(op.name): operand \(name) is \(ty(r).name), needs \(what)") }
        }
        func result(_ t: IRType) {
            if ins.type != t { fail(i, "\(op.name): result type \(ins.type.name), needs \(t.name)") }
        }
        func resultValue() {
            if !ins.type.isValue { fail(i, "\(op.name): result type \(ins.type.name) is not a Lua value type") }
        }
        let isNum: (IRType) -> Bool = { $0 == .num }
        let isInt: (IRType) -> Bool = { $0 == .int }
        let isValue: (IRType) -> Bool = { $0.isValue }
        switch op {
        case .LT, .NLT, .LE, .NLE:
            // Numbers, or (narrowed loop counters) ints compared as signed int32.
            if ty(ins.a) == .int {
                want("b", ins.b, isInt, "int")
            } else {
                want("a", ins.a, isNum, "num"); want("b", ins.b, isNum, "num")
            }
            result(.void)
        case .EQ, .NE:
            if ty(ins.a) != ty(ins.b) { fail(i, "\(op.name): operand types differ (\(ty(ins.a).name), \(ty(ins.b).name))") }
            if ty(ins.a) == .void { fail(i, "\(op.name): operands have no value") }
            result(.void)
        case .ABC:
            want("a", ins.a, isInt, "int"); want("b", ins.b, isInt, "int"); result(.void)
        case .SLOAD:
            // Below the function slot: the base frame's varargs (at most 200, Recorder.baseVararg).
            if ins.c < -202 { fail(i, "SLOAD: slot \(ins.c) below the base frame's varargs") }
            // Type int: a number slot narrowed to int32 (guarded: integral, in range, not -0).
            if ins.type == .int {
                if !ins.isGuard { fail(i, "SLOAD: an int load must be a guard") }
            } else {
                resultValue()
            }
        case .FLOAD:
            guard let f = IRField(rawValue: ins.b) else { fail(i, "FLOAD: no field \(ins.b)"); return }
            let objType: IRType
            switch f {
            case .tabArray, .tabAsize, .tabHmask, .tabMeta, .tabNomm: objType = .tab
            case .fnEnv, .fnProto: objType = .fn
            case .strLen: objType = .str
            case .udataMeta: objType = .udata
            }
            want("a", ins.a, { $0 == objType }, objType.name)
            result(f.type)
        case .AREF:
            want("a", ins.a, { $0 == .ptr }, "ptr"); want("b", ins.b, isInt, "int"); result(.ptr)
        case .ALOAD:
            want("a", ins.a, { $0 == .ptr }, "ptr (an AREF)"); resultValue()
        case .HLOAD:
            want("a", ins.a, { $0 == .tab }, "tab")
            if !isConst(ins.b) { fail(i, "HLOAD: key must be a constant") }
            want("b", ins.b, isValue, "a value type")
            resultValue()
        case .TGET:
            want("a", ins.a, { $0 == .tab }, "tab"); want("b", ins.b, isValue, "a value type"); resultValue()
        case .UGET:
            want("a", ins.a, { $0 == .fn }, "fn")
            if ins.c < 0 { fail(i, "UGET: upvalue index \(ins.c)") }
            resultValue()
        case .STRBYTE:
            want("a", ins.a, { $0 == .str }, "str"); want("b", ins.b, isInt, "int"); result(.int)
        case .ASTORE:
            want("a", ins.a, { $0 == .ptr }, "ptr (an AREF)"); want("b", ins.b, isValue, "a value type"); result(.void)
        case .HSTORE:
            want("a", ins.a, { $0 == .tab }, "tab"); want("b", ins.b, isValue, "a value type")
            if !isConst(ins.c) { fail(i, "HSTORE: key must be a constant") }
            want("c", ins.c, isValue, "a value type")
            result(.void)
        case .TSET:
            want("a", ins.a, { $0 == .tab }, "tab"); want("b", ins.b, isValue, "a value type")
            want("c", ins.c, isValue, "a value type"); result(.void)
        case .USET:
            want("a", ins.a, { $0 == .fn }, "fn"); want("b", ins.b, isValue, "a value type")
            if ins.c < 0 { fail(i, "USET: upvalue index \(ins.c)") }
            result(.void)
        case .ADD, .SUB, .MUL, .DIV, .MOD, .POW, .MIN, .MAX, .ATAN2, .FMOD:
            want("a", ins.a, isNum, "num"); want("b", ins.b, isNum, "num"); result(.num)
        case .NEG:
            want("a", ins.a, isNum, "num"); result(.num)
        case .FPMATH:
            want("a", ins.a, isNum, "num")
            if IRMathFn(rawValue: ins.b) == nil { fail(i, "FPMATH: no math function \(ins.b)") }
            result(.num)
        case .ADDI, .SUBI, .BAND, .BOR, .BXOR, .BSHL, .BSHR, .BSAR, .BROL, .BROR:
            want("a", ins.a, isInt, "int"); want("b", ins.b, isInt, "int"); result(.int)
        case .BNOT, .BSWAP:
            want("a", ins.a, isInt, "int"); result(.int)
        case .TOBIT, .TOINT:
            want("a", ins.a, isNum, "num"); result(.int)
        case .TONUM:
            want("a", ins.a, isInt, "int"); result(.num)
        case .CAT:
            let sn: (IRType) -> Bool = { $0 == .str || $0 == .num }
            want("a", ins.a, sn, "str or num"); want("b", ins.b, sn, "str or num"); result(.str)
        case .STRSUB:
            want("a", ins.a, { $0 == .str }, "str"); want("b", ins.b, isInt, "int"); want("c", ins.c, isInt, "int")
            result(.str)
        case .STRCHAR:
            want("a", ins.a, isInt, "int"); result(.str)
        case .TOSTR:
            want("a", ins.a, isNum, "num"); result(.str)
        case .STRCMP:
            want("a", ins.a, { $0 == .str }, "str"); want("b", ins.b, { $0 == .str }, "str"); result(.num)
        case .TNEW:
            if ins.b < 0 || ins.c < 0 { fail(i, "TNEW: negative size hint") }
            result(.tab)
        case .LEN:
            want("a", ins.a, { $0 == .tab }, "tab"); result(.int)
        case .CARG:
            want("b", ins.b, { $0 != .void }, "a value"); result(.void)
        case .CALLN:
            if !isConst(ins.a) { fail(i, "CALLN: the function must be a constant") }
            if ins.c < 0 { fail(i, "CALLN: argument count \(ins.c)") }
            if ins.c > 0 && ins.b == noRef { fail(i, "CALLN: \(ins.c) arguments but no argument list") }
            if ins.type != .void && !ins.type.isValue { fail(i, "CALLN: result type \(ins.type.name)") }
        case .CALLRES:
            if isConst(ins.a) || trace.ins[Int(ins.a)].op != .CALLN { fail(i, "CALLRES: operand a is not a CALLN") }
            if ins.c == -1 { result(.int) } else if ins.c < 1 { fail(i, "CALLRES: result index \(ins.c)") } else { resultValue() }
        case .RETF:
            if !isConst(ins.a) || ty(ins.a) != .fn { fail(i, "RETF: the caller must be a function constant") }
            if ins.b < 0 || ins.c < 1 { fail(i, "RETF: resume pc \(ins.b), base shift \(ins.c)") }
            result(.void)
        case .LOOP, .GCSTEP:
            result(.void)
        case .UVOUT:
            want("a", ins.a, { $0 == .fn }, "fn")
            if ins.c < 0 { fail(i, "UVOUT: upvalue index \(ins.c)") }
            result(.void)
        case .VARGN:
            if ins.b < 0 { fail(i, "VARGN: count \(ins.b)") }
            result(.void)
        case .FNEW:
            want("a", ins.a, { $0 == .fn }, "fn")
            if ins.b < 0 { fail(i, "FNEW: prototype index \(ins.b)") }
            if ins.c < 0 || Int(ins.c) >= traceSlotWindow - 1 { fail(i, "FNEW: frame base \(ins.c) outside the trace's window") }
            result(.fn)
        case .UCLO:
            if ins.c < 0 || Int(ins.c) >= traceSlotWindow - 1 { fail(i, "UCLO: slot \(ins.c) outside the trace's window") }
            result(.void)
        case .SSTORE:
            want("a", ins.a, isValue, "a value type")
            if ins.c < 0 || Int(ins.c) >= traceSlotWindow - 1 { fail(i, "SSTORE: slot \(ins.c) outside the trace's window") }
            result(.void)
        case .UVAT:
            want("a", ins.a, { $0 == .fn }, "fn")
            if ins.c < 0 { fail(i, "UVAT: upvalue index \(ins.c)") }
            if ins.b < -1 || Int(ins.b) >= traceSlotWindow - 1 { fail(i, "UVAT: slot \(ins.b) outside the trace's window") }
            result(.void)
        case .PHI:
            if ty(ins.a) != ins.type || ty(ins.b) != ins.type {
                fail(i, "PHI: types differ (\(ins.type.name) = \(ty(ins.a).name), \(ty(ins.b).name))")
            }
        case .NOP:
            break
        }
    }
}
