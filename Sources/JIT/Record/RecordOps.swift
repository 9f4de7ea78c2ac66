// The recorder's instruction cases: one per opcode family (see Recorder.swift for the model).
import Bytecode
import CVM
import Runtime

extension Recorder {
    /// Records one instruction. Returns a status when the trace ends here.
    func recordInstruction(_ ins: UInt32, closure: LFuncRef) throws -> RecordStatus? {
        let op = Opcode(rawValue: UInt8(truncatingIfNeeded: ins)) ?? .EXTRAARG
        let a = Int((ins >> 8) & 0xff)
        let bb = Int(ins >> 24)
        let c = Int((ins >> 16) & 0xff)
        let d = Int(ins >> 16)
        switch op {
        case .ISLT, .ISNLT, .ISLE, .ISNLE:
            let xr = try getRaw(a), yr = try getRaw(d)
            let isLT = op == .ISLT || op == .ISNLT
            if trace.type(of: xr) == .int || trace.type(of: yr) == .int {
                let xv = value(a).number, yv = value(d).number
                if narrowCompare(isLT: isLT, holds: isLT ? xv < yv : xv <= yv, xr, yr) { return nil }
            }
            let x = toNum(xr), y = toNum(yr)
            if trace.type(of: x) == .tab && trace.type(of: y) == .tab {
                try compareMetamethod(isLT: isLT, x, y, value(a), value(d))
                return nil
            }
            if trace.type(of: x) == .str && trace.type(of: y) == .str {
                // Lua's string order as a number (-1, 0, 1) compared with 0.
                let order = LuaVM.compareStringBytes(value(a).string, value(d).string)
                let cmp = b.emit(IRIns(.STRCMP, .num, a: x, b: y))
                let r = isLT ? order < 0 : order <= 0
                guardIns(isLT ? (r ? .LT : .NLT) : (r ? .LE : .NLE), cmp, b.num(0))
                return nil
            }
            guard trace.type(of: x) == .num && trace.type(of: y) == .num else {
                throw RecordAbort("NYI: comparison of \(trace.type(of: x).name) with \(trace.type(of: y).name)")
            }
            let xv = value(a).number, yv = value(d).number
            let r = isLT ? xv < yv : xv <= yv
            guardIns(isLT ? (r ? .LT : .NLT) : (r ? .LE : .NLE), x, y)
        case .ISEQV, .ISNEV:
            let x = try get(a), y = try get(d)
            try recordEquality(x, y, value(a), value(d))
        case .ISEQS, .ISNES, .ISEQN, .ISNEN:
            let xr = try getRaw(a)
            let kv = k(d)
            if trace.type(of: xr) == .int, kv.isNumber, let ki = JITMath.exactInt(kv.number) {
                // A narrowed int against an integer constant (-0 equals 0 here too).
                guardIns(value(a).number == kv.number ? .EQ : .NE, xr, b.int(ki))
                return nil
            }
            let x = toNum(xr)
            let y = const(kv)
            if trace.type(of: x) == trace.type(of: y) {
                let eq = op == .ISEQN || op == .ISNEN ? value(a).number == kv.number : value(a).bits == kv.bits
                guardIns(eq ? .EQ : .NE, x, y)
            }
        case .ISEQP, .ISNEP, .IST, .ISF:
            // The slot's type is guarded already; the result follows from it.
            _ = try get(op == .IST || op == .ISF ? d : a)
        case .ISTC, .ISFC:
            let x = try get(d)
            let truthy = !trace.type(of: x).isFalsy
            if truthy == (op == .ISTC) { set(a, x) }

        case .MOV:
            set(a, try getRaw(d))
        case .NOT:
            let x = try get(d)
            set(a, b.singleton(trace.type(of: x).isFalsy ? .true : .false))
        case .UNM:
            let x = try get(d)
            if trace.type(of: x) == .tab {
                try arithMetamethod(.unm, a, x, x, value(d), value(d))
                return nil
            }
            guard trace.type(of: x) == .num else { throw RecordAbort("NYI: unary minus on \(trace.type(of: x).name)") }
            set(a, b.emit(IRIns(.NEG, .num, a: x)))
        case .LEN:
            let x = try get(d)
            switch trace.type(of: x) {
            case .str:
                let n = b.emit(IRIns(.FLOAD, .int, a: x, b: IRField.strLen.rawValue))
                set(a, b.emit(IRIns(.TONUM, .num, a: n)))
            case .tab:
                let n = b.emit(IRIns(.LEN, .int, a: x))
                set(a, b.emit(IRIns(.TONUM, .num, a: n)))
            default:
                throw RecordAbort("NYI: length of \(trace.type(of: x).name)")
            }

        case .ADDVN, .SUBVN, .MULVN, .DIVVN, .MODVN, .POWVN:
            let x = try getRaw(bb), which = op.rawValue - Opcode.ADDVN.rawValue
            if narrowArith(which, a, x, const(k(c))) { return nil }
            try arith(which, a, toNum(x), const(k(c)), value(bb), k(c))
        case .ADDNV, .SUBNV, .MULNV, .DIVNV, .MODNV, .POWNV:
            let x = try getRaw(bb), which = op.rawValue - Opcode.ADDNV.rawValue
            if narrowArith(which, a, const(k(c)), x) { return nil }
            try arith(which, a, const(k(c)), toNum(x), k(c), value(bb))
        case .ADDVV, .SUBVV, .MULVV, .DIVVV, .MODVV, .POWVV:
            let x = try getRaw(bb), y = try getRaw(c), which = op.rawValue - Opcode.ADDVV.rawValue
            if narrowArith(which, a, x, y) { return nil }
            try arith(which, a, toNum(x), toNum(y), value(bb), value(c))
        case .CAT:
            var acc = try get(c)
            try checkConcatOperand(acc)
            var r = c - 1
            while r >= bb {
                let x = try get(r)
                try checkConcatOperand(x)
                acc = b.emit(IRIns(.CAT, .str, a: x, b: acc))
                r -= 1
            }
            allocates = true
            set(a, acc)

        case .KSTR, .KNUM:
            set(a, const(k(d)))
        case .KSHORT:
            set(a, b.num(Double(Int16(truncatingIfNeeded: d))))
        case .KPRI:
            set(a, b.singleton(d == 0 ? .nil : (d == 1 ? .false : .true)))
        case .KNIL:
            var r = a
            while r <= d { set(r, b.singleton(.nil)); r += 1 }

        case .UGET:
            let f = try currentClosure()
            let uv = closure.upvalues[d].unsafelyUnwrapped
            guardUpvalue(f, d, uv)
            let v = Value(bits: uv.pointee.v.pointee)
            if let s = openUpvalueSlot(uv) {
                // A local of one of the trace's frames: the load reads its stack slot, which holds
                // the local's value only while the trace has not changed it (checked again at close).
                if modified[index(s)] && !memSlots.contains(s) { throw RecordAbort("NYI: upvalue of a local the trace changed") }
                upvalueSlots.insert(s)
            }
            set(a, typedLoad(IRIns(.UGET, IRType.of(v), a: f, c: IRRef(d))))
        case .USET:
            let f = try currentClosure()
            let x = try get(d)
            try checkMetamethodStore(nil)
            let uv = closure.upvalues[a].unsafelyUnwrapped
            guardUpvalue(f, a, uv)
            if let s = openUpvalueSlot(uv) {
                // The store writes the local's stack slot: later reads must load it again, and the
                // trace must never hold its own value for that slot.
                if modified[index(s)] && !memSlots.contains(s) { throw RecordAbort("NYI: upvalue of a local the trace changed") }
                slots[index(s)] = noRef
                upvalueSlots.insert(s)
            }
            b.emit(IRIns(.USET, .void, a: f, b: x, c: IRRef(a)))
        case .UCLO:
            if let u = thread.pointee.openupval,
               UInt(bitPattern: u.pointee.v) >= UInt(bitPattern: UnsafeMutableRawPointer(curBase + a)) {
                try closeUpvalues(from: baseSlot + Int32(a))
            } else if memSlots.contains(where: { $0 >= baseSlot + Int32(a) }) {
                try closeUpvalues(from: baseSlot + Int32(a))
            }
        case .FNEW:
            if inMetamethod { throw RecordAbort("NYI: closure creation inside a metamethod") }
            let parent = try currentClosure()
            guard let child = curProto.pointee.child[d] else { throw RecordAbort("NYI: closure of a missing prototype") }
            // Captured locals of this frame become open upvalues on their stack slots: the slots
            // must hold their current values, and stay current while the upvalues are open.
            for i in 0..<Int(child.pointee.nuv) {
                let desc = child.pointee.uvdesc[i]
                if desc & 0x8000 == 0 { continue }
                let s = baseSlot + Int32(desc & 0x7fff)
                if s < 0 || Int(s) + 1 >= traceSlotWindow { throw RecordAbort("NYI: captured slot outside the trace's window") }
                if !memSlots.contains(s) {
                    try flushCapturedSlot(s)
                    memSlots.insert(s)
                }
            }
            allocates = true
            set(a, b.emit(IRIns(.FNEW, .fn, a: parent, b: IRRef(d), c: baseSlot)))

        case .TNEW:
            allocates = true
            set(a, b.emit(IRIns(.TNEW, .tab, b: IRRef(bb), c: IRRef(c))))
        case .GGET:
            let env = b.emit(IRIns(.FLOAD, .tab, a: try currentClosure(), b: IRField.fnEnv.rawValue))
            let envT = closure.pointee.env.unsafelyUnwrapped
            set(a, try tableGet(env, envT, keyRef: const(k(d)), key: k(d), depth: 0))
        case .GSET:
            let env = b.emit(IRIns(.FLOAD, .tab, a: try currentClosure(), b: IRField.fnEnv.rawValue))
            let envT = closure.pointee.env.unsafelyUnwrapped
            try checkMetamethodStore(env)
            try tableSet(env, envT, keyRef: const(k(d)), key: k(d), val: try get(a))
        case .TGETV, .TGETS, .TGETB:
            let t = try get(bb)
            let (keyRef, key) = try keyOperand(op, c)
            let tv = value(bb)
            if trace.type(of: t) == .str && op == .TGETS {
                set(a, try stringMethod(key))
                return nil
            }
            guard trace.type(of: t) == .tab else { throw RecordAbort("NYI: indexing a \(trace.type(of: t).name)") }
            set(a, try tableGet(t, tv.table, keyRef: keyRef, key: key, depth: 0))
        case .TSETV, .TSETS, .TSETB:
            let t = try get(bb)
            let (keyRef, key) = try keyOperand(op, c)
            guard trace.type(of: t) == .tab else { throw RecordAbort("NYI: assigning into a \(trace.type(of: t).name)") }
            try checkMetamethodStore(t)
            try tableSet(t, value(bb).table, keyRef: keyRef, key: key, val: try get(a))
        case .SETLIST:
            var count = bb - 1
            if bb == 0 {
                guard let m = multTop else { throw RecordAbort("NYI: SETLIST with multiple results") }
                count = Int(m - baseSlot) - a - 1
            }
            if multTop != nil { ensureSnapshot() }   // its guards must resume it with its multiple results
            multTop = nil
            if c == 0 { throw RecordAbort("NYI: SETLIST with a batch past 255") }
            let t = try get(a)
            guard trace.type(of: t) == .tab else { throw RecordAbort("NYI: SETLIST on a non-table") }
            try checkMetamethodStore(t)
            let start = (c - 1) * Limits.fieldsPerFlush + 1
            if count > 0 && start + count - 1 <= Int(value(a).table.pointee.asize) {
                // The constructor sized the array part for these values (TNEW's hint): raw stores
                // into it, behind one bounds check for the last index (SETLIST ignores metatables).
                let asize = b.emit(IRIns(.FLOAD, .int, a: t, b: IRField.tabAsize.rawValue))
                guardIns(.ABC, b.int(Int32(start + count - 2)), asize)
                let arr = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabArray.rawValue))
                for i in 0..<count {
                    let v = try get(a + 1 + i)
                    let ref = b.emit(IRIns(.AREF, .ptr, a: arr, b: b.int(Int32(start + i - 1))))
                    b.emit(IRIns(.ASTORE, .void, a: ref, b: v))
                }
                return nil
            }
            for i in 0..<max(count, 0) {
                let v = try get(a + 1 + i)
                b.emit(IRIns(.TSET, .void, a: t, b: b.num(Double(start + i)), c: v))
            }
            allocates = true

