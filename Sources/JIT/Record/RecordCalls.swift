// Recording calls: Lua functions are inlined (identity guard, a new frame in the slot map); the
// library functions below are recorded as IR ("fast functions"); any other native call aborts.
import Bytecode
import CVM
import Glibc
import Runtime

extension Recorder {
    func recordCall(_ a: Int, nargs: Int, wanted: Int) throws {
        let fref = try get(a)
        let fv = value(a)
        if trace.type(of: fref) == .tab, let mt = fv.table.pointee.metatable {
            // __call: the metamethod is called with the table as its first argument.
            let mm = mt.get(Value(vm.heap.mmName(.call)))
            guard mm.isLuaFunction else { throw RecordAbort("NYI: __call of a \(mm.typeName)") }
            let mtRef = b.emit(IRIns(.FLOAD, .ptr, a: fref, b: IRField.tabMeta.rawValue))
            guardIns(.EQ, mtRef, constPtr(UnsafeMutableRawPointer(mt)))
            let mtConst = constObj(.tab, UnsafeMutableRawPointer(mt))
            let h = typedLoad(IRIns(.HLOAD, .fn, a: mtConst, b: const(Value(vm.heap.mmName(.call)))))
            guardIns(.EQ, h, const(mm))
            var i = nargs
            while i >= 0 { set(a + i + 1, try get(a + i)); i -= 1 }
            set(a, const(mm))
            try inlineLua(a, mm.luaFunction, nargs: nargs + 1, wanted: wanted)
            return
        }
        guard trace.type(of: fref) == .fn else { throw RecordAbort("NYI: calling a \(trace.type(of: fref).name)") }
        let closureRef = guardCallee(fref, fv)
        if fv.isLuaFunction {
            try inlineLua(a, fv.luaFunction, nargs: nargs, wanted: wanted, closureRef: closureRef)
        } else {
            try fastFunction(a, fv.nativeFunction, nargs: nargs, wanted: wanted)
        }
    }

    /// Guards the function a call or tail call inlines. A prototype made into more than one closure
    /// (callbacks made afresh) is guarded by prototype only, so a new closure of it runs the same
    /// trace (upvalues and environment are then read through the closure at run time): returns
    /// the closure's IR value for the frame. Otherwise the identity is guarded: nil.
    func guardCallee(_ fref: IRRef, _ fv: Value) -> IRRef? {
        if isConst(fref) { return nil }
        // A closure the trace made: its prototype is known.
        if fref >= 0 && trace.ins[Int(fref)].op == .FNEW { return fref }
        if fv.isLuaFunction, let p = fv.luaFunction.pointee.proto, p.pointee.nclosures > 1 {
            let pr = b.emit(IRIns(.FLOAD, .ptr, a: fref, b: IRField.fnProto.rawValue))
            guardIns(.EQ, pr, constPtr(UnsafeMutableRawPointer(p)))
            return fref
        }
        guardIns(.EQ, fref, const(fv))
        return nil
    }

    /// Inlined frames must stay inside the slots UVOUT checks (traceSlotWindow).
    func checkWindow(_ top: Int32) throws {
        if Int(top) + 1 >= traceSlotWindow { throw RecordAbort("inlined frames past slot \(traceSlotWindow - 2)") }
    }

    /// In a frame whose closure is known by prototype only, an upvalue access first guards that
    /// the upvalue relates to the trace's slots as the recorded closure's did: open on the same
    /// slot (UVAT), or aliasing none of them (UVOUT). Another closure of the prototype may have
    /// been made by another frame.
    func guardUpvalue(_ f: IRRef, _ index: Int, _ uv: UnsafeMutablePointer<tj_upval>) {
        guard let fr = frames.last, !isConst(fr.closureRef) else { return }
        ensureSnapshot()
        if let s = openUpvalueSlot(uv) {
            b.emit(IRIns(.UVAT, .void, a: f, b: IRRef(s), c: IRRef(index), guarded: true))
        } else {
            b.emit(IRIns(.UVOUT, .void, a: f, c: IRRef(index), guarded: true))
        }
    }

