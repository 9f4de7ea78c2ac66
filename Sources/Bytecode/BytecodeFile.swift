// The .bc file: constants shared by the writer and the reader, the error type of everything that
// rejects bytecode (reader and verifier), and the one entry point a loader should call.
//
// docs/bytecode.md, section "The .bc file format", describes the layout byte by byte.

/// Why a .bc file (or a prototype tree) was rejected. `message` is complete and names where the
/// problem is: the file offset for malformed bytes, the function (its index path such as
/// `main>2>0` and the line it was defined on) and pc for code that fails verification.
public struct BytecodeError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    /// Byte offset in the file, for errors found while reading.
    public let offset: Int?
    /// Index path of the prototype ("main", "main>2>0"), when known.
    public let function: String?
    /// Instruction index, for errors found in code.
    public let pc: Int?

    public init(message: String, offset: Int? = nil, function: String? = nil, pc: Int? = nil) {
        self.message = message
        self.offset = offset
        self.function = function
        self.pc = pc
    }

    public var description: String { message }

    /// The same error with `prefix: ` in front of the message (e.g. the file's path).
    public func prefixed(_ prefix: String) -> BytecodeError {
        BytecodeError(message: "\(prefix): \(message)", offset: offset, function: function, pc: pc)
    }
}

public enum BytecodeFile {
    /// "\x1bTJB": ESC as Lua's binary chunks, then "TJB" (tracejit bytecode).
    public static let magic: [UInt8] = [0x1b, 0x54, 0x4a, 0x42]
    /// Bumped whenever the layout or the instruction set changes (see Opcode.swift).
    public static let version: UInt16 = 1

    /// Header flag bits.
    public static let flagStripped: UInt8 = 1 << 0
    /// Prototype flag bits.
    public static let protoFlagVararg: UInt8 = 1 << 0
    /// Upvalue descriptor flag bits.
    public static let upvalueFlagInParentFrame: UInt8 = 1 << 0
    /// Constant tags.
    public static let constantNumber: UInt8 = 0
    public static let constantString: UInt8 = 1

    /// Prototypes may nest at most this deep (the main chunk is depth 1).
    public static let maxDepth = 200

    /// True when `bytes` start with the tracejit magic.
    public static func hasMagic(_ bytes: [UInt8]) -> Bool {
        bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic
    }

    /// Reads and verifies a .bc file. The result may be run without further checks.
    public static func load(_ bytes: [UInt8]) throws -> Proto {
        let proto = try BytecodeReader.read(bytes)
        try Verifier.verify(proto)
        return proto
    }

    /// Serializes a verified prototype tree (stripped when its main prototype has no debug info).
    public static func write(_ proto: Proto) -> [UInt8] {
        BytecodeWriter.write(proto)
    }
}
