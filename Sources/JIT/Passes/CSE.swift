// CSE: common-subexpression elimination at emit time (after Fold, inside IRBuilder.emit).
//
// What it does. Before an instruction is appended, `lookup` asks whether an identical one is
// already in the trace; if so its reference is used instead. After appending, `record` enters the
// new instruction. The key is (op, type, a, b, c, guard flag, memory version): the snapshot of a
// guard is not part of it, because an identical guard that already passed makes a later one
// redundant whatever state it would exit to.
//
// What may be shared:
//   - pure instructions and comparison guards (alwaysGuard ops), always: their result depends on
//     their operands only. Pure allocating helpers (CAT, STRSUB, ...) too: strings are interned, so
//     equal inputs give the same string object.
//   - loads (`load` flag) only while the memory they read has not possibly been written. Memory is
//     split into classes, each with an epoch counter that every possible write to it bumps; a load's
//     key carries the epochs of what it reads, so it is never reused across a possible write:
//       stack     SLOAD                             written by USET (an open upvalue is a stack slot)
//       array     array part: ALOAD, LEN, TGET, HLOAD of a number key
//                                                   written by ASTORE, TSET, HSTORE of a number key
//       key k     HLOAD of constant key k           written by HSTORE of key k (any table)
//       hash      all hash keys: HLOAD, LEN         written by TSET (its key is not known)
//       anyhash   TGET (reads any key)              written by HSTORE (any key), TSET
//       shape     FLOAD tab.array/asize/hmask/nomm, LEN (which border `#` finds depends on the layout)
//                                                   written by HSTORE, TSET (growth, rehash, nomm cache)
//       meta      FLOAD tab.meta, func.env, udata.meta   no IR op writes them
//       upvalues  UGET                              written by USET
//       frames    UVOUT, UVAT, VARGN (base frame)   changed by RETF (moves the base)
//     So `t.x = v` does not disturb a load of `t.y` (different constant keys are different keys even
//     in the same table, and a rehash moves nodes, not values), nor the array's address.
//     Every other `allocates` instruction bumps every heap class (conservative: no collection runs in a
//     trace, but an allocation is a call into the runtime); stack slots are not heap memory.
//     FLOAD str.len and func.proto are immutable and always shared.
//   - an unguarded instruction may reuse an identical guarded one (same value, check already done),
//     not the other way round.
//   - GCSTEP, LOOP, PHI, NOP and effects are never shared.
// Store-to-load forwarding: right after a store, a load of the same location by the same references
// is entered with the stored value (ALOAD after ASTORE to the same AREF, HLOAD after HSTORE with the
// same table and key, TGET after TSET, UGET after USET), valid until its memory version changes;
// only when the load's type equals the stored value's type (a type-checking load of another type
// would fail its guard; it is emitted).
//
// Loop peeling relies on the versions: a load in the copied loop body is only shared with the
// peeled iteration when nothing in the whole iteration may have written what it reads (LOOP bumps
// nothing). Forwarding into the body from a store of the peeled iteration is then correct as well:
// it is the value stored by the previous iteration, carried by a PHI.
struct CSEState {
    struct Key: Hashable {
        var op: IROp
        var type: IRType
        var guarded: Bool
        var a: IRRef
        var b: IRRef
        var c: IRRef
        var v0: UInt32
        var v1: UInt32
        var v2: UInt32
    }

    private(set) var map: [Key: IRRef] = [:]
    /// Epoch per memory class (a load's version is built from the epochs it reads; 0 = immutable).
    private var epochs: [UInt32] = [UInt32](repeating: 1, count: Class.allCases.count)
    /// Epoch per constant hash key (normalized, see `keyOf`).
    private var keyEpochs: [IRConst: UInt32] = [:]

    private enum Class: Int, CaseIterable { case stack = 0, array, hash, anyhash, shape, meta, upvalues, frames }
    private static let heapClasses: [Class] = [.array, .hash, .anyhash, .shape, .meta, .upvalues]

    /// A hash key as the table sees it: 0 and -0 are the same key.
    private static func keyOf(_ r: IRRef, _ trace: Trace) -> IRConst? {
        guard isConst(r), Int(~r) < trace.consts.count else { return nil }
        var k = trace.const(of: r)
        if k.type == .num && k.number == 0 { k = .num(0) }
        return k
    }