    func inlineLua(_ a: Int, _ f: LFuncRef, nargs: Int, wanted: Int, cont: FrameCont = .call, mmStart: IRRef = 0,
                   closureRef: IRRef? = nil, tail: Bool = false) throws {
        let p = f.pointee.proto.unsafelyUnwrapped
        if frames.count >= engine.params.maxinline { throw RecordAbort("inlining too deep") }
        let np = Int(p.pointee.numparams)
        let fref = closureRef ?? const(Value(f))
        let funcSlot = baseSlot + Int32(a)
        var frame = RecFrame(funcSlot: funcSlot, closure: f, closureRef: fref,
                             returnPC: Int32(curPC + 1), nresults: Int32(wanted), cont: cont, mmStart: mmStart)
        frame.tail = tail
        if p.pointee.isvararg != 0 {
            // As a call lays it out: the arguments stay (the extra ones are the varargs), a copy of
            // the function and the fixed parameters go above them, and the registers start there.
            if cont != .call { throw RecordAbort("NYI: vararg metamethod") }
            var args: [IRRef] = []
            for j in 0..<nargs { args.append(try get(a + 1 + j)) }
            for j in 0..<nargs { set(a + 1 + j, args[j]) }
            let nf = a + 1 + nargs
            set(nf, fref)
            for j in 0..<np { set(nf + 1 + j, j < nargs ? args[j] : b.singleton(.nil)) }
            frame.baseOffset = Int32(nargs + 2)
            frame.nvarargs = Int32(max(nargs - np, 0))
        } else {
            var i = nargs
            while i < np { set(a + 1 + i, b.singleton(.nil)); i += 1 }
            // Arguments must be in the slot map (read now, while the caller's view is current).
            for j in 0..<min(nargs, np) { set(a + 1 + j, try get(a + 1 + j)) }
        }
        try checkWindow(frame.baseSlot + Int32(p.pointee.framesize))
        frames.append(frame)
        callsInlined += 1
        baseSlot = frame.baseSlot
    }

    /// Inlines a metamethod called by the current instruction (as the interpreter calls it, above
    /// the frame's top). No snapshot is taken inside it: its guards exit through the instruction's
    /// snapshot, so the interpreter redoes the instruction, metamethod and all. That is exact only
    /// if nothing the metamethod did is visible: stores are limited to tables it allocated
    /// (checkMetamethodStore) and native calls to ones without effects.
    func inlineMetamethod(_ mm: Value, args: [IRRef], cont: FrameCont) throws {
        guard mm.isLuaFunction else { throw RecordAbort("NYI: metamethod that is not a Lua function") }
        let f = mm.luaFunction
        let p = f.pointee.proto.unsafelyUnwrapped
        if p.pointee.isvararg != 0 { throw RecordAbort("NYI: vararg metamethod") }
        if frames.count >= engine.params.maxinline { throw RecordAbort("inlining too deep") }
        ensureSnapshot()
        let funcSlot = baseSlot + Int32(curProto.pointee.framesize)
        try checkWindow(funcSlot + 1 + Int32(p.pointee.framesize))
        callsInlined += 1
        frames.append(RecFrame(funcSlot: funcSlot, closure: f, closureRef: const(mm), returnPC: Int32(curPC + 1),
                               nresults: 1, cont: cont, mmStart: IRRef(trace.ins.count)))
        baseSlot = funcSlot + 1
        let np = Int(p.pointee.numparams)
        for i in 0..<np { set(i, i < args.count ? args[i] : b.singleton(.nil)) }
    }