        case .CALL:
            var nargs = bb - 1
            if bb == 0 {
                guard let m = multTop else { throw RecordAbort("NYI: call with multiple-result arguments") }
                nargs = Int(m - baseSlot) - a - 1
            }
            if multTop != nil { ensureSnapshot() }   // its guards must resume it with its multiple results
            multTop = nil
            try recordCall(a, nargs: nargs, wanted: c - 1)
        case .ITERC:
            if c == 0 { throw RecordAbort("NYI: iterator keeping all results") }
            set(a, try get(a - 3)); set(a + 1, try get(a - 2)); set(a + 2, try get(a - 1))
            pendingValues = [a: value(a - 3), a + 1: value(a - 2), a + 2: value(a - 1)]
            defer { pendingValues = nil }
            try recordCall(a, nargs: 2, wanted: c - 1)
        case .TAILCALL:
            let sideLike = trace.parent != nil || trace.isReturnTrace
            if frames.isEmpty && (!sideLike || (bb == 0 && multTop == nil)) {
                if sideLike { return stopToInterpreter() }
                if trace.isFunctionTrace && retDepth == 0 {
                    // The interpreter makes the tail call (the callee's entry may have a trace).
                    if multTop != nil { ensureSnapshot() }
                    trace.linkNote = "tail call"
                    return stopToInterpreter()
                }
                throw RecordAbort("NYI: tail call from the loop's function")
            }
            var nargs = bb - 1
            if bb == 0 {
                guard let m = multTop else { throw RecordAbort("NYI: tail call with multiple-result arguments") }
                nargs = Int(m - baseSlot) - a - 1
            }
            if multTop != nil { ensureSnapshot() }   // its guards must resume it with its multiple results
            let argsTop = multTop
            multTop = nil
            guard let cur = frames.last else {
                if try tailCallFromBase(a, nargs: nargs) { return nil }
                // The interpreter makes the tail call: with B=0 it needs the arguments' top.
                multTop = argsTop
                return stopToInterpreter()
            }
            if let u = thread.pointee.openupval,
               UInt(bitPattern: u.pointee.v) >= UInt(bitPattern: UnsafeMutableRawPointer(curBase)) {
                throw RecordAbort("NYI: tail call closing upvalues")
            }
            let fref = try get(a)
            let fv = value(a)
            if fv.isNativeFunction {
                if !isConst(fref) { guardIns(.EQ, fref, const(fv)) }
                try nativeTailCall(a, fv.nativeFunction, nargs: nargs)
                return nil
            }
            guard fv.isLuaFunction else { throw RecordAbort("NYI: tail call of a \(fv.typeName)") }
            if !isConst(fref) { guardIns(.EQ, fref, const(fv)) }
            var vals: [IRRef] = [const(fv)]
            for i in 0..<nargs { vals.append(try get(a + 1 + i)) }
            let mmStart = cur.mmStart
            if memSlots.contains(where: { $0 >= baseSlot }) { try closeUpvalues(from: baseSlot) }
            // The callee replaces the current frame: same function slot, same return.
            frames.removeLast()
            baseSlot = cur.funcSlot + 1
            for (i, r) in vals.enumerated() { set(i - 1, r) }
            baseSlot = frames.last?.baseSlot ?? 0
            let savedPC = curPC
            curPC = Int(cur.returnPC) - 1
            var moved: [Int: Value] = [:]
            for i in 0...nargs { moved[Int(cur.funcSlot - baseSlot) + i] = i == 0 ? fv : value(a + i) }
            pendingValues = moved
            defer { pendingValues = nil; curPC = savedPC }
            try inlineLua(Int(cur.funcSlot - baseSlot), fv.luaFunction, nargs: nargs, wanted: Int(cur.nresults),
                          cont: cur.cont, mmStart: mmStart, tail: true)
        case .VARG:
            // The extra arguments sit just below the frame's copy of its function (RecFrame).
            // In the trace's base frame they are below its function slot: loaded, never written.
            let nva = Int(frames.last?.nvarargs ?? baseNvarargs)
            if frames.isEmpty && nva > maxBaseVarargs { throw RecordAbort("NYI: more than \(maxBaseVarargs) varargs") }
            let n = bb == 0 ? nva : bb - 1
            try checkWindow(baseSlot + Int32(a + n))
            if frames.isEmpty {
                // How many there are is a fact of this call, not of the code: guarded.
                ensureSnapshot()
                b.emit(IRIns(.VARGN, .void, b: IRRef(nva), guarded: true))
            }
            var vals: [IRRef] = []
            for i in 0..<n {
                if i >= nva { vals.append(b.singleton(.nil)); continue }
                vals.append(frames.isEmpty ? baseVararg(Int32(-1 - nva + i)) : try get(-1 - nva + i))
            }
            for i in 0..<n { set(a + i, vals[i]) }
            if bb == 0 { multTop = baseSlot + Int32(a + n) }
        case .SELF:
            let obj = try get(bb)
            let key = k(c)
            let m: IRRef
            if trace.type(of: obj) == .str {
                m = try stringMethod(key)
            } else if trace.type(of: obj) == .tab {
                m = try tableGet(obj, value(bb).table, keyRef: const(key), key: key, depth: 0)
            } else {
                throw RecordAbort("NYI: method call on a \(trace.type(of: obj).name)")
            }
            set(a + 1, obj)
            set(a, m)

