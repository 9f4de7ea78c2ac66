// Value: a Lua value in one NaN-boxed 64-bit word (ARCHITECTURE decision 1).
//
// A double is stored as itself. Every bit pattern below TJ_NUMBER_LIMIT (0xFFF9_0000_0000_0000) is a
// number, so both quiet NaNs that hardware produces (0x7FF8... and x86's default 0xFFF8...) are plain
// numbers and arithmetic results never need canonicalizing. Everything else has a 17-bit itype in
// bits 63..47 and a 47-bit payload (an object pointer): see tj_vm.h for the tag table. The order of
// the tags makes the common tests one compare each:
//
//     isNumber   bits <  0xFFF9_0000_0000_0000
//     isFalsy    bits >= 0xFFFF_0000_0000_0000   (nil = all ones, false just below)
//     isTable    bits >> 47 == TJ_ITYPE_TAB
//
// A NaN of unknown origin (bit casts, C library results that may carry payloads) must go through
// `Value(canonicalizing:)`, the only place a NaN with a tag-like payload could otherwise enter.
@_exported import CVM

public typealias StringRef = UnsafeMutablePointer<tj_str>
public typealias TableRef = UnsafeMutablePointer<tj_table>
public typealias LFuncRef = UnsafeMutablePointer<tj_lfunc>
public typealias CFuncRef = UnsafeMutablePointer<tj_cfunc>
public typealias UpvalRef = UnsafeMutablePointer<tj_upval>
public typealias ProtoRef = UnsafeMutablePointer<tj_proto>
public typealias ThreadRef = UnsafeMutablePointer<tj_thread>
public typealias UdataRef = UnsafeMutablePointer<tj_udata>
public typealias GCRef = UnsafeMutablePointer<tj_gcobj>

/// Object types (the header's gct byte), equal to tj_vm.h's TJ_GCT_*.
public enum GCT {
    public static let string: UInt8 = 1
    public static let table: UInt8 = 2
    public static let lfunc: UInt8 = 3
    public static let cfunc: UInt8 = 4
    public static let upval: UInt8 = 5
    public static let thread: UInt8 = 6
    public static let udata: UInt8 = 7
    public static let proto: UInt8 = 8
}

/// The itypes of tagged values (bits 63..47).
public enum IType {
    public static let `nil`: UInt64 = 0x1FFFF
    public static let `false`: UInt64 = 0x1FFFE
    public static let `true`: UInt64 = 0x1FFFD
    public static let lightUserdata: UInt64 = 0x1FFFC
    public static let string: UInt64 = 0x1FFFB
    public static let thread: UInt64 = 0x1FFFA
    public static let function: UInt64 = 0x1FFF9
    public static let userdata: UInt64 = 0x1FFF8
    public static let table: UInt64 = 0x1FFF7
    public static let deadKey: UInt64 = 0x1FFF6
}

/// The Lua types, in the order `Value.kind` reports them.
public enum LuaType: UInt8, Sendable {
    case `nil`, boolean, number, string, table, function, userdata, thread, lightUserdata

    /// The name Lua's `type()` returns.
    public var name: String {
        switch self {
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .function: return "function"
        case .userdata, .lightUserdata: return "userdata"
        case .thread: return "thread"
        }
    }
}

@frozen
public struct Value: Equatable, Hashable, Sendable {
    public var bits: UInt64

    @inline(__always) public init(bits: UInt64) { self.bits = bits }

    // MARK: constants and constructors

    public static let `nil` = Value(bits: 0xFFFF_FFFF_FFFF_FFFF)
    public static let `false` = Value(bits: 0xFFFF_7FFF_FFFF_FFFF)
    public static let `true` = Value(bits: 0xFFFE_FFFF_FFFF_FFFF)

    /// A number from arithmetic or any source that cannot hold a tag-space NaN (hardware NaNs are fine).
    @inline(__always) public init(_ d: Double) { bits = d.bitPattern }
    @inline(__always) public static func number(_ d: Double) -> Value { Value(bits: d.bitPattern) }
    @inline(__always) public init(_ i: Int) { bits = Double(i).bitPattern }

    /// A number from a source of unknown bits: NaNs become the canonical NaN.
    @inline(__always) public init(canonicalizing d: Double) {
        bits = d.isNaN ? TJ_CANONICAL_NAN : d.bitPattern
    }

    @inline(__always) public init(_ b: Bool) { bits = b ? 0xFFFE_FFFF_FFFF_FFFF : 0xFFFF_7FFF_FFFF_FFFF }

    @inline(__always) static func tagged(_ itype: UInt64, _ p: UnsafeMutableRawPointer) -> Value {
        Value(bits: itype << 47 | UInt64(UInt(bitPattern: p)))
    }
    @inline(__always) public init(_ s: StringRef) { self = .tagged(IType.string, UnsafeMutableRawPointer(s)) }
    @inline(__always) public init(_ t: TableRef) { self = .tagged(IType.table, UnsafeMutableRawPointer(t)) }
    @inline(__always) public init(_ f: LFuncRef) { self = .tagged(IType.function, UnsafeMutableRawPointer(f)) }
    @inline(__always) public init(_ f: CFuncRef) { self = .tagged(IType.function, UnsafeMutableRawPointer(f)) }
    @inline(__always) public init(_ th: ThreadRef) { self = .tagged(IType.thread, UnsafeMutableRawPointer(th)) }
    @inline(__always) public init(_ u: UdataRef) { self = .tagged(IType.userdata, UnsafeMutableRawPointer(u)) }
    /// Light userdata: any pointer below 2^47 (0 allowed).
    @inline(__always) public init(lightUserdata p: UInt) {
        bits = IType.lightUserdata << 47 | (UInt64(p) & TJ_PAYLOAD_MASK)
    }