    /// Guards t's metatable and its entry for event e; returns that entry (nil when absent).
    func guardMetamethod(_ t: IRRef, _ tab: TableRef, _ e: MetaEvent) -> Value {
        let mtRef = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabMeta.rawValue))
        guard let mt = tab.pointee.metatable else {
            guardIns(.EQ, mtRef, constPtr(nil))
            return .nil
        }
        guardIns(.EQ, mtRef, constPtr(UnsafeMutableRawPointer(mt)))
        let name = Value(vm.heap.mmName(e))
        let mm = mt.get(name)
        let h = typedLoad(IRIns(.HLOAD, IRType.of(mm), a: constObj(.tab, UnsafeMutableRawPointer(mt)), b: const(name)))
        if !mm.isNil { guardIns(.EQ, h, const(mm)) }
        return mm
    }

    /// x op y (or -x) where an operand is a table: the metamethod of x, else of y, inlined; its
    /// first result goes to register dst.
    func arithMetamethod(_ e: MetaEvent, _ dst: Int, _ x: IRRef, _ y: IRRef, _ xv: Value, _ yv: Value) throws {
        let tx = trace.type(of: x), ty = trace.type(of: y)
        guard (tx == .tab || tx == .num) && (ty == .tab || ty == .num) else {
            throw RecordAbort("NYI: arithmetic on \(tx.name) and \(ty.name)")
        }
        ensureSnapshot()
        var mm = Value.nil
        if tx == .tab { mm = guardMetamethod(x, xv.table, e) }
        if mm.isNil && ty == .tab { mm = guardMetamethod(y, yv.table, e) }
        if mm.isNil { throw RecordAbort("NYI: arithmetic on a table without \(e.name)") }
        try inlineMetamethod(mm, args: [x, y], cont: .store(baseSlot + Int32(dst)))
    }

    /// x < y (isLT) or x <= y on two tables: the shared __lt/__le metamethod inlined (__le
    /// missing: not __lt(y, x)). The branch follows from the result's type.
    func compareMetamethod(isLT: Bool, _ x: IRRef, _ y: IRRef, _ xv: Value, _ yv: Value) throws {
        ensureSnapshot()
        func shared(_ p: IRRef, _ pv: Value, _ q: IRRef, _ qv: Value, _ e: MetaEvent) throws -> Value? {
            let m1 = guardMetamethod(p, pv.table, e)
            if m1.isNil { return nil }
            let m2 = guardMetamethod(q, qv.table, e)
            guard m1.bits == m2.bits else { throw RecordAbort("NYI: comparison with different metamethods") }
            return m1
        }
        if isLT {
            guard let m = try shared(x, xv, y, yv, .lt) else { throw RecordAbort("NYI: comparison of tables without __lt") }
            try inlineMetamethod(m, args: [x, y], cont: .truth)
        } else if let m = try shared(x, xv, y, yv, .le) {
            try inlineMetamethod(m, args: [x, y], cont: .truth)
        } else {
            guard let m = try shared(y, yv, x, xv, .lt) else { throw RecordAbort("NYI: comparison of tables without __le") }
            try inlineMetamethod(m, args: [y, x], cont: .truth)
        }
    }

    /// Returns from the innermost inlined frame with these results.
    func returnFromInlined(_ results: [IRRef]) throws {
        let f = frames.removeLast()
        let callerBase = frames.last?.baseSlot ?? 0
        baseSlot = callerBase
        switch f.cont {
        case .call:
            let dst = Int(f.funcSlot - callerBase)
            let n = results.count
            let wanted = Int(f.nresults)
            if wanted < 0 {
                for i in 0..<n { set(dst + i, results[i]) }
                multTop = callerBase + Int32(dst + n)
            } else {
                for i in 0..<wanted { set(dst + i, i < n ? results[i] : b.singleton(.nil)) }
            }
        case .store(let slot):
            set(Int(slot - callerBase), results.first ?? b.singleton(.nil))
        case .truth:
            break   // the comparison's branch follows from the result's IR type (guarded or constant)
        }
    }

    /// `return f(...)` of a library function from an inlined frame: recorded as a call keeping all
    /// results followed by the return (or, for a call completed at the next instruction, with its
    /// results placed where the return puts them).
    func nativeTailCall(_ a: Int, _ f: CFuncRef, nargs: Int) throws {
        guard let cur = frames.last else { throw RecordAbort("NYI: tail call from the loop's function") }
        if memSlots.contains(where: { $0 >= baseSlot }) { try closeUpvalues(from: baseSlot) }
        let name = engine.fastFunctionNames[Int(f.pointee.builtin)] ?? vm.jitBuiltin(f).name
        if name == "ipairs_aux" { throw RecordAbort("NYI: tail call of ipairs' iterator") }
        ensureSnapshot()
        try fastFunction(a, f, nargs: nargs, wanted: -1)
        if var pc = pendingCall {
            multTop = nil
            frames.removeLast()
            baseSlot = frames.last?.baseSlot ?? 0
            switch cur.cont {
            case .call:
                pc.a = Int(cur.funcSlot - baseSlot)
                pc.wanted = Int(cur.nresults)
            case .store(let slot):
                pc.a = Int(slot - baseSlot)
                pc.wanted = 1
            case .truth:
                throw RecordAbort("NYI: comparison metamethod ending in a native tail call")
            }
            pendingCall = pc
            return
        }
        guard let m = multTop else { throw RecordAbort("NYI: native tail call without a result count") }
        multTop = nil
        var rs: [IRRef] = []
        for i in 0..<(Int(m - baseSlot) - a) { rs.append(try get(a + i)) }
        try returnFromInlined(rs)
    }

    /// Sets call results at register a: `wanted` of them (nil-padded), or all of `rs` when
    /// wanted < 0 (then the consumer's top is recorded).
    func results(_ a: Int, _ wanted: Int, _ rs: [IRRef]) {
        if wanted < 0 {
            for (i, r) in rs.enumerated() { set(a + i, r) }
            multTop = baseSlot + Int32(a + rs.count)
            return
        }
        for i in 0..<wanted { set(a + i, i < rs.count ? rs[i] : b.singleton(.nil)) }
    }

    func numArg(_ a: Int, _ i: Int, _ nargs: Int, _ name: String) throws -> IRRef {
        if i >= nargs { throw RecordAbort("NYI: \(name) with missing arguments") }
        let r = try get(a + 1 + i)
        if trace.type(of: r) != .num { throw RecordAbort("NYI: \(name) with a \(trace.type(of: r).name) argument") }
        return r
    }

    func intArg(_ a: Int, _ i: Int, _ nargs: Int, _ name: String) throws -> IRRef {
        let r = try numArg(a, i, nargs, name)
        guard JITMath.exactInt(value(a + 1 + i).number) != nil else { throw RecordAbort("NYI: \(name) with a non-integer argument") }
        ensureSnapshot()
        return b.emit(IRIns(.TOINT, .int, a: r, guarded: true))
    }

    func fastFunction(_ a: Int, _ f: CFuncRef, nargs: Int, wanted: Int) throws {
        let name = engine.fastFunctionNames[Int(f.pointee.builtin)] ?? vm.jitBuiltin(f).name
        let mathFns: [String: IRMathFn] = [
            "math.floor": .floor, "math.ceil": .ceil, "math.sqrt": .sqrt, "math.abs": .abs, "math.sin": .sin,
            "math.cos": .cos, "math.tan": .tan, "math.asin": .asin, "math.acos": .acos, "math.atan": .atan,
            "math.sinh": .sinh, "math.cosh": .cosh, "math.tanh": .tanh, "math.exp": .exp, "math.log10": .log10,
        ]
        if let m = mathFns[name] {
            let x = try numArg(a, 0, nargs, name)
            results(a, wanted, [b.emit(IRIns(.FPMATH, .num, a: x, b: m.rawValue))])
            return
        }
        switch name {
        case "math.log":
            if nargs != 1 { throw RecordAbort("NYI: math.log with a base") }
            let x = try numArg(a, 0, nargs, name)
            results(a, wanted, [b.emit(IRIns(.FPMATH, .num, a: x, b: IRMathFn.log.rawValue))])
        case "math.min", "math.max":
            var acc = try numArg(a, 0, nargs, name)
            for i in 1..<max(nargs, 1) {
                let y = try numArg(a, i, nargs, name)
                acc = b.emit(IRIns(name == "math.min" ? .MIN : .MAX, .num, a: acc, b: y))
            }
            results(a, wanted, [acc])
        case "math.fmod", "math.atan2", "math.pow":
            let x = try numArg(a, 0, nargs, name), y = try numArg(a, 1, nargs, name)
            let op: IROp = name == "math.fmod" ? .FMOD : (name == "math.atan2" ? .ATAN2 : .POW)
            if op == .POW { throw RecordAbort("NYI: math.pow") }   // pow(x, 2) is not x*x in the library
            results(a, wanted, [b.emit(IRIns(op, .num, a: x, b: y))])
        case "bit.tobit", "bit.bnot", "bit.bswap":
            let x = b.emit(IRIns(.TOBIT, .int, a: try numArg(a, 0, nargs, name)))
            let r: IRRef
            switch name {
            case "bit.bnot": r = b.emit(IRIns(.BNOT, .int, a: x))
            case "bit.bswap": r = b.emit(IRIns(.BSWAP, .int, a: x))
            default: r = x
            }
            results(a, wanted, [b.emit(IRIns(.TONUM, .num, a: r))])
        case "bit.band", "bit.bor", "bit.bxor":
            let op: IROp = name == "bit.band" ? .BAND : (name == "bit.bor" ? .BOR : .BXOR)
            var acc = b.emit(IRIns(.TOBIT, .int, a: try numArg(a, 0, nargs, name)))
            var i = 1
            while i < nargs {
                let y = b.emit(IRIns(.TOBIT, .int, a: try numArg(a, i, nargs, name)))
                acc = b.emit(IRIns(op, .int, a: acc, b: y))
                i += 1
            }
            results(a, wanted, [b.emit(IRIns(.TONUM, .num, a: acc))])
        case "bit.lshift", "bit.rshift", "bit.arshift", "bit.rol", "bit.ror":
            let ops: [String: IROp] = ["bit.lshift": .BSHL, "bit.rshift": .BSHR, "bit.arshift": .BSAR, "bit.rol": .BROL, "bit.ror": .BROR]
            let x = b.emit(IRIns(.TOBIT, .int, a: try numArg(a, 0, nargs, name)))
            let n = b.emit(IRIns(.TOBIT, .int, a: try numArg(a, 1, nargs, name)))
            let r = b.emit(IRIns(ops[name]!, .int, a: x, b: n))
            results(a, wanted, [b.emit(IRIns(.TONUM, .num, a: r))])
        case "string.len":
            let s = try get(a + 1)
            guard nargs >= 1, trace.type(of: s) == .str else { throw RecordAbort("NYI: string.len of a non-string") }
            let n = b.emit(IRIns(.FLOAD, .int, a: s, b: IRField.strLen.rawValue))
            results(a, wanted, [b.emit(IRIns(.TONUM, .num, a: n))])
        case "string.byte":
            let s = try get(a + 1)
            guard nargs >= 1, trace.type(of: s) == .str else { throw RecordAbort("NYI: string.byte of a non-string") }
            if nargs > 2 { throw RecordAbort("NYI: string.byte with a range") }
            var idx: Int32 = 1
            var iRef = b.int(1)
            if nargs == 2 {
                iRef = try intArg(a, 1, nargs, name)
                idx = JITMath.exactInt(value(a + 2).number) ?? 1
            }
            let len = Int32(truncatingIfNeeded: value(a + 1).string.pointee.len)
            if idx == 0 || idx > len || -idx > len { throw RecordAbort("NYI: string.byte out of range") }
            ensureSnapshot()
            let i0: IRRef
            if idx > 0 {
                // Stays positive: a guard keeps later runs on this path.
                if !isConst(iRef) { guardIns(.LT, b.num(0), try get(a + 2)) }
                i0 = b.emit(IRIns(.SUBI, .int, a: iRef, b: b.int(1)))
            } else {
                // From the end: len + i (0-based).
                if !isConst(iRef) { guardIns(.NLT, b.num(0), try get(a + 2)) }
                let n = b.emit(IRIns(.FLOAD, .int, a: s, b: IRField.strLen.rawValue))
                i0 = b.emit(IRIns(.ADDI, .int, a: n, b: iRef))
            }
            let byte = b.emit(IRIns(.STRBYTE, .int, a: s, b: i0, guarded: true))
            results(a, wanted, [b.emit(IRIns(.TONUM, .num, a: byte))])
        case "string.sub":
            let s = try get(a + 1)
            guard nargs >= 2, trace.type(of: s) == .str else { throw RecordAbort("NYI: string.sub arguments") }
            let i = try intArg(a, 1, nargs, name)
            let j = nargs >= 3 ? try intArg(a, 2, nargs, name) : b.int(-1)
            allocates = true
            results(a, wanted, [b.emit(IRIns(.STRSUB, .str, a: s, b: i, c: j))])
        case "string.char":
            if nargs != 1 {
                try genericNativeCall(a, f, name: name, nargs: nargs, wanted: wanted)
                return
            }
            let i = try intArg(a, 0, nargs, name)
            ensureSnapshot()
            allocates = true
            results(a, wanted, [b.emit(IRIns(.STRCHAR, .str, a: i, guarded: true))])
        case "tostring":
            let x = try get(a + 1)
            switch trace.type(of: x) {
            case .num:
                allocates = true
                results(a, wanted, [b.emit(IRIns(.TOSTR, .str, a: x))])
            case .str:
                results(a, wanted, [x])
            default:
                throw RecordAbort("NYI: tostring of a \(trace.type(of: x).name)")
            }
        case "type":
            let x = try get(a + 1)
            let s = try vm.heap.intern(IRType.of(value(a + 1)) == .num ? "number" : luaTypeName(value(a + 1)))
            _ = x
            results(a, wanted, [const(Value(s))])
        case "ipairs_aux":
            try recordIpairsStep(a, wanted: wanted)
        case "table.remove" where wanted != 0:
            try recordTableRemove(a, f, nargs: nargs, wanted: wanted)
        default:
            try genericNativeCall(a, f, name: name, nargs: nargs, wanted: wanted)
        }
    }

    func luaTypeName(_ v: Value) -> String {
        switch IRType.of(v) {
        case .nil: return "nil"
        case .true, .false: return "boolean"
        case .num: return "number"
        case .str: return "string"
        case .tab: return "table"
        case .fn: return "function"
        case .udata, .lightud: return "userdata"
        case .thread: return "thread"
        default: return "?"
        }
    }

    /// table.remove(t [, pos]) keeping its result: the removed value t[pos] is loaded (with its
    /// type guard) before the library function runs for its effect alone, so no guard after the
    /// removal can make the interpreter remove twice.
    func recordTableRemove(_ a: Int, _ f: CFuncRef, nargs: Int, wanted: Int) throws {
        try checkMetamethodStore(nil)
        guard nargs == 1 || nargs == 2 else { throw RecordAbort("NYI: table.remove with \(nargs) arguments") }
        let t = try get(a + 1)
        guard trace.type(of: t) == .tab else { throw RecordAbort("NYI: table.remove of a non-table") }
        let tab = value(a + 1).table
        let e = tab.length()
        let n = b.emit(IRIns(.LEN, .int, a: t))
        var args = [t]
        let posRef: IRRef
        var pos = e
        if nargs == 2 {
            posRef = try intArg(a, 1, nargs, "table.remove")
            pos = Int(JITMath.exactInt(value(a + 2).number) ?? 0)
            args.append(try get(a + 2))
        } else {
            posRef = n
        }
        ensureSnapshot()
        guard 1 <= pos && pos <= e else {
            // Nothing to remove and no results (only the empty table's pop is recorded).
            guard nargs == 1 else { throw RecordAbort("NYI: table.remove at a position out of range") }
            guardIns(.EQ, n, b.int(0))
            results(a, wanted, [])
            return
        }
        let i0 = b.emit(IRIns(.SUBI, .int, a: posRef, b: b.int(1)))
        guardIns(.ABC, i0, n)                       // 1 <= pos <= #t
        let old = tab.get(int: pos)
        let v: IRRef
        if pos <= Int(tab.pointee.asize) {
            let asize = b.emit(IRIns(.FLOAD, .int, a: t, b: IRField.tabAsize.rawValue))
            guardIns(.ABC, i0, asize)
            let arr = b.emit(IRIns(.FLOAD, .ptr, a: t, b: IRField.tabArray.rawValue))
            v = typedLoad(IRIns(.ALOAD, IRType.of(old), a: b.emit(IRIns(.AREF, .ptr, a: arr, b: i0))))
        } else {
            let key = b.emit(IRIns(.TONUM, .num, a: posRef))
            v = typedLoad(IRIns(.TGET, IRType.of(old), a: t, b: key))
        }
        var argRef = noRef
        for (i, r) in args.enumerated() { argRef = i == 0 ? r : b.emit(IRIns(.CARG, .void, a: argRef, b: r)) }
        allocates = true
        b.emit(IRIns(.CALLN, .nil, a: const(Value(f)), b: argRef, c: IRRef(args.count)))
        forgetMemSlots()
        results(a, wanted, [v])
    }

    /// ipairs' iterator: (t, i) -> i+1, t[i+1], or nil when t[i+1] is nil.
    func recordIpairsStep(_ a: Int, wanted: Int) throws {
        let t = try get(a + 1), i = try get(a + 2)
        guard trace.type(of: t) == .tab, trace.type(of: i) == .num else { throw RecordAbort("NYI: ipairs on a non-table") }
        let tab = value(a + 1).table
        if tab.pointee.metatable != nil { throw RecordAbort("NYI: ipairs on a table with a metatable") }
        let nextI = b.emit(IRIns(.ADD, .num, a: i, b: b.num(1)))
        let key = Value(value(a + 2).number + 1)
        let v = try tableGet(t, tab, keyRef: nextI, key: key, depth: 0)
        if trace.type(of: v) == .nil {
            results(a, wanted, [b.singleton(.nil)])
        } else {
            results(a, wanted, [nextI, v])
        }
    }
}

