// CSE: common-subexpression elimination at emit time (after Fold, inside IRBuilder.emit).
//
// What it does. Before an instruction is appended, `lookup` asks whether an identical one is
// already in the trace; if so its reference is used instead. After appending, `record` enters the
// new instruction. The key is (op, type, a, b, c, guard flag, epoch): the snapshot of a guard is
// not part of it, because an identical guard that already passed makes a later one redundant
// whatever state it would exit to.
//
// What may be shared:
//   - pure instructions and comparison guards (alwaysGuard ops), in any epoch: their result
//     depends on their operands only. Pure allocating helpers (CAT, STRSUB, ...) too: strings are
//     interned, so equal inputs give the same string object.
//   - loads (`load` flag) only within one memory epoch of their class. An instruction that may
//     write a class starts a new epoch of it, so a load is never reused across a possible write:
//       stack     SLOAD                          written by USET (an open upvalue is a stack slot)
//       contents  ALOAD HLOAD TGET LEN           written by ASTORE HSTORE TSET
//       shape     FLOAD of table fields, func.env, udata.meta
//                                                written by HSTORE TSET (growth, rehash, nomm cache)
//       upvalues  UGET                           written by USET
//     Every `allocates` instruction starts a new epoch of every heap class (conservative: no
//     collection runs in a trace, but an allocation is a call into the runtime); stack slots are
//     not heap memory. FLOAD str.len and func.proto are immutable and always shared.
//   - an unguarded instruction may reuse an identical guarded one (same value, check already done),
//     not the other way round.
//   - GCSTEP, LOOP, PHI, NOP and effects are never shared.
// Store-to-load forwarding: within the epoch a store starts, a load of the same location by the same
// references gives the stored value (ALOAD after ASTORE to the same AREF, HLOAD after HSTORE with the
// same table and key constant, TGET after TSET, UGET after USET), provided the load's type equals the
// stored value's type (a type-checking load of another type would fail its guard; it is emitted).
//
// Loop peeling relies on the epochs: a load in the copied loop body is only shared with the peeled
// iteration when no write to its class happened anywhere in the iteration (LOOP starts no epoch).
struct CSEState {
    struct Key: Hashable {
        var op: IROp
        var type: IRType
        var guarded: Bool
        var a: IRRef
        var b: IRRef
        var c: IRRef
        var epoch: UInt32
    }

    private(set) var map: [Key: IRRef] = [:]
    /// Current epoch per memory class (epoch 0 is reserved for values no store can change).
    private var epochs: [UInt32] = [1, 1, 1, 1]

    private enum Class: Int { case stack = 0, contents, shape, upvalues }

    /// The memory class a load reads (nil: immutable).
    private static func loadClass(_ ins: IRIns) -> Class? {
        switch ins.op {
        case .SLOAD: return .stack
        case .ALOAD, .HLOAD, .TGET, .LEN: return .contents
        case .UGET: return .upvalues
        case .FLOAD:
            if ins.b == IRField.strLen.rawValue || ins.b == IRField.fnProto.rawValue { return nil }
            return .shape
        default: return .contents       // any other load: treat as reading table contents
        }
    }

    /// The epoch an instruction's value belongs to, or nil when it is never shared.
    private func epochOf(_ ins: IRIns) -> UInt32? {
        let f = ins.op.info.flags
        switch ins.op {
        case .GCSTEP, .LOOP, .PHI, .NOP: return nil
        default:
            if f.contains(.effect) { return nil }
            if f.contains(.load) {
                guard let c = CSEState.loadClass(ins) else { return 0 }
                return epochs[c.rawValue]
            }
            if f.contains(.pure) || f.contains(.alwaysGuard) { return 0 }
            return nil
        }
    }

    private func key(_ ins: IRIns, guarded: Bool, epoch: UInt32) -> Key {
        Key(op: ins.op, type: ins.type, guarded: guarded, a: ins.a, b: ins.b, c: ins.c, epoch: epoch)
    }

    private mutating func bump(_ c: Class) { epochs[c.rawValue] &+= 1 }

    func lookup(_ ins: IRIns, in trace: Trace) -> IRRef? {
        guard let e = epochOf(ins) else { return nil }
        if let r = map[key(ins, guarded: true, epoch: e)] { return r }
        if !ins.isGuard, let r = map[key(ins, guarded: false, epoch: e)] { return r }
        return nil
    }

    mutating func record(_ ins: IRIns, ref: IRRef, in trace: Trace) {
        if ins.op.info.flags.contains(.allocates) { bump(.contents); bump(.shape); bump(.upvalues) }
        switch ins.op {
        case .ASTORE: bump(.contents)
        case .HSTORE, .TSET: bump(.contents); bump(.shape)
        case .USET: bump(.upvalues); bump(.stack)
        default: break
        }
        switch ins.op {
        case .ASTORE, .HSTORE, .TSET, .USET: forward(ins, trace)
        default: break
        }
        if let e = epochOf(ins) { map[key(ins, guarded: ins.isGuard, epoch: e)] = ref }
    }

    /// Enters the load a store makes redundant (as a guarded load: its type is known).
    private mutating func forward(_ st: IRIns, _ trace: Trace) {
        let load: IRIns
        let value: IRRef
        switch st.op {
        case .ASTORE: value = st.b; load = IRIns(.ALOAD, .nil, a: st.a)
        case .HSTORE: value = st.b; load = IRIns(.HLOAD, .nil, a: st.a, b: st.c)
        case .TSET: value = st.c; load = IRIns(.TGET, .nil, a: st.a, b: st.b)
        case .USET: value = st.b; load = IRIns(.UGET, .nil, a: st.a, c: st.c)
        default: return
        }
        guard value != noRef else { return }
        var l = load
        l.type = trace.type(of: value)
        guard l.type.isValue, let e = epochOf(l) else { return }
        map[key(l, guarded: true, epoch: e)] = value
    }
}
