// The IR opcodes and their metadata (one table, as Opcode.swift does for the bytecode).
//
// Operand modes: `ref` an IR reference, `lit` a literal number stored in the operand (a slot, a
// field, a math function, a size), `none` unused (noRef). Flags say how passes may treat an
// instruction: `pure` instructions can be folded, CSE'd and removed when unused; `load` reads memory
// that stores may change (CSE only up to the next store of the same kind, never across a call-like
// instruction); `effect` instructions (stores, allocations, helper calls with effects) always stay.
//
// Every instruction may carry the `guard` flag of IRIns: then it also checks a condition and exits
// through its snapshot when it fails (loads with a type check, comparisons, bounds checks).

public enum IROperandMode: UInt8, Sendable { case none, ref, lit }

public struct IROpInfo: Sendable {
    public let name: String
    public let a: IROperandMode
    public let b: IROperandMode
    public let c: IROperandMode
    public let flags: Flags

    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let pure = Flags(rawValue: 1 << 0)        // no effects, result depends on operands only
        public static let load = Flags(rawValue: 1 << 1)        // reads mutable memory
        public static let effect = Flags(rawValue: 1 << 2)      // must stay even if unused
        public static let commutative = Flags(rawValue: 1 << 3)
        public static let alwaysGuard = Flags(rawValue: 1 << 4) // is a guard and nothing else (comparisons)
        public static let allocates = Flags(rawValue: 1 << 5)   // may allocate (heap growth, no collection in traces)
    }
}

public enum IROp: UInt8, CaseIterable, Sendable {
    // Guards on numbers (a, b: num). NLT is "not (a < b)", which differs from GE for NaN.
    // On two ints (narrowed loop counters) they compare as signed int32.
    case LT, NLT, LE, NLE
    // Guards on any two values of the same type: numbers compare as doubles, others by identity.
    case EQ, NE
    // Bounds guard on ints: 0 <= a < b (unsigned a < b).
    case ABC

    // Loads (a result type of a Lua value type with the guard flag means "check the type").
    case SLOAD      // c = slot (relative to the trace's base frame; -1 is its function); type int:
                    // a number slot narrowed (guard: an integer in int32 range, not -0)
    case FLOAD      // a = object, b = IRField
    case AREF       // a = array pointer (ptr), b = index (int, 0-based) -> address of the slot (ptr)
    case ALOAD      // a = AREF -> value
    case HLOAD      // a = table, b = key constant: value of a raw lookup (nil when absent)
    case TGET       // a = table, b = key (any value type): raw get
    case UGET       // a = function, c = upvalue index -> value
    case STRBYTE    // a = string, b = index (int, 0-based) -> byte (int); guard: in range

    // Stores.
    case ASTORE     // a = AREF, b = value
    case HSTORE     // a = table, b = value, c = key constant ref: raw set (table may grow)
    case TSET       // a = table, b = key, c = value: raw set (table may grow)
    case USET       // a = function, b = value, c = upvalue index

    // Arithmetic on num.
    case ADD, SUB, MUL, DIV, MOD, POW
    case NEG
    case MIN, MAX
    case FPMATH     // a = num, b = IRMathFn (lit)
    case ATAN2, FMOD

    // Integer (int32) arithmetic, for the bit library, lengths and indexes.
    case ADDI, SUBI
    case BAND, BOR, BXOR, BSHL, BSHR, BSAR, BROL, BROR, BNOT, BSWAP

    // Conversions.
    case TOBIT      // num -> int as bit.tobit
    case TOINT      // num -> int, guard: exact (the number is an integer in int32 range)
    case TONUM      // int -> num

    // Strings (helpers; results are interned strings).
    case CAT        // a .. b (each str or num)
    case STRSUB     // a = string, b, c = int: string.sub(a, b, c) with Lua's index rules
    case STRCHAR    // a = int -> one-byte string
    case STRCMP     // a, b: str -> num: -1, 0 or 1 in Lua's string order
    case TOSTR      // a = num -> string

    // Objects.
    case TNEW       // b = array size hint, c = hash size hint -> tab
    case LEN        // a = table -> int (the border `#` returns)

    // Calls of library functions the recorder has no IR for.
    case CARG       // a, b: argument list cell (a list is a left-nested CARG chain)
    case CALLN      // a = function constant, b = arguments (a CARG chain, one ref, or none), c = argument count:
                    // calls it; result 0 (guard flag: check its type); exits like a guard if it raises an error
    case CALLRES    // a = CALLN, c = result index (>= 1): that result (guard flag: check its type)

    // Trace structure.
    case RETF       // guard: return to a lower frame: a = the caller's closure (constant), b = its resume
                    // pc (lit), c = slots the base moves down (lit); pops the frame, the base moves
    case LOOP       // start of the loop body (after the peeled iteration)
    case PHI        // a = value before the loop, b = value at the end of the body
    case NOP
    case GCSTEP     // guard: no collection pending (placed before the back-edge)
    case UVOUT      // a = function, c = upvalue index; guard: the upvalue does not point into the
                    // trace's slots (base frame's function slot up to traceSlotWindow slots)
    case UVAT       // a = function, b = slot, c = upvalue index; guard: the upvalue is open on
                    // that slot of the trace (relative to the base frame)
    case VARGN      // b = count; guard: the base frame (the top call record) has that many varargs

