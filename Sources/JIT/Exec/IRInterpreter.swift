// The IR interpreter: runs a trace instruction by instruction on unboxed values. It is the
// reference backend (`--jit-backend=ir`): slow, but it defines what every IR instruction means, and
// the x86-64 backend and every optimization pass are tested against it.
import Bytecode
import CVM
import Glibc
import Runtime

/// How a run of a trace ended.
public enum TraceExit {
    /// A guard failed; the state is that of snapshot `snap`.
    case exit(snap: Int)
    /// The trace reached its end (link .trace or .interpreter): the state is its last snapshot.
    case end(snap: Int)
}

public final class IRInterpreter {
    public let vm: LuaVM
    var values: [UInt64] = []
    /// Results of CALLN instructions (by ref) for CALLRES.
    var callResults: [Int: [Value]] = [:]

    public init(vm: LuaVM) { self.vm = vm }

    /// The unboxed value of `r` after a run (constants included).
    @inline(__always) public func value(_ r: IRRef, in t: Trace) -> UInt64 {
        r < 0 ? t.consts[Int(~r)].bits : values[Int(r)]
    }

    /// Runs `t` with its base frame's registers at `base` until a guard fails or the trace ends.
    /// A helper that fails (out of memory) exits like a failing guard of its instruction.
    /// The base frame at the last exit (a RETF moves it down).
    public private(set) var exitBase: UnsafeMutablePointer<Value>?

    public func run(_ t: Trace, base base0: UnsafeMutablePointer<Value>) throws -> TraceExit {
        var base = base0
        exitBase = base
        let n = t.ins.count
        if values.count < n { values = [UInt64](repeating: 0, count: n) }
        let loopStart = t.loopStart
        var i = 0
        while true {
            if i == n {
                // The back-edge (or the end of a linking trace).
                let last = t.snapshots.count - 1
                switch t.link {
                case .loop:
                    if let ls = loopStart {
                        applyPHIs(t, from: ls + 1)
                        i = ls + 1
                    } else {
                        // Not peeled: write the loop-end state back and start over.
                        try writeBack(t, snap: last, base: base)
                        i = 0
                    }
                    // No collection check here: a trace that allocates has a GCSTEP before the
                    // back-edge, and machine code checks only there too (an extra exit here made
                    // the backends grow different side traces).
                    continue
                default:
                    return .end(snap: last)
                }
            }
            let ins = t.ins[i]
            if ins.op == .RETF {
                let cl = ExitRestore.closure(t, ins.a)
                let pc = cl.pointee.proto.unsafelyUnwrapped.pointee.code.unsafelyUnwrapped + Int(ins.b)
                if !vm.jitReturnToCaller(closure: cl, pc: pc) { return .exit(snap: Int(ins.snap)) }
                base -= Int(ins.c)
                exitBase = base
                i += 1
                continue
            }
            do {
                if let s = try step(t, ins, i, base) { return .exit(snap: s) }
            } catch {
                // A helper failed (out of memory): exit before the instruction, as machine code
                // does (its guard's snapshot, else the newest one taken before it); the
                // interpreter redoes it and raises the error itself.
                return .exit(snap: ins.isGuard ? Int(ins.snap) : snapshot(before: i, in: t))
            }
            i += 1
        }
    }

    /// Which snapshot an exception inside instruction i leaves: the newest one taken before it.
    public func snapshot(before i: Int, in t: Trace) -> Int {
        var s = 0
        for (k, sn) in t.snapshots.enumerated() where Int(sn.ref) <= i { s = k }
        return s
    }

    /// The values of a CARG chain, in order.
    func collectArgs(_ t: Trace, _ r: IRRef, into out: inout [Value]) {
        if r == noRef { return }
        if r >= 0 && t.ins[Int(r)].op == .CARG {
            collectArgs(t, t.ins[Int(r)].a, into: &out)
            out.append(boxed(t.ins[Int(r)].b, t))
        } else {
            out.append(boxed(r, t))
        }
    }