struct PendingCall {
    var a: Int
    var fn: IRRef
    var args: [IRRef]
    var wanted: Int
}

/// Library functions a trace may call through CALLN. A failing result-type guard makes the
/// interpreter redo the call, so functions whose result types vary must have no effects that a
/// second call would repeat; functions called for no results have no result guard at all.
let callableNatives: Set<String> = [
    "string.find", "string.match", "string.format", "string.rep", "string.gsub", "string.upper",
    "string.lower", "string.reverse", "string.byte", "string.len", "string.sub", "string.char",
    "tonumber", "tostring", "select", "unpack", "rawget", "rawequal", "rawset", "next", "type",
    "math.random", "math.floor", "math.ceil", "math.sqrt", "math.abs", "math.fmod", "math.modf",
    "math.log", "math.pow", "math.exp", "math.huge", "math.frexp", "math.ldexp", "math.min", "math.max",
    "table.concat", "table.insert", "setmetatable", "getmetatable", "assert", "print",
    "os.clock", "os.time", "io.write", "pairs", "ipairs",
]
/// Natives without effects a redo could repeat (no metamethods, no output, no state), callable
/// inside an inlined metamethod (setmetatable too, on a table the metamethod allocated).
let metamethodSafeNatives: Set<String> = [
    "string.find", "string.match", "string.rep", "string.gsub", "string.upper", "string.lower",
    "string.reverse", "string.byte", "string.len", "string.sub", "string.char", "tonumber", "select",
    "unpack", "rawget", "rawequal", "type", "math.floor", "math.ceil", "math.sqrt", "math.abs",
    "math.fmod", "math.modf", "math.log", "math.pow", "math.exp", "math.frexp", "math.ldexp",
    "math.min", "math.max", "getmetatable", "assert", "pairs", "ipairs", "next",
]
/// Callable only when no results are kept (their results vary and the call has effects).
let callableForEffectOnly: Set<String> = ["table.remove", "table.sort"]