        case .RET, .RET0, .RET1:
            let n: Int
            switch op {
            case .RET0: n = 0
            case .RET1: n = 1
            default:
                if bb == 0 {
                    guard let m = multTop else { throw RecordAbort("NYI: return of multiple results") }
                    n = Int(m - baseSlot) - a
                } else {
                    n = bb - 1
                }
            }
            if multTop != nil { ensureSnapshot() }   // its guards must resume it with its multiple results
            // Down-recursion: the trace returned into this frame of its function and returns again.
            if frames.isEmpty && (op != .RET || bb != 0), let end = downRecursion() { return end }
            // Upvalues of the base frame opened before the trace: the interpreter's return closes them.
            let foreignOpen = frames.isEmpty && hasForeignOpenUpvalues()
            // A return closes the frame's open upvalues.
            if memSlots.contains(where: { $0 >= baseSlot }) { try closeUpvalues(from: baseSlot) }
            let retTop = multTop
            multTop = nil
            guard !frames.isEmpty else {
                if trace.parent != nil || trace.isReturnTrace {
                    if !foreignOpen, try returnToLowerFrame(a, n) { return nil }
                    // A return trace starts with a return it makes itself.
                    if trace.isReturnTrace && retDepth == 0 { throw RecordAbort("return into a frame a trace cannot return to") }
                    // The interpreter returns: its RET with B=0 needs the multiple results' top.
                    multTop = retTop
                    return stopToInterpreter()
                }
                if trace.isFunctionTrace {
                    // A function trace ends at its function's return: the interpreter returns
                    // (into whichever caller; the results are in the frame's registers).
                    trace.linkNote = "return"
                    multTop = retTop
                    return stopToInterpreter()
                }
                throw RecordAbort("return from the loop's function")
            }
            var results: [IRRef] = []
            for i in 0..<n { results.append(try get(a + i)) }
            try returnFromInlined(results)