    /// The memory version a load reads (three epochs; nil when the instruction is never shared).
    private func version(_ ins: IRIns, _ trace: Trace) -> (UInt32, UInt32, UInt32)? {
        let f = ins.op.info.flags
        func e(_ c: Class) -> UInt32 { epochs[c.rawValue] }
        switch ins.op {
        case .GCSTEP, .LOOP, .PHI, .NOP: return nil
        case .SLOAD: return (e(.stack), 0, 0)
        case .ALOAD: return (e(.array), 0, 0)
        case .LEN: return (e(.array), e(.hash), e(.shape))     // the border found depends on the layout
        case .TGET: return (e(.array), e(.anyhash), 0)
        case .HLOAD:
            guard let k = CSEState.keyOf(ins.b, trace) else { return (e(.array), e(.anyhash), 0) }
            return (k.type == .num ? e(.array) : 0, e(.hash), keyEpochs[k] ?? 1)
        case .UGET: return (e(.upvalues), 0, 0)
        case .UVOUT, .UVAT, .VARGN: return (e(.frames), 0, 0)  // upvalues move only when they close
        case .FLOAD:
            switch IRField(rawValue: ins.b) {
            case .strLen?, .fnProto?: return (0, 0, 0)
            case .tabMeta?, .fnEnv?, .udataMeta?: return (e(.meta), 0, 0)
            default: return (e(.shape), 0, 0)
            }
        default:
            if f.contains(.effect) { return nil }
            if f.contains(.load) { return (e(.array), e(.anyhash), e(.shape)) }   // a load not listed above
            if f.contains(.pure) || f.contains(.alwaysGuard) { return (0, 0, 0) }
            return nil
        }
    }

    private func key(_ ins: IRIns, guarded: Bool, _ v: (UInt32, UInt32, UInt32)) -> Key {
        Key(op: ins.op, type: ins.type, guarded: guarded, a: ins.a, b: ins.b, c: ins.c, v0: v.0, v1: v.1, v2: v.2)
    }

    private mutating func bump(_ c: Class) { epochs[c.rawValue] &+= 1 }

    func lookup(_ ins: IRIns, in trace: Trace) -> IRRef? {
        guard let v = version(ins, trace) else { return nil }
        if let r = map[key(ins, guarded: true, v)] { return r }
        if !ins.isGuard, let r = map[key(ins, guarded: false, v)] { return r }
        return nil
    }

    mutating func record(_ ins: IRIns, ref: IRRef, in trace: Trace) {
        switch ins.op {
        case .ASTORE:
            bump(.array)
        case .HSTORE:
            bump(.anyhash); bump(.shape)
            if let k = CSEState.keyOf(ins.c, trace) {
                keyEpochs[k, default: 1] &+= 1
                if k.type == .num { bump(.array) }
            } else {
                bump(.array); bump(.hash)
            }
        case .TSET:
            bump(.array); bump(.hash); bump(.anyhash); bump(.shape)
        case .USET, .SSTORE, .UCLO:
            bump(.upvalues); bump(.stack)
        case .RETF:
            bump(.stack); bump(.frames)     // slots are numbered from the caller's base after it
        case .CALLN:
            // A library call may run Lua code (a sort comparator, __index, __tostring) that writes
            // anything, open upvalues included.
            for c in Class.allCases { bump(c) }
        default:
            // Other allocations (TNEW, string helpers): conservatively every heap class.
            if ins.op.info.flags.contains(.allocates) { for c in CSEState.heapClasses { bump(c) } }
        }
        switch ins.op {
        case .ASTORE, .HSTORE, .TSET, .USET: forward(ins, trace)
        default: break
        }
        if let v = version(ins, trace) { map[key(ins, guarded: ins.isGuard, v)] = ref }
    }

    /// Enters the load a store makes redundant (as a guarded load: its type is known).
    private mutating func forward(_ st: IRIns, _ trace: Trace) {
        var load: IRIns
        let value: IRRef
        switch st.op {
        case .ASTORE: value = st.b; load = IRIns(.ALOAD, .nil, a: st.a)
        case .HSTORE: value = st.b; load = IRIns(.HLOAD, .nil, a: st.a, b: st.c)
        case .TSET: value = st.c; load = IRIns(.TGET, .nil, a: st.a, b: st.b)
        case .USET: value = st.b; load = IRIns(.UGET, .nil, a: st.a, c: st.c)
        default: return
        }
        guard value != noRef else { return }
        load.type = trace.type(of: value)
        guard load.type.isValue, let v = version(load, trace) else { return }
        map[key(load, guarded: true, v)] = value
    }
}
