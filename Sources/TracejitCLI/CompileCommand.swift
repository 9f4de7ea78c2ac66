import ArgumentParser

#if canImport(Glibc)
import Glibc
private func exitProcess(_ code: Int32) -> Never { Glibc.exit(code) }
#elseif canImport(Darwin)
import Darwin
private func exitProcess(_ code: Int32) -> Never { Darwin.exit(code) }
#endif

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
            let result = try CLI.compileKeepingTree(input: input, output: output, strip: strip)
            // Nothing is left to do: exit now, without freeing the prototype tree.
            withExtendedLifetime(result.tree) { exitProcess(0) }
        } catch {
            CLI.reportError(error)
            throw ExitCode.failure
        }
    }
}