extension Recorder {
    /// Records a call of a library function with no IR of its own: arguments now, the call once
    /// its result types are known (completeNativeCall, at the next instruction).
    func genericNativeCall(_ a: Int, _ f: CFuncRef, name: String, nargs: Int, wanted: Int) throws {
        let keeps = wanted != 0
        guard callableNatives.contains(name) || (!keeps && callableForEffectOnly.contains(name)) else {
            throw RecordAbort("NYI: call to native '\(name)'")
        }
        if name == "string.gsub" && nargs >= 3 && value(a + 3).isFunction {
            throw RecordAbort("NYI: string.gsub with a function replacement")
        }
        var args: [IRRef] = []
        for i in 0..<nargs { args.append(try get(a + 1 + i)) }
        if inMetamethod && !metamethodSafeNatives.contains(name)
            && !(name == "setmetatable" && isFreshTable(args.first ?? noRef)) {
            throw RecordAbort("NYI: call to native '\(name)' inside a metamethod")
        }
        ensureSnapshot()
        allocates = true
        pendingCall = PendingCall(a: a, fn: const(Value(f)), args: args, wanted: wanted)
    }

    func completeNativeCall() throws {
        guard let pc = pendingCall else { return }
        pendingCall = nil
        // The call has run: its results are at a, a+1, ... in the caller's frame (the frame we
        // are back in). The interpreter's top for "all results" is not visible here, so keeping
        // all results is only supported for a fixed count checked by a guard.
        var argRef = noRef
        for (i, r) in pc.args.enumerated() {
            argRef = i == 0 ? r : b.emit(IRIns(.CARG, .void, a: argRef, b: r))
        }
        var first = value(pc.a)
        if pc.wanted < 0, let top = lastNativeTop, top <= pc.a { first = .nil }
        let call = b.emit(IRIns(.CALLN, IRType.of(first), a: pc.fn, b: argRef, c: IRRef(pc.args.count),
                                guarded: pc.wanted != 0))
        forgetMemSlots()
        if pc.wanted == 0 { return }
        if pc.wanted < 0 {
            // All results: their count is guarded; the consumer reads up to multTop.
            guard let top = lastNativeTop, top >= pc.a, top - pc.a < 200 else {
                throw RecordAbort("NYI: keeping all results of a native call")
            }
            let n = top - pc.a
            let cnt = b.emit(IRIns(.CALLRES, .int, a: call, c: -1))
            guardIns(.EQ, cnt, b.int(Int32(n)))
            var rs: [IRRef] = n > 0 ? [call] : []
            for i in 1..<max(n, 1) {
                let v = value(pc.a + i)
                rs.append(b.emit(IRIns(.CALLRES, IRType.of(v), a: call, c: IRRef(i), guarded: true)))
            }
            results(pc.a, -1, rs)
            return
        }
        var rs = [call]
        for i in 1..<max(pc.wanted, 1) {
            let v = value(pc.a + i)
            rs.append(b.emit(IRIns(.CALLRES, IRType.of(v), a: call, c: IRRef(i), guarded: true)))
        }
        results(pc.a, pc.wanted, rs)
    }
}

