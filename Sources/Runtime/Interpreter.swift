// The interpreter loop.
//
// One function, `run`, executes Lua frames of one coroutine until the frame it was entered for
// returns (or the coroutine yields). Its hot state lives in locals: `pc` (pointer to the next
// instruction word), `base` (register 0 of the running frame), `k` (the constants), `cl` (the
// running closure) and `ci` (its call record). Each instruction is decoded from its 32-bit word; the
// common cases (numbers, table array/hash hits, Lua-to-Lua calls) are handled inline and everything
// else goes to an @inline(never) slow path in Metamethods.swift or Calls.swift.
//
// Lua calls do not recurse on the Swift stack: CALL pushes a CallInfo and switches the locals; RET
// switches back. Only metamethods and library callbacks re-enter `run` (through `LuaVM.call`), with a
// depth limit. Errors are Swift throws; `execute` catches them at the nearest pcall frame of this run
// and resumes the loop there, so pcall costs no Swift recursion (and yields may cross it).
//
// Before any slow path that can throw or call out, the loop stores `pc` into `ci.pc` (the error
// position and the traceback read it); the GC reaches the stack through `thread.top`, which is kept at
// the running frame's end.
import Bytecode
import CVM

@usableFromInline let priValues: (UInt64, UInt64, UInt64) = (Value.nil.bits, Value.false.bits, Value.true.bits)

/// How an interpreter loop copy ended (see LuaVM.run).
enum LoopExit {
    static let returned = 0     // the run's entry frame returned
    static let yielded = 1      // the coroutine yielded
    static let switchMode = 2   // recording started or stopped: continue in the other copy
}

/// A store the optimizer must keep (see recoverAt).
@inline(never) func storeOpaque(_ p: UnsafeMutablePointer<Value>, _ v: Value) { p.pointee = v }

/// The pc after a test and its JMP: taken when `cond` holds.
@inline(__always) func branch(_ pc: UnsafePointer<UInt32>, _ cond: Bool) -> UnsafePointer<UInt32> {
    let j = pc.pointee
    return cond ? pc + 1 + (Int(j >> 16) &- 0x8000) : pc + 1
}

/// The array index a number key stands for: i when d is exactly the integer i with |i| < 2^31,
/// otherwise a value outside every array range (Int.min). Adding 1.5 * 2^52 puts round(d) in the
/// low 32 bits of the sum (default rounding), and the compare keeps exact integers only; cheaper
/// than Swift's checked Int(d).
@inline(__always) func arrayIndex(_ d: Double) -> Int {
    let t = d + 6755399441055744.0
    let i = Int(Int32(truncatingIfNeeded: t.bitPattern))
    return Double(i) == d ? i : Int.min
}

@inline(__always) func priValue(_ d: Int) -> Value {
    d == 0 ? .nil : (d == 1 ? .false : .true)
}

@inline(__always) func luaMod(_ a: Double, _ b: Double) -> Double {
    a - (a / b).rounded(.down) * b
}

extension LuaVM {
    /// Runs the current top frame of `L` (a Lua frame; L is the current thread) until the frame
    /// flagged `reentry` returns (results at its `fn`, count in `co.nres`) or the coroutine yields
    /// (returns true). The run may switch to coroutines it resumes (Coroutines.swift); it ends in L.
    /// Errors propagate to the caller unless a pcall frame of this run catches them.
    func execute(_ L: ThreadRef) throws -> Bool {
        let co = coState(L)
        // This run's frames start at the nearest reentry frame (the one it was entered for).
        var floor = co.pointee.ciCount - 1
        while floor > 0 && co.pointee.cis[floor].flags & CIFlag.reentry == 0 { floor -= 1 }
        while true {
            do {
                return try run()
            } catch let e as LuaError {
                if jitRecording { recordHook?.recordingFailed(self, error: e.message) }
                if try recover(L, floor: floor, error: e) { return false }
            } catch let e as HeapError {
                if jitRecording { recordHook?.recordingFailed(self, error: e.message) }
                if try recover(L, floor: floor, error: LuaError(value: internString(e.message), message: e.message)) {
                    return false
                }
            }
        }
    }

    /// Handles an error thrown out of a run entered for `L` (frames from `floor`): unwinds to the
    /// nearest pcall frame of the running coroutine that belongs to this run. A coroutine the run
    /// resumed in the loop with no such frame dies of the error and its resumer takes over (with
    /// resume's `false, msg` as the results, or the error itself for a wrap function), and so on
    /// down to L, past whose frames the error is rethrown. Returns true when L's entry frame
    /// returned (the run is over), false to go on running the current thread.
    @inline(never)
    func recover(_ L: ThreadRef, floor: Int, error: LuaError) throws -> Bool {
        var e = error
        while true {
            let T = currentThread
            let co = coState(T)
            // A coroutine resumed in the loop owns its frames from 0 (its base frame).
            let lo = T == L ? floor : 0
            // The call records are still those of the error point. Frames above the first
            // reentry frame over `lo` belong to inner runs that already gave up.
            var end = lo + 1
            while end < co.pointee.ciCount && co.pointee.cis[end].flags & CIFlag.reentry == 0 { end += 1 }
            var i = end - 1
            var found = -1
            while i >= lo {
                if co.pointee.cis[i].flags & (CIFlag.pcall | CIFlag.xpcall) != 0 { found = i; break }
                i -= 1
            }
            if found >= 0 {
                do {
                    if try recoverAt(T, co, frame: found, error: e) {
                        if T == L { return true }
                        // The coroutine's base frame was that pcall frame: it finished.
                        try coroutineFinished(T, co)
                    }
                    return false
                } catch let e2 as LuaError {
                    e = e2
                    continue
                }
            }
            if T == L { throw e }
            if let raised = coroutineDied(T, co, error: e) { e = raised } else { return false }
        }
    }