    // Closures and open upvalues (helpers).
    case FNEW       // a = parent closure (fn), b = child prototype index, c = the frame's base slot (relative
                    // to the trace's base): a new closure; upvalues of the frame's locals are the coroutine's
                    // open upvalues of those stack slots (found or created), others are copied from a
    case UCLO       // c = slot: closes the open upvalues of that slot and above (they copy the slots' values)
    case SSTORE     // a = value, c = slot: writes the slot (a local captured by an open upvalue lives in
                    // memory while the upvalue is open; an int is stored as a number)

    @inline(__always) public var info: IROpInfo { irOpTable[Int(rawValue)] }
    public var name: String { info.name }
}

private func op(_ name: String, _ a: IROperandMode, _ b: IROperandMode, _ c: IROperandMode,
                _ flags: IROpInfo.Flags) -> IROpInfo {
    IROpInfo(name: name, a: a, b: b, c: c, flags: flags)
}

/// Slots of the trace's window that UVOUT checks, from the base frame's function slot (-1) up: every
/// slot a trace can name (the recorder keeps inlined frames inside it).
public let traceSlotWindow = 1024

public let irOpTable: [IROpInfo] = [
    op("LT", .ref, .ref, .none, [.alwaysGuard]),
    op("NLT", .ref, .ref, .none, [.alwaysGuard]),
    op("LE", .ref, .ref, .none, [.alwaysGuard]),
    op("NLE", .ref, .ref, .none, [.alwaysGuard]),
    op("EQ", .ref, .ref, .none, [.alwaysGuard, .commutative]),
    op("NE", .ref, .ref, .none, [.alwaysGuard, .commutative]),
    op("ABC", .ref, .ref, .none, [.alwaysGuard]),

    op("SLOAD", .none, .none, .lit, [.load]),
    op("FLOAD", .ref, .lit, .none, [.load]),
    op("AREF", .ref, .ref, .none, [.pure]),
    op("ALOAD", .ref, .none, .none, [.load]),
    op("HLOAD", .ref, .ref, .none, [.load]),
    op("TGET", .ref, .ref, .none, [.load]),
    op("UGET", .ref, .none, .lit, [.load]),
    op("STRBYTE", .ref, .ref, .none, [.pure]),

    op("ASTORE", .ref, .ref, .none, [.effect]),
    op("HSTORE", .ref, .ref, .ref, [.effect, .allocates]),
    op("TSET", .ref, .ref, .ref, [.effect, .allocates]),
    op("USET", .ref, .ref, .lit, [.effect]),

    op("ADD", .ref, .ref, .none, [.pure, .commutative]),
    op("SUB", .ref, .ref, .none, [.pure]),
    op("MUL", .ref, .ref, .none, [.pure, .commutative]),
    op("DIV", .ref, .ref, .none, [.pure]),
    op("MOD", .ref, .ref, .none, [.pure]),
    op("POW", .ref, .ref, .none, [.pure]),
    op("NEG", .ref, .none, .none, [.pure]),
    op("MIN", .ref, .ref, .none, [.pure]),
    op("MAX", .ref, .ref, .none, [.pure]),
    op("FPMATH", .ref, .lit, .none, [.pure]),
    op("ATAN2", .ref, .ref, .none, [.pure]),
    op("FMOD", .ref, .ref, .none, [.pure]),

    op("ADDI", .ref, .ref, .none, [.pure, .commutative]),
    op("SUBI", .ref, .ref, .none, [.pure]),
    op("BAND", .ref, .ref, .none, [.pure, .commutative]),
    op("BOR", .ref, .ref, .none, [.pure, .commutative]),
    op("BXOR", .ref, .ref, .none, [.pure, .commutative]),
    op("BSHL", .ref, .ref, .none, [.pure]),
    op("BSHR", .ref, .ref, .none, [.pure]),
    op("BSAR", .ref, .ref, .none, [.pure]),
    op("BROL", .ref, .ref, .none, [.pure]),
    op("BROR", .ref, .ref, .none, [.pure]),
    op("BNOT", .ref, .none, .none, [.pure]),
    op("BSWAP", .ref, .none, .none, [.pure]),

    op("TOBIT", .ref, .none, .none, [.pure]),
    op("TOINT", .ref, .none, .none, [.pure]),
    op("TONUM", .ref, .none, .none, [.pure]),

    op("CAT", .ref, .ref, .none, [.pure, .allocates]),
    op("STRSUB", .ref, .ref, .ref, [.pure, .allocates]),
    op("STRCHAR", .ref, .none, .none, [.pure, .allocates]),
    op("STRCMP", .ref, .ref, .none, [.pure]),
    op("TOSTR", .ref, .none, .none, [.pure, .allocates]),

    op("TNEW", .none, .lit, .lit, [.effect, .allocates]),
    op("LEN", .ref, .none, .none, [.load]),

    op("CARG", .ref, .ref, .none, [.pure]),
    op("CALLN", .ref, .ref, .lit, [.effect, .allocates]),
    op("CALLRES", .ref, .none, .lit, [.pure]),

    op("RETF", .ref, .lit, .lit, [.effect, .alwaysGuard]),
    op("LOOP", .none, .none, .none, [.effect]),
    op("PHI", .ref, .ref, .none, [.effect]),
    op("NOP", .none, .none, .none, []),
    op("GCSTEP", .none, .none, .none, [.alwaysGuard]),
    op("UVOUT", .ref, .none, .lit, [.alwaysGuard]),
    op("UVAT", .ref, .lit, .lit, [.alwaysGuard]),
    op("VARGN", .none, .lit, .none, [.alwaysGuard]),

    op("FNEW", .ref, .lit, .lit, [.effect, .allocates]),
    op("UCLO", .none, .none, .lit, [.effect]),
    op("SSTORE", .ref, .none, .lit, [.effect]),
]
