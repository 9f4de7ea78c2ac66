// Public entry point of the front end: Lua 5.1 source text -> verified-shape Proto tree.
//
// One pass: Lexer (tokens) -> Parser (statements and expressions) -> FuncState and
// ExpressionCodeGen (instructions, registers, constants, jump lists). See docs/bytecode.md for the
// code shapes produced.
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
    /// The returned prototype's `source` is `chunkName` as given.
    public static func compile(_ source: [UInt8], chunkName: String) throws -> Proto {
        let interner = StringInterner()
        for k in Tok.keywords { _ = interner.intern(k) }
        let lex = Lexer(source, chunkID: shortSourceName(chunkName), interner: interner)
        let parser = Parser(lex: lex, source: chunkName)
        return try parser.parseMain()
    }
}