    /// Unwinds to pcall frame `frame`: runs the xpcall handler (with the error's frames still in
    /// place), closes upvalues, stores `false, msg` as the pcall's results and pops the frames.
    /// Returns true when the pcall frame was also the run's entry frame (its results are then the
    /// run's results, count in co.nres).
    @inline(never)
    func recoverAt(_ L: ThreadRef, _ co: CoPtr, frame: Int, error e: LuaError) throws -> Bool {
        let pci = co.pointee.cis + frame
        var errValue = e.value
        if pci.pointee.flags & CIFlag.xpcall != 0 {
            let h = pci.pointee.handler
            errValue = callHandler(L, co, handler: h, error: errValue)
        }
        let fn = pci.pointee.fn
        if L.pointee.openupval != nil { closeUpvalues(L, level: fn) }
        let dest = fn - 1
        let wanted = Int(pci.pointee.nresults)
        let flags = pci.pointee.flags
        co.pointee.ciCount = frame
        storeOpaque(dest, .false)
        storeOpaque(dest + 1, errValue)
        var n = 2
        if wanted >= 0 {
            var i = n
            while i < wanted { dest[i] = .nil; i += 1 }
            n = wanted
        }
        if flags & CIFlag.reentry != 0 {
            co.pointee.nres = n
            return true
        }
        let caller = co.pointee.cis + (frame - 1)
        if wanted < 0 { co.pointee.resumeTop = dest + n } else { co.pointee.resumeTop = nil }
        L.pointee.top = UInt32(caller.pointee.top - stackBase(L))
        return false
    }

    /// Calls an xpcall message handler with the error value; errors inside it give
    /// "error in error handling" (as Lua 5.1).
    func callHandler(_ L: ThreadRef, _ co: CoPtr, handler: Value, error: Value) -> Value {
        let top = co.pointee.cis[co.pointee.ciCount - 1].top
        let savedCount = co.pointee.ciCount
        do {
            let r = try callValue(L, top: top, fn: handler, args: [error], wanted: 1)
            return r.first ?? .nil
        } catch {
            co.pointee.ciCount = savedCount
            return internString("error in error handling")
        }
    }

    // MARK: the loop

    /// Runs the top frame of `L` (see execute): true when the coroutine yielded. The loop exists in
    /// two copies, without and with the recorder's per-instruction hook, and a run switches between
    /// them when recording starts or stops: the plain copy checks nothing per instruction, so its
    /// dispatch is just the jump table.
    func run() throws -> Bool {
        var recording = loopHook != nil && jitRecording
        while true {
            // A copy may have switched coroutines before it stopped: go on in the current one.
            let L = currentThread
            let co = coState(L)
            let r = recording ? try runRecording(L, co) : try runPlain(L, co)
            if r != LoopExit.switchMode { return r == LoopExit.yielded }
            recording = !recording
        }
    }

    @inline(never) func runPlain(_ L: ThreadRef, _ co: CoPtr) throws -> Int { try runLoop(L, co, recording: false) }
    @inline(never) func runRecording(_ L: ThreadRef, _ co: CoPtr) throws -> Int { try runLoop(L, co, recording: true) }

