// The `tracejit` command line. Each subcommand lives in its own file and only parses arguments and
// calls the libraries, so tests can drive everything in-process.
import ArgumentParser

public struct TracejitCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tracejit",
        abstract: "A trace-compiling Lua 5.1 VM with a sampling profiler.",
        subcommands: [RunCommand.self, CompileCommand.self, DisCommand.self, BenchCommand.self, FlamegraphCommand.self,
                      FlagsCommand.self])

    public init() {}
}
