// Naming.swift: the interfaces through which the profiler names what it sampled.
//
// The runtime names Lua frames (prototype id + pc -> function, source, line), the JIT names
// addresses inside compiled traces (trace number, code range, code offset -> bytecode pc), and
// a native symbolizer (libdwfl here, fakes in tests) names everything else. Profiler defines the
// protocols; the conformances live with the code that knows the answers (wired by the CLI), so
// the dependency arrows keep pointing one way.

/// What the runtime knows about a Lua frame.
public struct LuaFrameInfo: Hashable, Sendable {
    public var name: String        // "fib", "Point:len", "main chunk", "?"
    public var source: String      // chunk name, e.g. "nbody.lua"
    public var line: Int           // source line of the pc (0 unknown)
    public var definedLine: Int    // line where the function is defined (0 for the main chunk)

    public init(name: String, source: String, line: Int, definedLine: Int) {
        self.name = name
        self.source = source
        self.line = line
        self.definedLine = definedLine
    }
}

/// Implemented by the runtime (prototype table + line info). `pc` may be TJ_PC_UNKNOWN
/// (0xFFFF_FFFF) when the sampler caught a frame mid-update: name the function, line 0.
public protocol LuaFrameNaming {
    func luaFrame(proto: UInt32, pc: UInt32) -> LuaFrameInfo?
    /// Name of library function `id` (TJ_VMSTATE_LIBRARY samples), e.g. "string.format".
    func builtinName(_ id: UInt32) -> String?
}

extension LuaFrameNaming {
    public func builtinName(_ id: UInt32) -> String? { nil }
}

/// Where a native address lies inside JIT code.
public struct JITCodeLocation: Hashable, Sendable {
    /// A bytecode position: prototype id and pc (instruction index).
    public struct Position: Hashable, Sendable {
        public var proto: UInt32
        public var pc: UInt32
        public init(proto: UInt32, pc: UInt32) { self.proto = proto; self.pc = pc }
    }

    public var trace: Int                 // trace number
    public var codeRange: Range<UInt64>   // the trace's machine code
    public var proto: UInt32              // prototype the bytecode pc belongs to
    public var pc: UInt32                 // bytecode pc for this code offset
    /// Frames the trace inlined around that position, outermost first (the trace's own base frame
    /// at its call instruction, then each inlined caller); empty when the pc is in the base frame.
    public var callers: [Position]

    public init(trace: Int, codeRange: Range<UInt64>, proto: UInt32, pc: UInt32, callers: [Position] = []) {
        self.trace = trace
        self.codeRange = codeRange
        self.proto = proto
        self.pc = pc
        self.callers = callers
    }
}

/// Implemented by the JIT's trace registry: code ranges and offset -> bytecode pc maps.
public protocol JITCodeRegistry {
    func location(of address: UInt64) -> JITCodeLocation?
    /// The location in the code of generation `epoch` (RawSample.codeEpoch): code is dropped and
    /// its addresses reused at a trace flush, so a sample is named by the code it really ran.
    /// The default ignores the epoch.
    func location(of address: UInt64, epoch: UInt32) -> JITCodeLocation?
    /// Whether trace `trace` of generation `epoch` runs as machine code (a sample of it taken
    /// outside that code is in the trace's entry or exit handling). The default says no.
    func hasMachineCode(trace: Int, epoch: UInt32) -> Bool
}

extension JITCodeRegistry {
    public func location(of address: UInt64, epoch: UInt32) -> JITCodeLocation? { location(of: address) }
    public func hasMachineCode(trace: Int, epoch: UInt32) -> Bool { false }
}

/// A named native address.
public struct NativeSymbol: Hashable, Sendable {
    public var name: String     // demangled function name, or "module+0xoffset"
    public var file: String     // source file ("" unknown)
    public var line: Int        // 0 unknown
    public var module: String   // shared object or executable basename

    public init(name: String, file: String = "", line: Int = 0, module: String = "") {
        self.name = name
        self.file = file
        self.line = line
        self.module = module
    }
}

/// Names native addresses. `isReturnAddress` asks to look up `address - 1`, inside the call.
public protocol NativeSymbolizing: AnyObject {
    func symbolize(_ address: UInt64, isReturnAddress: Bool) -> NativeSymbol
}