    /// The interpreter loop; `recording` is a constant in each copy. Returns a LoopExit code. To
    /// switch copies it stores pc in the frame and the multi-result top in co.resumeTop, where the
    /// next copy picks them up.
    @inline(__always)
    func runLoop(_ L0: ThreadRef, _ co0: CoPtr, recording: Bool) throws -> Int {
        // The running coroutine: it changes when a resume or yield switches coroutines in the loop.
        var L = L0
        var co = co0
        var ci = co.pointee.cis + (co.pointee.ciCount - 1)
        var cl = ci.pointee.closure.unsafelyUnwrapped
        var k = UnsafePointer<Value>(OpaquePointer(cl.pointee.proto.pointee.k.unsafelyUnwrapped))
        var base = ci.pointee.base
        var pc = ci.pointee.pc
        var mtop = co.pointee.resumeTop ?? base
        co.pointee.resumeTop = nil
        var stack0 = stackBase(L)
        L.pointee.top = UInt32(truncatingIfNeeded: ci.pointee.top - stack0)
        // Only whether a hook is installed lives in a local; the hook itself is loaded at the (rare)
        // headers it wants to see, so entering a run retains nothing.
        let hooked = loopHook != nil
        tj_vm_state.tag = UInt32(TJ_VMSTATE_INTERP)
        tj_vm_state.thread = L
        tj_vm_state.proto = cl.pointee.proto
        tj_vm_state.base = UnsafeMutableRawPointer(base).assumingMemoryBound(to: UInt64.self)
        tj_vm_state.pc = pc

        while true {
            if recording {
                ci.pointee.pc = pc
                if !recordStep(pc: pc, base: base, closure: cl, depth: co.pointee.ciCount, top: mtop) {
                    co.pointee.resumeTop = mtop
                    return LoopExit.switchMode
                }
            }
            let ins = pc.pointee
            pc += 1
            let a = Int((ins >> 8) & 0xff)
            let op = unsafeBitCast(UInt8(truncatingIfNeeded: ins), to: Opcode.self)
            // Set by arithmetic and comparisons whose operands are not plain numbers: their one
            // shared slow path runs after the switch (one call site keeps the hot state in
            // registers; a call per opcode made the register allocator spill on the fast paths).
            var slow = false
            switch op {
            // MARK: comparisons
            case .ISLT:
                if let p = compareLT(ins, base, pc, negate: false) { pc = p } else { slow = true }
            case .ISNLT:
                if let p = compareLT(ins, base, pc, negate: true) { pc = p } else { slow = true }
            case .ISLE:
                if let p = compareLE(ins, base, pc, negate: false) { pc = p } else { slow = true }
            case .ISNLE:
                if let p = compareLE(ins, base, pc, negate: true) { pc = p } else { slow = true }
            case .ISEQV:
                if let p = compareEQ(ins, base, pc, negate: false) { pc = p } else { slow = true }
            case .ISNEV:
                if let p = compareEQ(ins, base, pc, negate: true) { pc = p } else { slow = true }
            case .ISEQS:
                pc = branch(pc, base[a].bits == k[Int(ins >> 16)].bits)
            case .ISNES:
                pc = branch(pc, base[a].bits != k[Int(ins >> 16)].bits)
            case .ISEQN:
                let x = base[a]
                pc = branch(pc, x.isNumber && x.number == k[Int(ins >> 16)].number)
            case .ISNEN:
                let x = base[a]
                pc = branch(pc, !(x.isNumber && x.number == k[Int(ins >> 16)].number))
            case .ISEQP:
                pc = branch(pc, base[a].bits == priValue(Int(ins >> 16)).bits)
            case .ISNEP:
                pc = branch(pc, base[a].bits != priValue(Int(ins >> 16)).bits)
            case .IST:
                pc = branch(pc, base[Int(ins >> 16)].isTruthy)
            case .ISF:
                pc = branch(pc, base[Int(ins >> 16)].isFalsy)
            case .ISTC:
                let v = base[Int(ins >> 16)]
                if v.isTruthy { base[a] = v }
                pc = branch(pc, v.isTruthy)
            case .ISFC:
                let v = base[Int(ins >> 16)]
                if v.isFalsy { base[a] = v }
                pc = branch(pc, v.isFalsy)

            // MARK: moves and unary
            case .MOV:
                base[a] = base[Int(ins >> 16)]
            case .NOT:
                base[a] = Value(base[Int(ins >> 16)].isFalsy)
            case .UNM:
                let v = base[Int(ins >> 16)]
                if v.isNumber { base[a] = Value(-v.number) } else {
                    slow = true
                }
            case .LEN:
                let v = base[Int(ins >> 16)]
                if v.isString {
                    base[a] = Value(Double(v.string.pointee.len))
                } else if v.isTable {
                    base[a] = Value(Double(tableLength(v.table)))
                } else {
                    slow = true
                }

            // MARK: arithmetic
            case .ADDVN: slow = !arithVN(.ADDVN, ins, base, k)
            case .SUBVN: slow = !arithVN(.SUBVN, ins, base, k)
            case .MULVN: slow = !arithVN(.MULVN, ins, base, k)
            case .DIVVN: slow = !arithVN(.DIVVN, ins, base, k)
            case .MODVN: slow = !arithVN(.MODVN, ins, base, k)
            case .POWVN: slow = !arithVN(.POWVN, ins, base, k)
            case .ADDNV: slow = !arithNV(.ADDNV, ins, base, k)
            case .SUBNV: slow = !arithNV(.SUBNV, ins, base, k)
            case .MULNV: slow = !arithNV(.MULNV, ins, base, k)
            case .DIVNV: slow = !arithNV(.DIVNV, ins, base, k)
            case .MODNV: slow = !arithNV(.MODNV, ins, base, k)
            case .POWNV: slow = !arithNV(.POWNV, ins, base, k)
            case .ADDVV: slow = !arithVV(.ADDVV, ins, base, k)
            case .SUBVV: slow = !arithVV(.SUBVV, ins, base, k)
            case .MULVV: slow = !arithVV(.MULVV, ins, base, k)
            case .DIVVV: slow = !arithVV(.DIVVV, ins, base, k)
            case .MODVV: slow = !arithVV(.MODVV, ins, base, k)
            case .POWVV: slow = !arithVV(.POWVV, ins, base, k)
            case .CAT:
                ci.pointee.pc = pc
                let bs = Int(ins >> 24), cs = Int((ins >> 16) & 0xff)
                base[a] = try concat(base + bs, count: cs - bs + 1, ci: ci, firstSlot: bs)
                heap.checkGC()

            // MARK: constants
            case .KSTR, .KNUM:
                base[a] = k[Int(ins >> 16)]
            case .KSHORT:
                base[a] = Value(Double(Int16(truncatingIfNeeded: ins >> 16)))
            case .KPRI:
                base[a] = priValue(Int(ins >> 16))
            case .KNIL:
                var i = a
                let e = Int(ins >> 16)
                while i <= e { base[i] = .nil; i += 1 }

            // MARK: upvalues and closures
            case .UGET:
                base[a] = Value(bits: upvalue(cl, Int(ins >> 16)).pointee.v.pointee)
            case .USET:
                upvalue(cl, a).pointee.v.pointee = base[Int(ins >> 16)].bits
            case .UCLO:
                if L.pointee.openupval != nil { closeUpvalues(L, level: base + a) }
                pc += Int(ins >> 16) &- 0x8000
            case .FNEW:
                ci.pointee.pc = pc
                base[a] = try newClosure(L, parent: cl, base: base, child: Int(ins >> 16))
                heap.checkGC()

            // MARK: tables
            case .TNEW:
                ci.pointee.pc = pc
                base[a] = Value(try newTable(narray: Int(ins >> 24), nhash: Int((ins >> 16) & 0xff)))
                heap.checkGC()
            case .GGET:
                let key = k[Int(ins >> 16)]
                let env = cl.pointee.env.unsafelyUnwrapped
                let v = tableGetStr(env, key.string)
                if !v.isNil || env.pointee.metatable == nil { base[a] = v } else {
                    slow = true
                }
            case .GSET:
                let key = k[Int(ins >> 16)]
                let env = cl.pointee.env.unsafelyUnwrapped
                if let p = env.slot(str: key.string), !p.pointee.isNil { p.pointee = base[a]; continue }
                slow = true
            case .TGETV:
                let bs = Int(ins >> 24)
                let t = base[bs], key = base[Int((ins >> 16) & 0xff)]
                if t.isTable {
                    let tab = t.table
                    var v = Value.nil
                    if key.isNumber {
                        let i = arrayIndex(key.number)
                        if UInt(bitPattern: i &- 1) < UInt(tab.pointee.asize) {
                            v = Value(bits: tab.pointee.array.unsafelyUnwrapped[i &- 1])
                        } else {
                            v = tableGet(tab, key)
                        }
                    } else if key.isString {
                        v = tableGetStr(tab, key.string)
                    } else {
                        v = tableGet(tab, key)
                    }
                    if !v.isNil || tab.pointee.metatable == nil { base[a] = v; continue }
                }
                slow = true
            case .TGETS:
                let bs = Int(ins >> 24)
                let t = base[bs], key = k[Int((ins >> 16) & 0xff)]
                if t.isTable {
                    let tab = t.table
                    let v = tableGetStr(tab, key.string)
                    if !v.isNil || tab.pointee.metatable == nil { base[a] = v; continue }
                }
                slow = true
            case .TGETB:
                let bs = Int(ins >> 24)
                let t = base[bs]
                let i = Int((ins >> 16) & 0xff)
                if t.isTable {
                    let tab = t.table
                    let v = UInt(bitPattern: i &- 1) < UInt(tab.pointee.asize)
                        ? Value(bits: tab.pointee.array.unsafelyUnwrapped[i &- 1]) : tableGet(tab, Value(Double(i)))
                    if !v.isNil || tab.pointee.metatable == nil { base[a] = v; continue }
                }
                slow = true
            case .TSETV:
                let bs = Int(ins >> 24)
                let t = base[bs], key = base[Int((ins >> 16) & 0xff)]
                if t.isTable && key.isNumber {
                    let tab = t.table
                    let i = arrayIndex(key.number)
                    if UInt(bitPattern: i &- 1) < UInt(tab.pointee.asize) {
                        let arr = tab.pointee.array.unsafelyUnwrapped
                        if arr[i &- 1] != Value.nil.bits || tab.pointee.metatable == nil {
                            arr[i &- 1] = base[a].bits
                            continue
                        }
                    }
                }
                slow = true
            case .TSETS:
                let bs = Int(ins >> 24)
                let t = base[bs], key = k[Int((ins >> 16) & 0xff)]
                if t.isTable, let p = t.table.slot(str: key.string), !p.pointee.isNil {
                    p.pointee = base[a]
                    continue
                }
                slow = true
            case .TSETB:
                let bs = Int(ins >> 24)
                let t = base[bs]
                let i = Int((ins >> 16) & 0xff)
                if t.isTable {
                    let tab = t.table
                    if UInt(bitPattern: i &- 1) < UInt(tab.pointee.asize)
                        && (tab.pointee.array.unsafelyUnwrapped[i &- 1] != Value.nil.bits || tab.pointee.metatable == nil) {
                        tab.pointee.array.unsafelyUnwrapped[i &- 1] = base[a].bits
                        continue
                    }
                }
                slow = true
            case .SETLIST:
                let first = base + a + 1
                let n = Int(ins >> 24) == 0 ? mtop - first : Int(ins >> 24) - 1
                var batch = Int((ins >> 16) & 0xff)
                if batch == 0 {
                    let x = pc.pointee
                    batch = Int((x >> 8) & 0xff) << 16 | Int(x >> 16)
                    pc += 1
                }
                ci.pointee.pc = pc
                if n > 0 {
                    let hi = first + n
                    if hi > ci.pointee.top { L.pointee.top = UInt32(hi - stack0) }
                    try setList(base[a].table, first, n, start: (batch - 1) * Limits.fieldsPerFlush + 1)
                    L.pointee.top = UInt32(truncatingIfNeeded: ci.pointee.top - stack0)
                }

            // MARK: calls
            case .CALL, .ITERC:
                let fnp = base + a
                var nargs: Int
                if op == .ITERC {
                    fnp[0] = fnp[-3]; fnp[1] = fnp[-2]; fnp[2] = fnp[-1]
                    nargs = 2
                } else {
                    let b = Int(ins >> 24)
                    nargs = b == 0 ? mtop - fnp - 1 : b - 1
                }
                let wanted = Int32(Int((ins >> 16) & 0xff)) - 1
                ci.pointee.pc = pc
                var f = fnp.pointee
                if !f.isFunction {
                    f = try callMetamethod(fnp, nargs: &nargs, ci: ci, slot: a, isIter: op == .ITERC)
                }
                if f.isLuaFunction {
                    let nf = f.luaFunction
                    let p = nf.pointee.proto.unsafelyUnwrapped
                    let newBase = fnp + 1
                    let top = newBase + Int(p.pointee.framesize)
                    if p.pointee.isvararg == 0 && addr(top + InterpLimits.stackMargin) <= addr(co.pointee.stackLimit)
                        && co.pointee.ciCount < co.pointee.ciCap {
                        // Fast path: a fixed-arity Lua callee.
                        var i = nargs
                        let np = Int(p.pointee.numparams)
                        while i < np { newBase[i] = .nil; i += 1 }
                        ci += 1
                        co.pointee.ciCount &+= 1
                        ci.pointee = (CallInfo(fn: fnp, base: newBase, top: top, pc: p.pointee.code.unsafelyUnwrapped,
                                                   closure: nf, nresults: wanted, flags: CIFlag.lua, nvarargs: 0, handler: .nil))
                        if addr(top) > addr(co.pointee.highWater) { co.pointee.highWater = top }
                        cl = nf
                        k = UnsafePointer<Value>(OpaquePointer(p.pointee.k.unsafelyUnwrapped))
                        base = newBase
                        pc = p.pointee.code.unsafelyUnwrapped
                        tj_vm_state.proto = p
                        tj_vm_state.pc = pc
                        if hooked, recording || jitWantsEntry(p) {
                            if functionEntryHook() {
                                (ci, cl, k, base, pc) = LuaVM.frameState(co)
                                if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                            }
                            if jitRecording != recording { co.pointee.resumeTop = mtop; return LoopExit.switchMode }
                        }
                        continue
                    }
                    try enterLua(L, co, fn: fnp, nargs: nargs, wanted: wanted, flags: CIFlag.lua)
                    (ci, cl, k, base, pc) = LuaVM.frameState(co)
                    if hooked, recording || jitWantsEntry(cl.pointee.proto.unsafelyUnwrapped) {
                        if functionEntryHook() {
                            (ci, cl, k, base, pc) = LuaVM.frameState(co)
                            if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                        }
                        if jitRecording != recording { co.pointee.resumeTop = mtop; return LoopExit.switchMode }
                    }
                } else {
                    // coroutine.resume, coroutine.yield and wrap functions (consecutive builtin
                    // ids) switch coroutines right here when they can (Coroutines.swift).
                    let n: Int
                    let id = Int(f.nativeFunction.pointee.builtin)
                    if UInt(bitPattern: id &- coSwitchBase) < 3,
                       let r = try coroutineCall(L, co, fn: fnp, nargs: nargs, wanted: wanted, id: id) {
                        n = r
                    } else {
                        n = try callNative(L, co, fn: fnp, nargs: nargs, wanted: wanted, inLoop: true, tail: false)
                    }
                    if n >= 0 {
                        if wanted < 0 { mtop = fnp + n }
                        L.pointee.top = UInt32(truncatingIfNeeded: ci.pointee.top - stack0)
                    } else if n == -2 {
                        (ci, cl, k, base, pc) = LuaVM.frameState(co)  // pcall entered a Lua frame
                    } else if n == -3 {
                        // A resume or yield switched coroutines: go on in the current one.
                        L = currentThread; co = coState(L); stack0 = stackBase(L)
                        (ci, cl, k, base, pc) = LuaVM.frameState(co)
                        if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                        L.pointee.top = UInt32(truncatingIfNeeded: ci.pointee.top - stack0)
                    } else {
                        return LoopExit.yielded  // yielded
                    }
                }
            case .TAILCALL:
                let fnp = base + a
                let b = Int(ins >> 24)
                var nargs = b == 0 ? mtop - fnp - 1 : b - 1
                ci.pointee.pc = pc
                var f = fnp.pointee
                if !f.isFunction {
                    f = try callMetamethod(fnp, nargs: &nargs, ci: ci, slot: a, isIter: false)
                }
                if f.isLuaFunction {
                    if let u = L.pointee.openupval, addr(u.pointee.v) >= addr(base) { closeUpvalues(L, level: base) }
                    // Move the callee and its arguments down to this frame's function slot; the new
                    // frame inherits this one's result destination, flags and handler.
                    let dst = ci.pointee.fn
                    var i = 0
                    while i <= nargs { dst[i] = fnp[i]; i += 1 }
                    let wanted = ci.pointee.nresults
                    let flags = ci.pointee.flags | CIFlag.tail
                    let handler = ci.pointee.handler
                    co.pointee.ciCount &-= 1
                    try enterLua(L, co, fn: dst, nargs: nargs, wanted: wanted, flags: flags, handler: handler)
                    (ci, cl, k, base, pc) = LuaVM.frameState(co)
                    if hooked, recording || jitWantsEntry(cl.pointee.proto.unsafelyUnwrapped) {
                        if functionEntryHook() {
                            (ci, cl, k, base, pc) = LuaVM.frameState(co)
                            if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                        }
                        if jitRecording != recording { co.pointee.resumeTop = mtop; return LoopExit.switchMode }
                    }
                } else if f.isNativeFunction && nargs >= 1 && fnp[1].isLuaFunction
                            && ci.pointee.flags & (CIFlag.pcall | CIFlag.xpcall) == 0
                            && (nargs < 2 || fnp[2].isFunction)
                            && (Int(f.nativeFunction.pointee.builtin) == BuiltinID.pcall
                                || (Int(f.nativeFunction.pointee.builtin) == BuiltinID.xpcall && nargs >= 2)) {
                    // `return pcall(f, ...)`: replace this frame by a protected frame for f, so
                    // yields can cross it as with a plain call.
                    if let u = L.pointee.openupval, addr(u.pointee.v) >= addr(base) { closeUpvalues(L, level: base) }
                    let dst = ci.pointee.fn
                    var i = 0
                    while i <= nargs { dst[i] = fnp[i]; i += 1 }
                    let wanted = ci.pointee.nresults
                    let keep = ci.pointee.flags & CIFlag.reentry
                    let isX = Int(f.nativeFunction.pointee.builtin) == BuiltinID.xpcall
                    co.pointee.ciCount &-= 1
                    _ = try enterProtected(L, co, fn: dst, nargs: nargs, wanted: wanted, xpcall: isX)
                    co.pointee.cis[co.pointee.ciCount - 1].flags |= keep | CIFlag.tail
                    (ci, cl, k, base, pc) = LuaVM.frameState(co)
                } else {
                    // A native: call it, then return its results.
                    let n = try callNative(L, co, fn: fnp, nargs: nargs, wanted: -1, inLoop: false, tail: true)
                    if n < 0 {
                        if n != -3 { return LoopExit.yielded }
                        // A yield switched back to the resumer (see CALL).
                        L = currentThread; co = coState(L); stack0 = stackBase(L)
                        (ci, cl, k, base, pc) = LuaVM.frameState(co)
                        if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                        L.pointee.top = UInt32(truncatingIfNeeded: ci.pointee.top - stack0)
                        continue
                    }
                    if let u = L.pointee.openupval, addr(u.pointee.v) >= addr(base) { closeUpvalues(L, level: base) }
                    if try finishReturn(L, co, &ci, src: fnp, count: n, mtop: &mtop) {
                        // The run's entry frame returned, or the base frame of a coroutine resumed
                        // in the loop: back to its resumer.
                        if co.pointee.resumer == nil || co.pointee.ciCount != 0 { return LoopExit.returned }
                        try coroutineFinished(L, co)
                        L = currentThread; co = coState(L); stack0 = stackBase(L)
                        (ci, cl, k, base, pc) = LuaVM.frameState(co)
                        if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                        L.pointee.top = UInt32(truncatingIfNeeded: ci.pointee.top - stack0)
                        continue
                    }
                    (ci, cl, k, base, pc) = LuaVM.frameState(co)
                }
            case .VARG:
                let nva = Int(ci.pointee.nvarargs)
                let src = base - 1 - nva
                let b = Int(ins >> 24)
                let dst = base + a
                if b == 0 {
                    if dst + nva + InterpLimits.stackMargin > co.pointee.stackLimit {
                        ci.pointee.pc = pc; throw runtimeError("stack overflow", ci: ci)
                    }
                    var i = 0
                    while i < nva { dst[i] = src[i]; i += 1 }
                    mtop = dst + nva
                } else {
                    var i = 0
                    while i < b - 1 { dst[i] = i < nva ? src[i] : .nil; i += 1 }
                }
            case .SELF:
                let bs = Int(ins >> 24)
                let obj = base[bs], key = k[Int((ins >> 16) & 0xff)]
                base[a + 1] = obj
                if obj.isTable {
                    let tab = obj.table
                    let v = tableGetStr(tab, key.string)
                    if !v.isNil || tab.pointee.metatable == nil { base[a] = v; continue }
                }
                slow = true
            case .RET1 where ci.pointee.flags & ~CIFlag.tail == CIFlag.lua && ci.pointee.nresults == 1
                                && (L.pointee.openupval == nil || addr(L.pointee.openupval.unsafelyUnwrapped.pointee.v) < addr(base)):
                // The commonest return: one value to a caller that wants one.
                ci.pointee.fn[0] = base[a]
                co.pointee.ciCount &-= 1
                ci -= 1
                cl = ci.pointee.closure.unsafelyUnwrapped
                let p = cl.pointee.proto.unsafelyUnwrapped
                k = UnsafePointer<Value>(OpaquePointer(p.pointee.k.unsafelyUnwrapped))
                base = ci.pointee.base
                pc = ci.pointee.pc
                tj_vm_state.proto = p
                tj_vm_state.pc = pc
            case .RET, .RET0, .RET1:
                let src = base + a
                let n: Int
                switch op {
                case .RET0: n = 0
                case .RET1: n = 1
                default:
                    let b = Int(ins >> 24)
                    n = b == 0 ? mtop - src : b - 1
                }
                if let u = L.pointee.openupval, addr(u.pointee.v) >= addr(base) { closeUpvalues(L, level: base) }
                let flags = ci.pointee.flags
                if flags == CIFlag.lua || flags == CIFlag.lua | CIFlag.tail {
                    // Fast path: plain Lua-to-Lua return.
                    let dst = ci.pointee.fn
                    let wanted = Int(ci.pointee.nresults)
                    if wanted < 0 {
                        var i = 0
                        while i < n { dst[i] = src[i]; i += 1 }
                        mtop = dst + n
                    } else {
                        var i = 0
                        while i < wanted { dst[i] = i < n ? src[i] : .nil; i += 1 }
                    }
                    co.pointee.ciCount &-= 1
                    ci -= 1
                    cl = ci.pointee.closure.unsafelyUnwrapped
                    let p = cl.pointee.proto.unsafelyUnwrapped
                    k = UnsafePointer<Value>(OpaquePointer(p.pointee.k.unsafelyUnwrapped))
                    base = ci.pointee.base
                    pc = ci.pointee.pc
                    tj_vm_state.proto = p
                    tj_vm_state.pc = pc
                } else {
                    if try finishReturn(L, co, &ci, src: src, count: n, mtop: &mtop) {
                        // The run's entry frame returned, or the base frame of a coroutine resumed
                        // in the loop: back to its resumer.
                        if co.pointee.resumer == nil || co.pointee.ciCount != 0 { return LoopExit.returned }
                        try coroutineFinished(L, co)
                        L = currentThread; co = coState(L); stack0 = stackBase(L)
                        (ci, cl, k, base, pc) = LuaVM.frameState(co)
                        if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                        L.pointee.top = UInt32(truncatingIfNeeded: ci.pointee.top - stack0)
                    } else {
                        (ci, cl, k, base, pc) = LuaVM.frameState(co)
                    }
                }

            // MARK: loops
            case .FORPREP:
                ci.pointee.pc = pc
                let idx = try forNumber(base[a], "initial value", ci: ci)
                let limit = try forNumber(base[a + 1], "limit", ci: ci)
                let step = try forNumber(base[a + 2], "step", ci: ci)
                base[a] = Value(idx); base[a + 1] = Value(limit); base[a + 2] = Value(step)
                if step > 0 ? idx <= limit : idx >= limit {
                    base[a + 3] = Value(idx)
                } else {
                    pc += Int(ins >> 16) &- 0x8000
                }
            case .FORLOOP:
                let step = base[a + 2].number
                let idx = base[a].number + step
                if step > 0 ? idx <= base[a + 1].number : idx >= base[a + 1].number {
                    base[a] = Value(idx)
                    base[a + 3] = Value(idx)
                    pc += Int(ins >> 16) &- 0x8000
                    tj_vm_state.pc = pc
                    if hooked, recording || jitWants(cl, pc), let h = loopHook {
                        ci.pointee.pc = pc
                        if h.loopHeader(self, pc: pc) {
                            (ci, cl, k, base, pc) = LuaVM.frameState(co)
                            if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                        }
                        if jitRecording != recording { co.pointee.resumeTop = mtop; return LoopExit.switchMode }
                    }
                }
            case .ITERL:
                let v = base[a]
                if !v.isNil {
                    base[a - 1] = v
                    pc += Int(ins >> 16) &- 0x8000
                    tj_vm_state.pc = pc
                    if hooked, recording || jitWants(cl, pc), let h = loopHook {
                        ci.pointee.pc = pc
                        if h.loopHeader(self, pc: pc) {
                            (ci, cl, k, base, pc) = LuaVM.frameState(co)
                            if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                        }
                        if jitRecording != recording { co.pointee.resumeTop = mtop; return LoopExit.switchMode }
                    }
                }
            case .LOOP:
                tj_vm_state.pc = pc
                if hooked, recording || jitWants(cl, pc), let h = loopHook {
                        ci.pointee.pc = pc
                        if h.loopHeader(self, pc: pc) {
                            (ci, cl, k, base, pc) = LuaVM.frameState(co)
                            if let t = co.pointee.resumeTop { mtop = t; co.pointee.resumeTop = nil }
                        }
                        if jitRecording != recording { co.pointee.resumeTop = mtop; return LoopExit.switchMode }
                    }
            case .JMP:
                pc += Int(ins >> 16) &- 0x8000
            case .EXTRAARG:
                break
            }
            if _slowPath(slow) { pc = try slowInstruction(ins, pc, base, k, ci) }
        }
    }