extension Recorder {
    /// A side trace returns from its start frame (or a frame it returned into): when the caller is
    /// a plain Lua frame, records RETF (a guard on the caller's closure and resume pc, which pops
    /// the frame and moves the base down), renumbers the slots from the caller's base and stores
    /// the results as the caller's CALL wants them. False: not possible here (stop instead).
    func returnToLowerFrame(_ a: Int, _ n: Int) throws -> Bool {
        guard let (caller, cur, delta, _) = lowerFrame() else { return false }
        var results: [IRRef] = []
        for i in 0..<n { results.append(try get(a + i)) }
        popToCaller(caller, delta: delta)
        retProtos[UInt(bitPattern: caller.closure.pointee.proto.unsafelyUnwrapped), default: 0] += 1
        let dst = delta - 1            // the function slot: the CALL's register a in the caller
        let wanted = Int(cur.nresults)
        if wanted < 0 {
            for i in 0..<n { set(dst + i, results[i]) }
            multTop = Int32(dst + n)
        } else {
            for i in 0..<wanted { set(dst + i, i < n ? results[i] : b.singleton(.nil)) }
        }
        return true
    }

    /// Down-recursion (as LuaJIT decides it): the trace returned below its start frame into a
    /// frame of function F and is about to return into a frame of F again, i.e. it unwinds a
    /// recursion. Returning on, one RETF per frame, would need a trace per pattern of call sites; instead the
    /// trace ends here, at the return, where a return trace (a root trace anchored at this return
    /// instruction, `isReturnTrace`) takes over: a return trace that comes round to its own return
    /// links to itself (`down-recursion`: unwinding runs in one loop), others link to it, and
    /// without one yet the trace ends in the interpreter there and the engine records it at once
    /// (JITEngine.arrivedAtReturn). nil: return as usual. Only in function-trace trees, and only for
    /// returns of a fixed number of results.
    func downRecursion() -> RecordStatus? {
        guard retDepth > 0, inFunctionTraceTree, !inMetamethod, pendingCall == nil, let caller = vm.jitCallerFrame(),
              retProtos[UInt(bitPattern: caller.closure.pointee.proto.unsafelyUnwrapped), default: 0] >= max(engine.params.recunroll, 1) else { return nil }
        let key = LoopKey.returnKey(curProto, curPC)
        // Back at the return the trace started at (a return trace, or a side trace that started at
        // this return and whose loads need no guard its parent's exit fixed): it loops, a frame
        // lower each time. (LuaJIT links side traces to themselves here too.)
        if key == LoopKey.returnKey(trace.startProto, trace.startPC) && (trace.isReturnTrace || (trace.parent != nil && !usedInheritedTypes)) {
            trace.linkNote = "down-recursion"
            return close(link: .trace(trace.id))
        }
        if let n = engine.rootTraces[key], engine.trace(n) != nil { return close(link: .trace(n)) }
        if engine.blacklist.contains(key) || !engine.params.functraces { return nil }
        trace.endLoop = key
        return close(link: .interpreter)
    }

