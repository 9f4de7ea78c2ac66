// Loading a program from a file, the way every command does it (`run`, `dis`, `compile`): read the
// bytes, tell bytecode from source by the magic, then read + verify the bytecode or compile (and
// verify) the source. What comes back is a verified prototype tree the interpreter may trust.
//
// Errors are values with a complete message and no stack dump: `ProgramLoadError` for files that
// cannot be read or written, `SyntaxError` from the compiler, `BytecodeError` (prefixed with the
// path) from the reader and the verifier.

import Bytecode

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that cannot be read or written, or a bytecode format we do not read.
public struct ProgramLoadError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

public enum ProgramFormat: Sendable, Equatable {
    case source
    case bytecode
}

public enum ProgramLoader {
    /// Bytecode when the bytes start with the tracejit magic, else source. A foreign binary chunk
    /// (LuaJIT's or PUC Lua's, starting with ESC) is reported by `load(bytes:path:)`.
    public static func format(of bytes: [UInt8]) -> ProgramFormat {
        BytecodeFile.hasMagic(bytes) ? .bytecode : .source
    }

    /// Loads and verifies the program in the file at `path`.
    public static func load(path: String) throws -> Proto {
        try load(bytes: readFile(path), path: path)
    }

    /// Loads and verifies a program whose bytes came from the file `path` (chunk name "@path").
    /// A first line starting with '#' (`#!/usr/bin/env ...`) is skipped by the lexer.
    public static func load(bytes: [UInt8], path: String) throws -> Proto {
        try load(chunk: bytes, chunkName: "@" + path)
    }

    /// Loads and verifies a chunk from memory, source or bytecode (as Lua's `load`/`loadstring`
    /// accept both). Messages name it by `shortSourceName(chunkName)`.
    public static func load(chunk bytes: [UInt8], chunkName: String) throws -> Proto {
        switch format(of: bytes) {
        case .bytecode:
            do {
                return try BytecodeFile.load(bytes)
            } catch let e as BytecodeError {
                throw e.prefixed(shortSourceName(chunkName))
            }
        case .source:
            if let first = bytes.first, first == 0x1b {
                throw ProgramLoadError(message: "\(shortSourceName(chunkName)): \(foreignBinaryName(bytes)) is not "
                    + "tracejit bytecode; compile the source with `tracejit compile`")
            }
            return try compile(source: bytes, chunkName: chunkName)
        }
    }

    /// Compiles source and verifies the result. A verifier failure here is a compiler bug; it is
    /// reported as such rather than run.
    public static func compile(source: [UInt8], chunkName: String) throws -> Proto {
        let proto = try Compiler.compile(source, chunkName: chunkName)
        do {
            try Verifier.verify(proto)
        } catch let e as BytecodeError {
            throw BytecodeError(message: "internal compiler error: \(e.message)", offset: e.offset,
                                function: e.function, pc: e.pc)
        }
        return proto
    }

    static func foreignBinaryName(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0x1b, 0x4c, 0x4a]) { return "LuaJIT bytecode" }
        if bytes.starts(with: [0x1b, 0x4c, 0x75, 0x61]) { return "Lua bytecode" }
        return "a binary file (it starts with ESC)"
    }

    // MARK: Files

    /// All bytes of the file at `path`.
    public static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("cannot open", path) }
        defer { close(fd) }
        var out: [UInt8] = []
        var st = stat()
        if fstat(fd, &st) == 0 && st.st_size > 0 { out.reserveCapacity(Int(st.st_size) + 1) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("cannot read", path)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Writes `bytes` to `path`, replacing it.
    public static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        try writeFile(path) { emit in _ = bytes.withUnsafeBytes { emit($0) } }
    }

    /// Writes the file at `path` (replacing it) from the pieces `produce` passes to its `emit`
    /// argument, in order. `emit` returns false after a write error; `produce` may stop then.
    public static func writeFile(_ path: String,
                                 streaming produce: (_ emit: (UnsafeRawBufferPointer) -> Bool) -> Void) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("cannot write", path) }
        var ok = true
        var err: Int32 = 0
        produce { buf in
            guard ok else { return false }
            guard let base = buf.baseAddress else { return true }
            var off = 0
            while off < buf.count {
                let n = write(fd, base + off, buf.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    ok = false
                    err = errno
                    return false
                }
                off += n
            }
            return true
        }
        if close(fd) != 0 && ok { throw ioError("cannot write", path) }
        if !ok {
            errno = err
            throw ioError("cannot write", path)
        }
    }

    private static func ioError(_ what: String, _ path: String) -> ProgramLoadError {
        let reason = String(cString: strerror(errno))
        return ProgramLoadError(message: "\(what) \(path): \(reason)")
    }
}