    /// Calls the recorder before the instruction at pc; false once recording stopped.
    @inline(never)
    func recordStep(pc: UnsafePointer<UInt32>, base: UnsafeMutablePointer<Value>, closure: LFuncRef, depth: Int,
                    top: UnsafeMutablePointer<Value>) -> Bool {
        guard jitRecording, let r = recordHook else { return false }
        if !r.record(self, pc: pc, base: base, closure: closure, depth: depth, top: top) { return false }
        return jitRecording
    }

    /// Calls the JIT at a function entry (the new frame is the top frame, at its first
    /// instruction); true when a trace ran and the frame must be reloaded.
    @inline(never)
    func functionEntryHook() -> Bool {
        guard let h = loopHook else { return false }
        return h.functionEntry(self)
    }

    /// The running frame's state after a call or return: (ci, closure, constants, base, pc).
    /// Also publishes the frame for the sampler.
    @inline(__always)
    static func frameState(_ co: CoPtr) -> (UnsafeMutablePointer<CallInfo>, LFuncRef, UnsafePointer<Value>,
                                             UnsafeMutablePointer<Value>, UnsafePointer<UInt32>) {
        let ci = co.pointee.cis + (co.pointee.ciCount &- 1)
        let cl = ci.pointee.closure.unsafelyUnwrapped
        let p = cl.pointee.proto.unsafelyUnwrapped
        let k = UnsafePointer<Value>(OpaquePointer(p.pointee.k.unsafelyUnwrapped))
        let base = ci.pointee.base
        let pc = ci.pointee.pc
        tj_vm_state.proto = p
        tj_vm_state.base = UnsafeMutableRawPointer(base).assumingMemoryBound(to: UInt64.self)
        tj_vm_state.pc = pc
        return (ci, cl, k, base, pc)
    }