    func applyPHIs(_ t: Trace, from start: Int) {
        var pairs: [(IRRef, UInt64)] = []
        for j in start..<t.ins.count where t.ins[j].op == .PHI {
            let ins = t.ins[j]
            pairs.append((ins.a, value(ins.b, in: t)))
        }
        for (l, v) in pairs { values[Int(l)] = v }
    }

    func writeBack(_ t: Trace, snap: Int, base: UnsafeMutablePointer<Value>) throws {
        for e in t.snapshots[snap].entries {
            base[Int(e.slot)] = t.type(of: e.ref).box(value(e.ref, in: t))
        }
    }

    @inline(__always) func num(_ r: IRRef, _ t: Trace) -> Double { Double(bitPattern: value(r, in: t)) }
    @inline(__always) func int(_ r: IRRef, _ t: Trace) -> Int32 { Int32(truncatingIfNeeded: value(r, in: t)) }
    @inline(__always) func ptr(_ r: IRRef, _ t: Trace) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(value(r, in: t))).unsafelyUnwrapped
    }
    @inline(__always) func boxed(_ r: IRRef, _ t: Trace) -> Value { t.type(of: r).box(value(r, in: t)) }

    /// A typed load: checks the type when the instruction is a guard. Returns false on mismatch.
    @inline(__always) func setLoaded(_ i: Int, _ ins: IRIns, _ v: Value) -> Bool {
        if ins.isGuard && IRType.of(v) != ins.type { return false }
        values[i] = ins.type.unbox(v)
        return true
    }

    @inline(__always) func setNum(_ i: Int, _ d: Double) { values[i] = d.bitPattern }
    @inline(__always) func setInt(_ i: Int, _ x: Int32) { values[i] = UInt64(bitPattern: Int64(x)) }

    /// Runs one instruction; returns the snapshot to exit through when a guard fails.
    func step(_ t: Trace, _ ins: IRIns, _ i: Int, _ base: UnsafeMutablePointer<Value>) throws -> Int? {
        let fail = Int(ins.snap)
        switch ins.op {
        case .LT, .NLT, .LE, .NLE:
            // Numbers as doubles (false when unordered), ints signed.
            let holds: Bool
            if t.type(of: ins.a) == .int {
                let x = int(ins.a, t), y = int(ins.b, t)
                holds = ins.op == .LT ? x < y : (ins.op == .NLT ? !(x < y) : (ins.op == .LE ? x <= y : !(x <= y)))
            } else {
                let x = num(ins.a, t), y = num(ins.b, t)
                holds = ins.op == .LT ? x < y : (ins.op == .NLT ? !(x < y) : (ins.op == .LE ? x <= y : !(x <= y)))
            }
            if !holds { return fail }
        case .EQ, .NE:
            let eq: Bool
            if t.type(of: ins.a) == .num { eq = num(ins.a, t) == num(ins.b, t) } else { eq = value(ins.a, in: t) == value(ins.b, in: t) }
            if eq != (ins.op == .EQ) { return fail }
        case .ABC:
            if !(UInt32(bitPattern: int(ins.a, t)) < UInt32(bitPattern: int(ins.b, t))) { return fail }

        case .SLOAD:
            if ins.type == .int {
                // A narrowed number slot: an integer in int32 range, not -0.
                guard let k = JITMath.narrowInt(base[Int(ins.c)]) else { return fail }
                setInt(i, k)
            } else if !setLoaded(i, ins, base[Int(ins.c)]) { return fail }
        case .FLOAD:
            let p = ptr(ins.a, t)
            let f = IRField(rawValue: ins.b).unsafelyUnwrapped
            switch f {
            case .tabArray: values[i] = UInt64(UInt(bitPattern: p.assumingMemoryBound(to: tj_table.self).pointee.array))
            case .tabAsize: setInt(i, Int32(bitPattern: p.assumingMemoryBound(to: tj_table.self).pointee.asize))
            case .tabHmask: setInt(i, Int32(bitPattern: p.assumingMemoryBound(to: tj_table.self).pointee.hmask))
            case .tabMeta: values[i] = UInt64(UInt(bitPattern: p.assumingMemoryBound(to: tj_table.self).pointee.metatable))
            case .tabNomm: setInt(i, Int32(bitPattern: p.assumingMemoryBound(to: tj_table.self).pointee.nomm))
            case .fnEnv:
                // tj_lfunc.env and tj_cfunc.env sit at different offsets.
                let g = p.assumingMemoryBound(to: tj_gcobj.self).pointee.gct
                if g == GCT.lfunc {
                    values[i] = UInt64(UInt(bitPattern: p.assumingMemoryBound(to: tj_lfunc.self).pointee.env))
                } else {
                    values[i] = UInt64(UInt(bitPattern: p.assumingMemoryBound(to: tj_cfunc.self).pointee.env))
                }
            case .fnProto: values[i] = UInt64(UInt(bitPattern: p.assumingMemoryBound(to: tj_lfunc.self).pointee.proto))
            case .strLen: setInt(i, Int32(truncatingIfNeeded: p.assumingMemoryBound(to: tj_str.self).pointee.len))
            case .udataMeta: values[i] = UInt64(UInt(bitPattern: p.assumingMemoryBound(to: tj_udata.self).pointee.metatable))
            }
        case .AREF:
            values[i] = value(ins.a, in: t) &+ UInt64(bitPattern: Int64(int(ins.b, t))) &* 8
        case .ALOAD:
            if !setLoaded(i, ins, ptr(ins.a, t).assumingMemoryBound(to: Value.self).pointee) { return fail }
        case .HLOAD, .TGET:
            let tab = TableRef(OpaquePointer(ptr(ins.a, t)))
            if !setLoaded(i, ins, tab.get(boxed(ins.b, t))) { return fail }
        case .UGET:
            let f = LFuncRef(OpaquePointer(ptr(ins.a, t)))
            let uv = f.upvalues[Int(ins.c)].unsafelyUnwrapped
            if !setLoaded(i, ins, Value(bits: uv.pointee.v.pointee)) { return fail }
        case .STRBYTE:
            let s = StringRef(OpaquePointer(ptr(ins.a, t)))
            let k = int(ins.b, t)
            if k < 0 || UInt64(k) >= s.pointee.len { return fail }
            setInt(i, Int32(s.bytes[Int(k)]))

        case .ASTORE:
            ptr(ins.a, t).assumingMemoryBound(to: Value.self).pointee = boxed(ins.b, t)
        case .HSTORE:
            let tab = TableRef(OpaquePointer(ptr(ins.a, t)))
            try tab.set(boxed(ins.c, t), boxed(ins.b, t), vm.heap)
        case .TSET:
            let key = boxed(ins.b, t)
            if key.isNumber && key.number.isNaN { return fail }
            let tab = TableRef(OpaquePointer(ptr(ins.a, t)))
            try tab.set(key, boxed(ins.c, t), vm.heap)
        case .USET:
            let f = LFuncRef(OpaquePointer(ptr(ins.a, t)))
            f.upvalues[Int(ins.c)].unsafelyUnwrapped.pointee.v.pointee = boxed(ins.b, t).bits

        case .ADD: setNum(i, num(ins.a, t) + num(ins.b, t))
        case .SUB: setNum(i, num(ins.a, t) - num(ins.b, t))
        case .MUL: setNum(i, num(ins.a, t) * num(ins.b, t))
        case .DIV: setNum(i, num(ins.a, t) / num(ins.b, t))
        case .MOD: setNum(i, JITMath.mod(num(ins.a, t), num(ins.b, t)))
        case .POW: setNum(i, JITMath.pow(num(ins.a, t), num(ins.b, t)))
        case .NEG: setNum(i, -num(ins.a, t))
        case .MIN: setNum(i, JITMath.min(num(ins.a, t), num(ins.b, t)))
        case .MAX: setNum(i, JITMath.max(num(ins.a, t), num(ins.b, t)))
        case .FPMATH: setNum(i, IRMathFn(rawValue: ins.b).unsafelyUnwrapped.apply(num(ins.a, t)))
        case .ATAN2: setNum(i, Glibc.atan2(num(ins.a, t), num(ins.b, t)))
        case .FMOD: setNum(i, Glibc.fmod(num(ins.a, t), num(ins.b, t)))

        case .ADDI: setInt(i, int(ins.a, t) &+ int(ins.b, t))
        case .SUBI: setInt(i, int(ins.a, t) &- int(ins.b, t))
        case .BAND: setInt(i, int(ins.a, t) & int(ins.b, t))
        case .BOR: setInt(i, int(ins.a, t) | int(ins.b, t))
        case .BXOR: setInt(i, int(ins.a, t) ^ int(ins.b, t))
        case .BSHL: setInt(i, Int32(bitPattern: UInt32(bitPattern: int(ins.a, t)) << (UInt32(bitPattern: int(ins.b, t)) & 31)))
        case .BSHR: setInt(i, Int32(bitPattern: UInt32(bitPattern: int(ins.a, t)) >> (UInt32(bitPattern: int(ins.b, t)) & 31)))
        case .BSAR: setInt(i, int(ins.a, t) >> (int(ins.b, t) & 31))
        case .BROL:
            let x = UInt32(bitPattern: int(ins.a, t)), n = UInt32(bitPattern: int(ins.b, t)) & 31
            setInt(i, Int32(bitPattern: (x << n) | (x >> ((32 - n) & 31))))
        case .BROR:
            let x = UInt32(bitPattern: int(ins.a, t)), n = UInt32(bitPattern: int(ins.b, t)) & 31
            setInt(i, Int32(bitPattern: (x >> n) | (x << ((32 - n) & 31))))
        case .BNOT: setInt(i, ~int(ins.a, t))
        case .BSWAP: setInt(i, Int32(bitPattern: UInt32(bitPattern: int(ins.a, t)).byteSwapped))

        case .TOBIT: setInt(i, JITMath.tobit(num(ins.a, t)))
        case .TOINT:
            guard let k = JITMath.exactInt(num(ins.a, t)) else { return fail }
            setInt(i, k)
        case .TONUM: setNum(i, Double(int(ins.a, t)))

        case .CAT:
            let s = try vm.jitConcat(boxed(ins.a, t), boxed(ins.b, t))
            values[i] = UInt64(UInt(bitPattern: s))
        case .STRSUB:
            let s = StringRef(OpaquePointer(ptr(ins.a, t)))
            values[i] = UInt64(UInt(bitPattern: try JITMath.sub(vm, s, Int(int(ins.b, t)), Int(int(ins.c, t)))))
        case .STRCMP:
            let r = LuaVM.compareStringBytes(StringRef(OpaquePointer(ptr(ins.a, t))), StringRef(OpaquePointer(ptr(ins.b, t))))
            setNum(i, r < 0 ? -1 : (r > 0 ? 1 : 0))
        case .STRCHAR:
            let c = int(ins.a, t)
            if c < 0 || c > 255 { return fail }
            var byte = UInt8(c)
            values[i] = UInt64(UInt(bitPattern: try vm.heap.intern(&byte, count: 1)))
        case .TOSTR:
            values[i] = UInt64(UInt(bitPattern: try vm.heap.numberToString(num(ins.a, t))))

        case .TNEW:
            values[i] = UInt64(UInt(bitPattern: try vm.heap.newTable(narray: Int(ins.b), nhash: Int(ins.c))))
        case .LEN:
            setInt(i, Int32(truncatingIfNeeded: TableRef(OpaquePointer(ptr(ins.a, t))).length()))

        case .CARG:
            break
        case .CALLN:
            var args: [Value] = []
            collectArgs(t, ins.b, into: &args)
            let f = boxed(ins.a, t)
            let rs: [Value]
            do { rs = try vm.jitCallNative(f, args, wanted: -1) } catch { return fail }
            callResults[i] = rs
            if !setLoaded(i, ins, rs.first ?? .nil) { return fail }
        case .CALLRES:
            let rs = callResults[Int(ins.a)] ?? []
            let k = Int(ins.c)
            if k < 0 { setInt(i, Int32(rs.count)); return nil }
            if !setLoaded(i, ins, k < rs.count ? rs[k] : .nil) { return fail }
        case .LOOP, .PHI, .NOP, .RETF:
            break
        case .GCSTEP:
            if vm.heap.collectionPending { return fail }
        case .UVOUT:
            let f = LFuncRef(OpaquePointer(ptr(ins.a, t)))
            let v = UInt(bitPattern: f.upvalues[Int(ins.c)].unsafelyUnwrapped.pointee.v)
            if v &- (UInt(bitPattern: base) &- 8) < UInt(8 * traceSlotWindow) { return fail }
        case .VARGN:
            if vm.jitTopFrameNvarargs != ins.b { return fail }
        case .FNEW:
            let f = try vm.jitNewClosure(parent: LFuncRef(OpaquePointer(ptr(ins.a, t))), child: Int(ins.b), base: base + Int(ins.c))
            values[i] = UInt64(UInt(bitPattern: f))
        case .UCLO:
            vm.jitCloseUpvalues(level: base + Int(ins.c))
        case .SSTORE:
            base[Int(ins.c)] = boxed(ins.a, t)
        case .UVAT:
            let f = LFuncRef(OpaquePointer(ptr(ins.a, t)))
            if UInt(bitPattern: f.upvalues[Int(ins.c)].unsafelyUnwrapped.pointee.v) != UInt(bitPattern: base + Int(ins.b)) { return fail }
        }
        return nil
    }
}

