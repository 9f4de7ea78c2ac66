import ArgumentParser

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a Lua program to verified bytecode (.bc).")

    @Argument(help: "The Lua source (or a .bc file to re-write, e.g. with --strip).")
    var input: String

    @Option(name: .shortAndLong, help: "Output file (default: the input with .lua replaced by .bc).")
    var output: String?

    @Flag(help: "Leave out debug information (line numbers, local and upvalue names).")
    var strip = false

    func run() throws {
        do {
            try CLI.compile(input: input, output: output, strip: strip)
        } catch {
            CLI.reportError(error)
            throw ExitCode.failure
        }
    }
}