    /// Completes a return through the general path: pcall frames (prefix `true`), reentry frames
    /// (end of this run) and native callers. Returns true when the run must return.
    @inline(never)
    func finishReturn(_ L: ThreadRef, _ co: CoPtr, _ ci: inout UnsafeMutablePointer<CallInfo>,
                      src: UnsafeMutablePointer<Value>, count n: Int,
                      mtop: inout UnsafeMutablePointer<Value>) throws -> Bool {
        let flags = ci.pointee.flags
        var dst = ci.pointee.fn
        let wanted = Int(ci.pointee.nresults)
        var total = n
        if flags & (CIFlag.pcall | CIFlag.xpcall) != 0 {
            dst -= 1
            // Shift results up to make room for `true` (dst+1 may equal src - k for any k >= 1).
            var i = 0
            while i < n { dst[1 + i] = src[i]; i += 1 }
            dst[0] = .true
            total = n + 1
        } else {
            var i = 0
            while i < n { dst[i] = src[i]; i += 1 }
        }
        if wanted >= 0 {
            var i = total
            while i < wanted { dst[i] = .nil; i += 1 }
            total = wanted
        }
        co.pointee.ciCount &-= 1
        if flags & CIFlag.reentry != 0 {
            co.pointee.nres = total
            return true
        }
        ci = co.pointee.cis + (co.pointee.ciCount - 1)
        if wanted < 0 { mtop = dst + total }
        return false
    }
}