    /// Whether open upvalues point into the base frame that the trace did not make (FNEW): a
    /// return must close them, which RETF does not (it exits instead).
    func hasForeignOpenUpvalues() -> Bool {
        var u = thread.pointee.openupval
        while let uv = u, UInt(bitPattern: uv.pointee.v) >= UInt(bitPattern: UnsafeMutableRawPointer(curBase)) {
            let slot = baseSlot + Int32((UInt(bitPattern: uv.pointee.v) - UInt(bitPattern: UnsafeMutableRawPointer(curBase))) / 8)
            if !memSlots.contains(slot) { return true }
            u = uv.pointee.nextopen
        }
        return false
    }

    /// A side trace tail-calls a Lua function from its start frame (or a frame it returned into):
    /// the frame is popped as by a return (RETF) and the callee inlined in its place, returning
    /// where the popped frame would have. False: not possible here (stop instead).
    func tailCallFromBase(_ a: Int, nargs: Int) throws -> Bool {
        let fv = value(a)
        guard fv.isLuaFunction, let (caller, cur, delta, returnPC) = lowerFrame() else { return false }
        if let u = thread.pointee.openupval,
           UInt(bitPattern: u.pointee.v) >= UInt(bitPattern: UnsafeMutableRawPointer(curBase)) {
            return false    // the tail call would close upvalues of the frame
        }
        let fref = try get(a)
        guard trace.type(of: fref) == .fn else { return false }
        let closureRef = guardCallee(fref, fv)
        var vals: [IRRef] = [fref]
        for i in 0..<nargs { vals.append(try get(a + 1 + i)) }
        popToCaller(caller, delta: delta)
        let dst = delta - 1
        for (i, r) in vals.enumerated() { set(dst + i, r) }
        let savedPC = curPC
        curPC = returnPC - 1
        defer { curPC = savedPC }
        try inlineLua(dst, fv.luaFunction, nargs: nargs, wanted: Int(cur.nresults), closureRef: closureRef, tail: true)
        return true
    }