        case .FORPREP:
            let i0 = try get(a), lim = try get(a + 1), st = try get(a + 2)
            guard trace.type(of: i0) == .num && trace.type(of: lim) == .num && trace.type(of: st) == .num else {
                throw RecordAbort("NYI: numeric for with non-number operands")
            }
            let stepV = value(a + 2).number
            let enter = stepV > 0 ? value(a).number <= value(a + 1).number : value(a).number >= value(a + 1).number
            stepSignGuard(st, stepV)
            if stepV > 0 { guardIns(enter ? .LE : .NLE, i0, lim) } else { guardIns(enter ? .LE : .NLE, lim, i0) }
            if enter {
                set(a + 3, i0)
                freshLoops[FreshLoop(level: frames.count - retDepth, key: LoopKey(curProto, curPC + 1))] =
                    FreshLoopStart(index: value(a).number, ins: trace.ins.count, calls: callsInlined)
            }
        case .FORLOOP:
            let stepV = value(a + 2).number
            let idxV = value(a).number + stepV
            let cont = stepV > 0 ? idxV <= value(a + 1).number : idxV >= value(a + 1).number
            if !cont && frames.isEmpty && trace.parent == nil && isOwnLoop(jump: d) {
                throw RecordAbort("loop left")
            }
            if try narrowForLoop(a, jump: d, cont: cont) { return nil }
            let i0 = try get(a), lim = try get(a + 1), st = try get(a + 2)
            stepSignGuard(st, stepV)
            let ni = b.emit(IRIns(.ADD, .num, a: i0, b: st))
            if stepV > 0 { guardIns(cont ? .LE : .NLE, ni, lim) } else { guardIns(cont ? .LE : .NLE, lim, ni) }
            if cont {
                set(a, ni)
                set(a + 3, ni)
            } else {
                leftLoop(header: curPC + 1 + (d - 0x8000))
            }
        case .ITERL:
            let x = try get(a)
            if trace.type(of: x) == .nil {
                if frames.isEmpty && trace.parent == nil && isOwnLoop(jump: d) { throw RecordAbort("loop left") }
            } else {
                set(a - 1, x)
            }
        case .LOOP, .JMP, .EXTRAARG:
            break
        }
        return nil
    }

    /// Whether the back-edge at the current pc (jump operand d) returns to the trace's start.
    func isOwnLoop(jump d: Int) -> Bool {
        !trace.isReturnTrace && curProto == startProto && curPC + 1 + (d - 0x8000) == startPC - startProto.pointee.code.unsafelyUnwrapped
    }

    func stepSignGuard(_ st: IRRef, _ stepV: Double) {
        if isConst(st) { return }
        guardIns(stepV > 0 ? .LT : .NLT, b.num(0), st)
    }

    func arith(_ which: UInt8, _ dst: Int, _ x: IRRef, _ y: IRRef, _ xv: Value, _ yv: Value) throws {
        guard trace.type(of: x) == .num && trace.type(of: y) == .num else {
            let events: [MetaEvent] = [.add, .sub, .mul, .div, .mod, .pow]
            try arithMetamethod(events[Int(which)], dst, x, y, xv, yv)
            return
        }
        let ops: [IROp] = [.ADD, .SUB, .MUL, .DIV, .MOD, .POW]
        set(dst, b.emit(IRIns(ops[Int(which)], .num, a: x, b: y)))
    }

    func checkConcatOperand(_ x: IRRef) throws {
        let t = trace.type(of: x)
        if t != .str && t != .num { throw RecordAbort("NYI: concatenating a \(t.name)") }
    }

    func recordEquality(_ x: IRRef, _ y: IRRef, _ xv: Value, _ yv: Value) throws {
        let tx = trace.type(of: x), ty = trace.type(of: y)
        if tx != ty { return }                  // different types: never equal, no metamethod
        if tx.isSingleton { return }             // same singleton type: always equal
        if tx == .num {
            guardIns(xv.number == yv.number ? .EQ : .NE, x, y)
            return
        }
        if xv.bits == yv.bits {
            guardIns(.EQ, x, y)
            return
        }
        if tx == .tab || tx == .udata {
            // Different objects: __eq is called only if x's metatable has one (5.1 then also needs
            // y's to be the same): guard x's metatable and its lack of __eq.
            guard tx == .tab else { throw RecordAbort("NYI: comparing userdata") }
            guardIns(.NE, x, y)
            let mtRef = b.emit(IRIns(.FLOAD, .ptr, a: x, b: IRField.tabMeta.rawValue))
            guard let mt = xv.table.pointee.metatable else {
                guardIns(.EQ, mtRef, constPtr(nil))
                return
            }
            try guardNoMetamethod(mtRef, mt, .eq)
            return
        }
        guardIns(.NE, x, y)
    }

    /// The key operand of a table access: (IR ref, value at recording).
    func keyOperand(_ op: Opcode, _ c: Int) throws -> (IRRef, Value) {
        switch op {
        case .TGETS, .TSETS: return (const(k(c)), k(c))
        case .TGETB, .TSETB: return (b.num(Double(c)), Value(Double(c)))
        default: return (try getRaw(c), value(c))   // a narrowed int stays one (arrayIndex)
        }
    }

    // MARK: tables

    /// An integer key as a 0-based int index with the guards that make it one, or nil when the
    /// key (as seen now) is not an integer in int32 range.
    func arrayIndex(_ keyRef: IRRef, _ key: Value) -> IRRef? {
        guard key.isNumber, JITMath.exactInt(key.number) != nil else { return nil }
        ensureSnapshot()
        let ki = trace.type(of: keyRef) == .int ? keyRef : b.emit(IRIns(.TOINT, .int, a: keyRef, guarded: true))
        return b.emit(IRIns(.SUBI, .int, a: ki, b: b.int(1)))
    }

    /// t[key] with Lua's rules (raw value; if nil, the metatable's __index table chain).
    func tableGet(_ t: IRRef, _ tab: TableRef, keyRef ik: IRRef, key: Value, depth: Int) throws -> IRRef {
        if depth > 8 { throw RecordAbort("NYI: __index chain too long") }
        var keyRef: IRRef { toNum(ik) }   // a narrowed int key as a num (CSE shares the TONUM)
        var result: IRRef
        let actual = tab.get(key)
        if key.isNumber, let idx = arrayIndex(ik, key), let ik = JITMath.exactInt(key.number),
           ik >= 1 && Int(ik) <= Int(tab.pointee.asize) {
            let asize = b.emit(IRIns(.FLOAD, .int, a: t, b: IRField.tabAsize.rawValue))
            guardIns(.ABC, idx, asize)
            let arr = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabArray.rawValue))
            let ref = b.emit(IRIns(.AREF, .ptr, a: arr, b: idx))
            result = typedLoad(IRIns(.ALOAD, IRType.of(actual), a: ref))
        } else if key.isString && isConst(keyRef) {
            result = typedLoad(IRIns(.HLOAD, IRType.of(actual), a: t, b: keyRef))
        } else {
            if key.isNil { throw RecordAbort("NYI: indexing with nil") }
            result = typedLoad(IRIns(.TGET, IRType.of(actual), a: t, b: keyRef))
        }
        if !actual.isNil { return result }
        // Nil: __index of the metatable decides.
        let mtRef = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabMeta.rawValue))
        guard let mt = tab.pointee.metatable else {
            guardIns(.EQ, mtRef, constPtr(nil))
            return result
        }
        guardIns(.EQ, mtRef, constPtr(UnsafeMutableRawPointer(mt)))
        let idxKey = Value(vm.heap.mmName(.index))
        let h = mt.get(idxKey)
        let mtConst = constObj(.tab, UnsafeMutableRawPointer(mt))
        let hRef = typedLoad(IRIns(.HLOAD, IRType.of(h), a: mtConst, b: const(idxKey)))
        if h.isNil { return result }
        guard h.isTable else { throw RecordAbort("NYI: __index function") }
        guardIns(.EQ, hRef, const(h))
        return try tableGet(const(h), h.table, keyRef: ik, key: key, depth: depth + 1)
    }

    /// t[key] = val with the interpreter's rules: an existing non-nil value is overwritten raw;
    /// otherwise the table must have no metatable (no __newindex) and the key is inserted raw.
    func tableSet(_ t: IRRef, _ tab: TableRef, keyRef ik: IRRef, key: Value, val: IRRef) throws {
        if key.isNil { throw RecordAbort("NYI: table index is nil") }
        var keyRef: IRRef { toNum(ik) }   // a narrowed int key as a num (CSE shares the TONUM)
        if key.isNumber && key.number.isNaN { throw RecordAbort("NYI: table index is NaN") }
        let existing = tab.get(key)
        var hasMeta = tab.pointee.metatable != nil
        if existing.isNil, let mt = tab.pointee.metatable {
            // A new key in a table with a metatable: fine while the metatable has no __newindex.
            let mtRef = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabMeta.rawValue))
            try guardNoMetamethod(mtRef, mt, .newindex)
            hasMeta = false
        }
        if key.isNumber, let idx = arrayIndex(ik, key), let ik = JITMath.exactInt(key.number),
           ik >= 1 && Int(ik) <= Int(tab.pointee.asize) {
            let asize = b.emit(IRIns(.FLOAD, .int, a: t, b: IRField.tabAsize.rawValue))
            guardIns(.ABC, idx, asize)
            let arr = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabArray.rawValue))
            let ref = b.emit(IRIns(.AREF, .ptr, a: arr, b: idx))
            if hasMeta {
                _ = typedLoad(IRIns(.ALOAD, IRType.of(existing), a: ref))
            } else if tab.pointee.metatable == nil {
                metaNilGuard(t)
            }
            b.emit(IRIns(.ASTORE, .void, a: ref, b: val))
            return
        }
        if hasMeta {
            // The key exists (non-nil): guard that it still does, then store raw.
            if key.isString && isConst(keyRef) {
                _ = typedLoad(IRIns(.HLOAD, IRType.of(existing), a: t, b: keyRef))
            } else {
                _ = typedLoad(IRIns(.TGET, IRType.of(existing), a: t, b: keyRef))
            }
        } else if tab.pointee.metatable == nil {
            metaNilGuard(t)
        }
        allocates = true
        if key.isString && isConst(keyRef) {
            b.emit(IRIns(.HSTORE, .void, a: t, b: val, c: keyRef))
        } else {
            ensureSnapshot()
            b.emit(IRIns(.TSET, .void, a: t, b: keyRef, c: val, guarded: true))
        }
    }

    /// Guards that the metatable at mtRef is `mt` and has no field for event `e`.
    func guardNoMetamethod(_ mtRef: IRRef, _ mt: TableRef, _ e: MetaEvent) throws {
        let name = Value(vm.heap.mmName(e))
        if !mt.get(name).isNil { throw RecordAbort("NYI: \(e.name) metamethod") }
        guardIns(.EQ, mtRef, constPtr(UnsafeMutableRawPointer(mt)))
        let mtConst = constObj(.tab, UnsafeMutableRawPointer(mt))
        _ = typedLoad(IRIns(.HLOAD, .nil, a: mtConst, b: const(name)))
    }

    func metaNilGuard(_ t: IRRef) {
        let mtRef = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabMeta.rawValue))
        guardIns(.EQ, mtRef, constPtr(nil))
    }

    /// s:method -> the string library's function (the string metatable's __index is the string
    /// table; its entry is guarded).
    func stringMethod(_ key: Value) throws -> IRRef {
        guard let stab = engine.stringLibrary else { throw RecordAbort("NYI: string method without string table") }
        let f = stab.get(key)
        if f.isNil { throw RecordAbort("NYI: missing string method") }
        let sConst = constObj(.tab, UnsafeMutableRawPointer(stab))
        let r = typedLoad(IRIns(.HLOAD, IRType.of(f), a: sConst, b: const(key)))
        guardIns(.EQ, r, const(f))
        return const(f)
    }
}