// MARK: instruction bodies shared by several opcodes (inlined with a constant opcode, so each
// opcode gets its own copy and there is no second dispatch on the opcode)

@inline(__always) func arithOp(_ op: Opcode, _ p: Double, _ q: Double) -> Double {
    switch op {
    case .ADDVN, .ADDNV, .ADDVV: return p + q
    case .SUBVN, .SUBNV, .SUBVV: return p - q
    case .MULVN, .MULNV, .MULVV: return p * q
    case .DIVVN, .DIVNV, .DIVVV: return p / q
    case .MODVN, .MODNV, .MODVV: return luaMod(p, q)
    default: return luaPow(p, q)
    }
}

extension LuaVM {
    /// A = B op K[C] on numbers; false when the slow path must run.
    @inline(__always)
    func arithVN(_ op: Opcode, _ ins: UInt32, _ base: UnsafeMutablePointer<Value>, _ k: UnsafePointer<Value>) -> Bool {
        let x = base[Int(ins >> 24)], y = k[Int((ins >> 16) & 0xff)]
        guard x.isNumber else { return false }
        base[Int((ins >> 8) & 0xff)] = Value(arithOp(op, x.number, y.number))
        return true
    }

    /// A = K[C] op B on numbers.
    @inline(__always)
    func arithNV(_ op: Opcode, _ ins: UInt32, _ base: UnsafeMutablePointer<Value>, _ k: UnsafePointer<Value>) -> Bool {
        let x = base[Int(ins >> 24)], y = k[Int((ins >> 16) & 0xff)]
        guard x.isNumber else { return false }
        base[Int((ins >> 8) & 0xff)] = Value(arithOp(op, y.number, x.number))
        return true
    }

