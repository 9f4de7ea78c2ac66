// Public entry point of the front end: Lua 5.1 source text -> verified-shape Proto tree.
import Bytecode

/// A syntax error, formatted as Lua formats it: `prog.lua:12: '=' expected near 'x'`.
public struct SyntaxError: Error, CustomStringConvertible, Sendable {
    public let message: String      // full message including "chunk:line:" prefix
    public let line: Int
    public init(message: String, line: Int) {
        self.message = message
        self.line = line
    }
    public var description: String { message }
}

public enum Compiler {
    /// Compiles a chunk. `chunkName` follows Lua's conventions: "@prog.lua" for a file,
    /// "=stdin" for a literal name, otherwise the source itself (shown as [string "..."]).
    public static func compile(_ source: [UInt8], chunkName: String) throws -> Proto {
        throw SyntaxError(message: "\(chunkName): front end not built yet", line: 0)  // replaced by the front end
    }
}