    /// The frame below the base frame a trace may pop into: the caller, the base frame, the base
    /// shift and the caller's resume pc; nil when the base frame cannot be popped here.
    func lowerFrame() -> (JITFrame, JITFrame, Int, Int)? {
        guard retDepth < 4, let caller = vm.jitCallerFrame() else { return nil }
        let cur = vm.jitCurrentFrame()
        let delta = cur.base - caller.base
        guard delta >= 1, delta < 250 else { return nil }
        let callerProto = caller.closure.pointee.proto.unsafelyUnwrapped
        let returnPC = caller.pc - callerProto.pointee.code.unsafelyUnwrapped
        guard returnPC >= 1, returnPC <= Int(callerProto.pointee.ncode) else { return nil }
        return (caller, cur, delta, returnPC)
    }

    /// Records RETF into `caller` and renumbers the slots from its base.
    func popToCaller(_ caller: JITFrame, delta: Int) {
        let callerProto = caller.closure.pointee.proto.unsafelyUnwrapped
        let returnPC = caller.pc - callerProto.pointee.code.unsafelyUnwrapped
        let callerRef = const(Value(caller.closure))
        baseNvarargs = caller.nvarargs
        baseVarargRefs = [:]
        ensureSnapshot()
        b.emit(IRIns(.RETF, .void, a: callerRef, b: IRRef(returnPC), c: IRRef(delta), guarded: true))
        // Slot s of the old base is slot s + delta of the caller's.
        var ns = [IRRef](repeating: noRef, count: slots.count + delta)
        var nm = [Bool](repeating: false, count: slots.count + delta)
        for i in 0..<slots.count { ns[i + delta] = slots[i]; nm[i + delta] = modified[i] }
        slots = ns
        modified = nm
        inheritedTypes = Dictionary(uniqueKeysWithValues: inheritedTypes.map { ($0.key + Int32(delta), $0.value) })
        retDepth += 1
        baseClosureRef = callerRef
    }
}