    /// A = B op C on numbers.
    @inline(__always)
    func arithVV(_ op: Opcode, _ ins: UInt32, _ base: UnsafeMutablePointer<Value>, _ k: UnsafePointer<Value>) -> Bool {
        let x = base[Int(ins >> 24)], y = base[Int((ins >> 16) & 0xff)]
        guard x.isNumber && y.isNumber else { return false }
        base[Int((ins >> 8) & 0xff)] = Value(arithOp(op, x.number, y.number))
        return true
    }

    /// ISLT / ISNLT on numbers: the pc after the test and its JMP; nil for the slow path.
    @inline(__always)
    func compareLT(_ ins: UInt32, _ base: UnsafeMutablePointer<Value>, _ pc: UnsafePointer<UInt32>,
                   negate: Bool) -> UnsafePointer<UInt32>? {
        let x = base[Int((ins >> 8) & 0xff)], y = base[Int(ins >> 16)]
        guard x.isNumber && y.isNumber else { return nil }
        let r = x.number < y.number
        return branch(pc, negate ? !r : r)
    }

    /// ISLE / ISNLE on numbers.
    @inline(__always)
    func compareLE(_ ins: UInt32, _ base: UnsafeMutablePointer<Value>, _ pc: UnsafePointer<UInt32>,
                   negate: Bool) -> UnsafePointer<UInt32>? {
        let x = base[Int((ins >> 8) & 0xff)], y = base[Int(ins >> 16)]
        guard x.isNumber && y.isNumber else { return nil }
        let r = x.number <= y.number
        return branch(pc, negate ? !r : r)
    }