/// Arithmetic shared by the IR interpreter, constant folding and the machine-code helpers, defined
/// exactly as the interpreter computes it.
public enum JITMath {
    @inline(__always) public static func mod(_ a: Double, _ b: Double) -> Double { a - (a / b).rounded(.down) * b }
    @inline(__always) public static func pow(_ a: Double, _ b: Double) -> Double { b == 2 ? a * a : Glibc.pow(a, b) }
    /// math.min/max as the library computes them for two numbers.
    @inline(__always) public static func min(_ a: Double, _ b: Double) -> Double { a < b ? a : b }
    @inline(__always) public static func max(_ a: Double, _ b: Double) -> Double { a > b ? a : b }
    @inline(__always) public static func tobit(_ d: Double) -> Int32 {
        Int32(truncatingIfNeeded: (d + 6755399441055744.0).bitPattern)
    }
    /// d as an int32 if it is exactly one.
    @inline(__always) public static func exactInt(_ d: Double) -> Int32? {
        guard d >= -2147483648.0 && d <= 2147483647.0 else { return nil }
        let k = Int32(d)
        return Double(k) == d ? k : nil
    }
    /// The int a narrowed SLOAD (type int) gives for a slot value: a number that is an integer in
    /// int32 range and not -0 (so TONUM gives back the very same double), else nil.
    @inline(__always) public static func narrowInt(_ v: Value) -> Int32? {
        guard v.isNumber, v.bits != (-0.0 as Double).bitPattern else { return nil }
        return exactInt(v.number)
    }
    /// string.sub(s, i, j) with Lua's index rules.
    public static func sub(_ vm: LuaVM, _ s: StringRef, _ i0: Int, _ j0: Int) throws -> StringRef {
        let l = Int(s.pointee.len)
        var i = i0 < 0 ? Swift.max(l + i0 + 1, 0) : i0
        var j = j0 < 0 ? l + j0 + 1 : j0
        if i < 1 { i = 1 }
        if j > l { j = l }
        if i > j { return try vm.heap.intern(nil, count: 0) }
        return try vm.heap.intern(UnsafeRawPointer(s.bytes + (i - 1)), count: j - i + 1)
    }
}

