import ArgumentParser

struct DisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dis",
        abstract: "List the bytecode of a program (.lua is compiled first; .bc is read and verified).")

    @Argument(help: "A Lua source or .bc file; the format is detected from the file's first bytes.")
    var input: String

    func run() throws {
        let text: String
        do {
            text = try CLI.disassemble(path: input)
        } catch {
            CLI.reportError(error)
            throw ExitCode.failure
        }
        print(text, terminator: "")
    }
}
