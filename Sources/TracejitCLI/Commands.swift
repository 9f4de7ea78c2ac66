// The work behind `tracejit compile` and `tracejit dis`, as plain functions the tests call
// in-process. The ParsableCommand wrappers only parse arguments, call these and report errors.

import Bytecode
import Frontend

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum CLI {
    /// Default output of `compile`: `prog.lua` -> `prog.bc` next to it; other names get `.bc` added.
    public static func defaultOutputPath(for input: String) -> String {
        let name = input.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? input
        if name.hasSuffix(".lua") && name.count > 4 { return String(input.dropLast(4)) + ".bc" }
        return input + ".bc"
    }

    /// `tracejit compile`: loads `input` (source or bytecode), verifies it and writes it as
    /// bytecode to `output` (default: `defaultOutputPath(for:)`). Returns the path written.
    @discardableResult
    public static func compile(input: String, output: String? = nil, strip: Bool = false) throws -> String {
        try compileKeepingTree(input: input, output: output, strip: strip).path
    }

    /// `compile`, also handing back the prototype tree it wrote, so that a caller about to exit can
    /// keep it alive and skip freeing it (tearing down a large tree costs as much as writing it).
    static func compileKeepingTree(input: String, output: String?, strip: Bool) throws -> (path: String, tree: Proto) {
        let proto = try ProgramLoader.load(path: input)
        let out = output ?? defaultOutputPath(for: input)
        let tree = strip ? proto.stripped() : proto
        try ProgramLoader.writeFile(out) { emit in _ = BytecodeWriter.write(tree, to: emit) }
        return (out, proto)
    }

    /// `tracejit dis`: the listing of the program in `path` (source is compiled first).
    public static func disassemble(path: String) throws -> String {
        Disassembler.listing(try ProgramLoader.load(path: path))
    }

    /// The one-line message a command prints for `error` (after "tracejit: ").
    public static func message(for error: Error) -> String {
        String(describing: error)
    }

    /// Writes "tracejit: <message>" to stderr.
    public static func reportError(_ error: Error) {
        let line = "tracejit: \(message(for: error))\n"
        fputs(line, stderr)
    }
}