    // MARK: predicates

    @inline(__always) public var itype: UInt64 { bits >> 47 }
    @inline(__always) public var isNumber: Bool { bits < TJ_NUMBER_LIMIT }
    @inline(__always) public var isNil: Bool { bits == 0xFFFF_FFFF_FFFF_FFFF }
    /// nil or false.
    @inline(__always) public var isFalsy: Bool { bits >= TJ_FALSY_LIMIT }
    @inline(__always) public var isTruthy: Bool { bits < TJ_FALSY_LIMIT }
    @inline(__always) public var isBoolean: Bool { itype == IType.true || itype == IType.false }
    @inline(__always) public var isString: Bool { itype == IType.string }
    @inline(__always) public var isTable: Bool { itype == IType.table }
    @inline(__always) public var isFunction: Bool { itype == IType.function }
    @inline(__always) public var isThread: Bool { itype == IType.thread }
    @inline(__always) public var isUserdata: Bool { itype == IType.userdata }
    @inline(__always) public var isLightUserdata: Bool { itype == IType.lightUserdata }
    /// String, table, function, userdata or thread (a heap object the GC traces).
    @inline(__always) public var isCollectable: Bool { itype &- IType.table <= IType.string &- IType.table }
    /// A Lua closure (function whose object is a tj_lfunc).
    @inline(__always) public var isLuaFunction: Bool { isFunction && object.pointee.gct == GCT.lfunc }
    @inline(__always) public var isNativeFunction: Bool { isFunction && object.pointee.gct == GCT.cfunc }

    // MARK: accessors (unchecked: test the type first)

    @inline(__always) public var number: Double { Double(bitPattern: bits) }
    @inline(__always) public var payload: UInt { UInt(bits & TJ_PAYLOAD_MASK) }
    @inline(__always) var rawPointer: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(bits & TJ_PAYLOAD_MASK)).unsafelyUnwrapped
    }
    @inline(__always) public var object: GCRef { rawPointer.assumingMemoryBound(to: tj_gcobj.self) }
    @inline(__always) public var string: StringRef { rawPointer.assumingMemoryBound(to: tj_str.self) }
    @inline(__always) public var table: TableRef { rawPointer.assumingMemoryBound(to: tj_table.self) }
    @inline(__always) public var luaFunction: LFuncRef { rawPointer.assumingMemoryBound(to: tj_lfunc.self) }
    @inline(__always) public var nativeFunction: CFuncRef { rawPointer.assumingMemoryBound(to: tj_cfunc.self) }
    @inline(__always) public var thread: ThreadRef { rawPointer.assumingMemoryBound(to: tj_thread.self) }
    @inline(__always) public var userdata: UdataRef { rawPointer.assumingMemoryBound(to: tj_udata.self) }
    /// true for `true`, false for `false` (unchecked).
    @inline(__always) public var boolean: Bool { bits == Value.true.bits }

    /// The number as an integer if it is one exactly (no fraction, within Int range).
    @inline(__always) public var exactInt: Int? {
        let d = number
        guard isNumber, d >= -9.2233720368547758e18, d < 9.2233720368547758e18 else { return nil }
        let i = Int(d)
        return Double(i) == d ? i : nil
    }

    // MARK: type

    public var kind: LuaType {
        if isNumber { return .number }
        switch itype {
        case IType.nil: return .nil
        case IType.true, IType.false: return .boolean
        case IType.string: return .string
        case IType.table: return .table
        case IType.function: return .function
        case IType.userdata: return .userdata
        case IType.thread: return .thread
        case IType.lightUserdata: return .lightUserdata
        default: return .nil  // dead keys never escape a table
        }
    }

    /// The name Lua's `type()` returns.
    public var typeName: String { kind.name }

    // MARK: equality

    /// Raw equality (Lua's rawequal): same bits, or equal numbers (so 0 == -0, NaN ~= NaN).
    /// Strings are interned, so equal strings have equal bits.
    @inline(__always) public static func rawEqual(_ a: Value, _ b: Value) -> Bool {
        if a.bits == b.bits { return a.isNumber ? a.number == a.number : true }
        return a.isNumber && b.isNumber && a.number == b.number
    }

    /// `==` on Value is raw equality (rawEqual), not bit identity: use `.bits ==` for that.
    @inline(__always) public static func == (a: Value, b: Value) -> Bool { rawEqual(a, b) }
    public func hash(into h: inout Hasher) {
        if isNumber { h.combine(number == 0 ? 0 : bits) } else { h.combine(bits) }
    }
}

extension Value: CustomDebugStringConvertible {
    /// For debugging and test messages: numbers as Lua prints them, strings quoted, objects as
    /// "table: 0x...".
    public var debugDescription: String {
        switch kind {
        case .nil: return "nil"
        case .boolean: return boolean ? "true" : "false"
        case .number: return NumberText.format(number)
        case .string: return "\"" + string.string + "\""
        default: return "\(typeName): 0x" + String(payload, radix: 16)
        }
    }
}