    /// ISEQV / ISNEV, except two distinct tables or two distinct userdata (the __eq slow path).
    @inline(__always)
    func compareEQ(_ ins: UInt32, _ base: UnsafeMutablePointer<Value>, _ pc: UnsafePointer<UInt32>,
                   negate: Bool) -> UnsafePointer<UInt32>? {
        let x = base[Int((ins >> 8) & 0xff)], y = base[Int(ins >> 16)]
        var r: Bool
        if x.isNumber && y.isNumber {
            r = x.number == y.number
        } else if x.bits == y.bits {
            r = true
        } else if (x.isTable && y.isTable) || (x.isUserdata && y.isUserdata) {
            return nil
        } else {
            r = false
        }
        return branch(pc, negate ? !r : r)
    }

    /// The slow path of arithmetic, comparison, length and table instructions (operands that are
    /// not both numbers, misses on tables with metatables, non-tables: coercion, metamethods,
    /// errors). The operands are read again from the registers, which the fast path left as they
    /// were. Returns the next pc.
    @inline(never)
    func slowInstruction(_ ins: UInt32, _ pc: UnsafePointer<UInt32>, _ base: UnsafeMutablePointer<Value>,
                         _ k: UnsafePointer<Value>, _ ci: UnsafeMutablePointer<CallInfo>) throws -> UnsafePointer<UInt32> {
        ci.pointee.pc = pc
        let op = unsafeBitCast(UInt8(truncatingIfNeeded: ins), to: Opcode.self)
        let a = Int((ins >> 8) & 0xff), bs = Int(ins >> 24), c = Int((ins >> 16) & 0xff), d = Int(ins >> 16)
        switch op {
        case .ADDVN, .SUBVN, .MULVN, .DIVVN, .MODVN, .POWVN:
            base[a] = try arithSlow(op, base[bs], k[c], ci: ci, bslot: bs, cslot: -1)
        case .ADDNV, .SUBNV, .MULNV, .DIVNV, .MODNV, .POWNV:
            base[a] = try arithSlow(op, k[c], base[bs], ci: ci, bslot: -1, cslot: bs)
        case .ADDVV, .SUBVV, .MULVV, .DIVVV, .MODVV, .POWVV:
            base[a] = try arithSlow(op, base[bs], base[c], ci: ci, bslot: bs, cslot: c)
        case .ISLT, .ISNLT:
            let r = try lessThan(base[a], base[d])
            return branch(pc, op == .ISNLT ? !r : r)
        case .ISLE, .ISNLE:
            let r = try lessEqual(base[a], base[d])
            return branch(pc, op == .ISNLE ? !r : r)
        case .ISEQV, .ISNEV:
            let r = try equalSlow(base[a], base[d])
            return branch(pc, op == .ISNEV ? !r : r)
        case .UNM:
            let v = base[d]
            base[a] = try arithSlow(.UNM, v, v, ci: ci, bslot: d, cslot: -1)
        case .LEN:
            base[a] = try lengthSlow(base[d], ci: ci, slot: d)
        case .GGET:
            let env = ci.pointee.closure.unsafelyUnwrapped.pointee.env.unsafelyUnwrapped
            base[a] = try indexSlow(Value(env), k[d], ci: ci, slot: -1)
        case .GSET:
            let env = ci.pointee.closure.unsafelyUnwrapped.pointee.env.unsafelyUnwrapped
            try storeStr(env, k[d], base[a], ci: ci)
        case .TGETV:
            base[a] = try indexSlow(base[bs], base[c], ci: ci, slot: bs)
        case .TGETS, .SELF:
            base[a] = try indexSlow(base[bs], k[c], ci: ci, slot: bs)
        case .TGETB:
            base[a] = try indexSlow(base[bs], Value(Double(c)), ci: ci, slot: bs)
        case .TSETV:
            try store(base[bs], base[c], base[a], ci: ci, slot: bs)
        case .TSETS:
            let t = base[bs]
            if t.isTable {
                try storeStr(t.table, k[c], base[a], ci: ci)
            } else {
                try store(t, k[c], base[a], ci: ci, slot: bs)
            }
        case .TSETB:
            try store(base[bs], Value(Double(c)), base[a], ci: ci, slot: bs)
        default:
            break
        }
        return pc
    }
}

/// Whether the loop hook wants to see the header before `pc`: the prototype's JIT byte for pc is
/// nonzero, or the JIT has not given the prototype its bytes yet.
@inline(__always) func jitWants(_ cl: LFuncRef, _ pc: UnsafePointer<UInt32>) -> Bool {
    let p = cl.pointee.proto.unsafelyUnwrapped
    guard let j = p.pointee.jit else { return true }
    return j.load(fromByteOffset: pc - p.pointee.code.unsafelyUnwrapped, as: UInt8.self) != 0
}

/// Whether the JIT wants to see an entry of a function of prototype p: its JIT byte for pc 0 is
/// nonzero (no loop header is at pc 0), or the JIT has not given the prototype its bytes yet.
@inline(__always) func jitWantsEntry(_ p: ProtoRef) -> Bool {
    guard let j = p.pointee.jit else { return true }
    return j.load(as: UInt8.self) != 0
}

@inline(__always) func upvalue(_ cl: LFuncRef, _ i: Int) -> UpvalRef {
    cl.upvalues[i].unsafelyUnwrapped
}

@inline(__always) func luaPow(_ a: Double, _ b: Double) -> Double {
    if b == 2 { return a * a }
    return Glibc.pow(a, b)
}

import Glibc
