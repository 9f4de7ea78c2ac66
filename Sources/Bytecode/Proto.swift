// A function prototype: the compiled form of one Lua function, as the compiler produces it, the
// .bc reader loads it and the verifier checks it. Runtime closures point at (a runtime copy of) it.

/// A constant in a prototype's pool. Strings are byte strings (Lua strings may hold any byte).
/// Numbers are compared by bit pattern, so 0.0 and -0.0 are different constants.
public enum Constant: Hashable, Sendable {
    case number(Double)
    case string([UInt8])

    public static func == (l: Constant, r: Constant) -> Bool {
        switch (l, r) {
        case let (.number(x), .number(y)): return x.bitPattern == y.bitPattern
        case let (.string(x), .string(y)): return x == y
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .number(let x): h.combine(0); h.combine(x.bitPattern)
        case .string(let s): h.combine(1); h.combine(s)
        }
    }
}

/// Where a closure finds an upvalue when it is created: a slot of the enclosing function's frame
/// (`inParentFrame`) or one of the enclosing closure's own upvalues.
public struct UpvalueDesc: Hashable, Sendable {
    public var inParentFrame: Bool
    public var index: Int
    public init(inParentFrame: Bool, index: Int) {
        self.inParentFrame = inParentFrame
        self.index = index
    }
}

/// A local variable's name, its register, and the pcs where it is live: [startPC, endPC).
public struct LocalVarInfo: Hashable, Sendable {
    public var name: String
    public var register: Int
    public var startPC: Int
    public var endPC: Int
    public init(name: String, register: Int, startPC: Int, endPC: Int) {
        self.name = name
        self.register = register
        self.startPC = startPC
        self.endPC = endPC
    }
}

/// Debug information; absent from stripped prototypes.
public struct DebugInfo: Hashable, Sendable {
    /// Source line of each instruction (same count as `code`).
    public var lineInfo: [Int32]
    public var locals: [LocalVarInfo]
    public var upvalueNames: [String]
    public init(lineInfo: [Int32] = [], locals: [LocalVarInfo] = [], upvalueNames: [String] = []) {
        self.lineInfo = lineInfo
        self.locals = locals
        self.upvalueNames = upvalueNames
    }
}

public final class Proto: Sendable, Equatable {
    /// Chunk name as given to the compiler ("@prog.lua", "=stdin", or the source text itself);
    /// `shortSourceName(source)` is what messages show.
    public let source: String
    public let lineDefined: Int
    public let lastLineDefined: Int
    public let numParams: Int
    public let isVararg: Bool
    /// Slots the frame needs (registers 0 ..< frameSize).
    public let frameSize: Int
    public let code: [Instruction]
    public let constants: [Constant]
    public let upvalues: [UpvalueDesc]
    public let protos: [Proto]
    public let debug: DebugInfo?

    public init(source: String, lineDefined: Int, lastLineDefined: Int, numParams: Int, isVararg: Bool,
                frameSize: Int, code: [Instruction], constants: [Constant], upvalues: [UpvalueDesc],
                protos: [Proto], debug: DebugInfo?) {
        self.source = source
        self.lineDefined = lineDefined
        self.lastLineDefined = lastLineDefined
        self.numParams = numParams
        self.isVararg = isVararg
        self.frameSize = frameSize
        self.code = code
        self.constants = constants
        self.upvalues = upvalues
        self.protos = protos
        self.debug = debug
    }

    public static func == (l: Proto, r: Proto) -> Bool {
        l === r || (l.source == r.source && l.lineDefined == r.lineDefined
            && l.lastLineDefined == r.lastLineDefined && l.numParams == r.numParams
            && l.isVararg == r.isVararg && l.frameSize == r.frameSize && l.code == r.code
            && l.constants == r.constants && l.upvalues == r.upvalues && l.protos == r.protos
            && l.debug == r.debug)
    }

    /// The same prototype tree without debug information (`--strip`).
    public func stripped() -> Proto {
        Proto(source: source, lineDefined: lineDefined, lastLineDefined: lastLineDefined,
              numParams: numParams, isVararg: isVararg, frameSize: frameSize, code: code,
              constants: constants, upvalues: upvalues, protos: protos.map { $0.stripped() }, debug: nil)
    }

    /// Source line of `pc`, or nil when stripped.
    public func line(at pc: Int) -> Int? {
        guard let d = debug, pc >= 0, pc < d.lineInfo.count else { return nil }
        return Int(d.lineInfo[pc])
    }

    /// Name of the local variable held in `register` at `pc`, if any.
    public func localName(register: Int, pc: Int) -> String? {
        guard let d = debug else { return nil }
        var found: String?
        for l in d.locals where l.register == register && l.startPC <= pc && pc < l.endPC { found = l.name }
        return found
    }
}
