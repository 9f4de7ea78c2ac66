// The trace IR: typed SSA in one flat array, constants kept apart (docs/jit.md, "The IR").
//
// A trace is a straight line of instructions. Each instruction has an opcode, a result type and up
// to three operands. Operands that name other values are references (`IRRef`): a reference >= 0 is
// the index of an instruction in `Trace.ins`, a reference < 0 names constant `~ref` in
// `Trace.consts`. An instruction can only use instructions before it (SSA in program order), so
// every pass can walk the array forwards or backwards without a graph.
//
// Guards are instructions with the `guard` flag: if their condition fails at run time, the trace
// exits through snapshot `snap` (the interpreter state to rebuild, see Snapshot.swift).
//
// Values of each IR type are held unboxed: `num` as a double, `int` as a 32-bit integer (sign-
// extended into 64 bits), collectable types as the object pointer, `ptr` as a raw address, and the
// singleton types (nil, false, true) as nothing at all (their value is implied by the type). An exit
// boxes them back into NaN-boxed Values by type.
import Bytecode
import CVM
import Runtime
import Glibc

public typealias IRRef = Int32

@inline(__always) public func isConst(_ r: IRRef) -> Bool { r < 0 }
/// The reference of constant number `i`.
@inline(__always) public func constRef(_ i: Int) -> IRRef { ~IRRef(i) }
/// A "no operand" marker. Never a valid reference (constant indexes stay far below 2^31 - 1).
public let noRef: IRRef = IRRef.min

/// IR value types. The Lua types map to the runtime's itypes one to one; `int` and `ptr` are
/// internal (bit operations, lengths and indexes; addresses of slots and fields); `void` is the
/// type of guards and stores, which produce no value.
public enum IRType: UInt8, CaseIterable, Sendable {
    case `nil`, `false`, `true`, lightud, str, thread, fn, udata, tab, num
    case int, ptr, void

    public var name: String {
        switch self {
        case .nil: return "nil"
        case .false: return "fal"
        case .true: return "tru"
        case .lightud: return "lud"
        case .str: return "str"
        case .thread: return "thr"
        case .fn: return "fun"
        case .udata: return "udt"
        case .tab: return "tab"
        case .num: return "num"
        case .int: return "int"
        case .ptr: return "ptr"
        case .void: return "   "
        }
    }

    /// The type of a runtime value (booleans split into `true`/`false`).
    public static func of(_ v: Value) -> IRType {
        if v.isNumber { return .num }
        switch v.itype {
        case IType.nil: return .nil
        case IType.false: return .false
        case IType.true: return .true
        case IType.lightUserdata: return .lightud
        case IType.string: return .str
        case IType.thread: return .thread
        case IType.function: return .fn
        case IType.userdata: return .udata
        default: return .tab
        }
    }

    /// The itype of a Lua-value type (nil for num/int/ptr/void).
    public var itype: UInt64? {
        switch self {
        case .nil: return IType.nil
        case .false: return IType.false
        case .true: return IType.true
        case .lightud: return IType.lightUserdata
        case .str: return IType.string
        case .thread: return IType.thread
        case .fn: return IType.function
        case .udata: return IType.userdata
        case .tab: return IType.table
        default: return nil
        }
    }

    /// A Lua value type whose value is implied by the type.
    public var isSingleton: Bool { self == .nil || self == .false || self == .true }
    /// A type whose payload is an object pointer (collectable).
    public var isObject: Bool { self == .str || self == .thread || self == .fn || self == .udata || self == .tab }
    /// A type of a Lua value (boxable); false for int, ptr and void.
    public var isValue: Bool { rawValue <= IRType.num.rawValue }
    /// Truthiness of values of this type.
    public var isFalsy: Bool { self == .nil || self == .false }

    /// Boxes an unboxed payload of this type into a Value.
    @inline(__always) public func box(_ bits: UInt64) -> Value {
        switch self {
        case .num: return Value(bits: bits)
        case .int: return Value(Double(Int32(truncatingIfNeeded: bits)))
        case .nil: return .nil
        case .false: return .false
        case .true: return .true
        default: return Value(bits: itype.unsafelyUnwrapped << 47 | (bits & TJ_PAYLOAD_MASK))
        }
    }

    /// The unboxed payload of a Value known to have this type.
    @inline(__always) public func unbox(_ v: Value) -> UInt64 {
        switch self {
        case .num: return v.bits
        case .nil, .false, .true: return 0
        default: return v.bits & TJ_PAYLOAD_MASK
        }
    }
}

/// Fields FLOAD reads (operand b of FLOAD; the loaded type is fixed per field).
public enum IRField: Int32, CaseIterable, Sendable {
    case tabArray       // tj_table.array (ptr)
    case tabAsize       // tj_table.asize (int)
    case tabHmask       // tj_table.hmask (int)
    case tabMeta        // tj_table.metatable (ptr, 0 when none)
    case tabNomm        // tj_table.nomm (int)
    case fnEnv          // tj_lfunc.env / tj_cfunc.env (tab)
    case fnProto        // tj_lfunc.proto (ptr)
    case strLen         // tj_str.len (int)
    case udataMeta      // tj_udata.metatable (ptr)

    public var name: String {
        switch self {
        case .tabArray: return "tab.array"
        case .tabAsize: return "tab.asize"
        case .tabHmask: return "tab.hmask"
        case .tabMeta: return "tab.meta"
        case .tabNomm: return "tab.nomm"
        case .fnEnv: return "func.env"
        case .fnProto: return "func.proto"
        case .strLen: return "str.len"
        case .udataMeta: return "udata.meta"
        }
    }

    public var type: IRType {
        switch self {
        case .tabArray, .tabMeta, .fnProto, .udataMeta: return .ptr
        case .tabAsize, .tabHmask, .tabNomm, .strLen: return .int
        case .fnEnv: return .tab
        }
    }
}

/// Math functions FPMATH computes (operand b).
public enum IRMathFn: Int32, CaseIterable, Sendable {
    case floor, ceil, sqrt, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, exp, log, log10, log2, abs
    public var name: String { String(describing: self) }

    @inline(__always) public func apply(_ x: Double) -> Double {
        switch self {
        case .floor: return x.rounded(.down)
        case .ceil: return x.rounded(.up)
        case .sqrt: return x.squareRoot()
        case .sin: return Glibc.sin(x)
        case .cos: return Glibc.cos(x)
        case .tan: return Glibc.tan(x)
        case .asin: return Glibc.asin(x)
        case .acos: return Glibc.acos(x)
        case .atan: return Glibc.atan(x)
        case .sinh: return Glibc.sinh(x)
        case .cosh: return Glibc.cosh(x)
        case .tanh: return Glibc.tanh(x)
        case .exp: return Glibc.exp(x)
        case .log: return Glibc.log(x)
        case .log10: return Glibc.log10(x)
        case .log2: return Glibc.log2(x)
        case .abs: return Swift.abs(x)
        }
    }
}
