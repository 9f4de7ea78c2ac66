// `tracejit flamegraph diff before.folded after.folded -o diff.svg`: a differential flame graph of
// two folded-stack files (as `run --folded` writes them): the after profile's shape, each frame
// colored by the change of its share of all samples (red grew, blue shrank).
import ArgumentParser
import Foundation
import Profiler

public struct FlamegraphCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "flamegraph",
        abstract: "Flame graph tools.",
        subcommands: [FlamegraphDiffCommand.self])

    public init() {}
}

public struct FlamegraphDiffCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Write a differential flame graph (SVG) of two folded-stack profiles.")

    @Argument(help: "The folded stacks before the change.")
    var before: String

    @Argument(help: "The folded stacks after the change.")
    var after: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "The SVG file to write.")
    var output: String

    public init() {}

    public mutating func run() throws {
        let status = flamegraphDiff(before: before, after: after, output: output)
        if status != 0 { throw ExitCode(status) }
    }
}

/// Reads both folded files, writes the differential SVG; errors go to stderr. Returns the exit status.
public func flamegraphDiff(before: String, after: String, output: String) -> Int32 {
    func read(_ path: String) -> String? {
        guard let d = FileManager.default.contents(atPath: path) else {
            fputs("tracejit: cannot open \(path)\n", stderr)
            return nil
        }
        return String(decoding: d, as: UTF8.self)
    }
    guard let b = read(before), let a = read(after) else { return 1 }
    let svg: String
    do {
        svg = try differentialFlameGraph(beforeFolded: b, afterFolded: a,
                                         title: "tracejit differential: \(before) -> \(after)")
    } catch {
        fputs("tracejit: bad folded stacks: \(error)\n", stderr)
        return 1
    }
    guard FileManager.default.createFile(atPath: output, contents: Data(svg.utf8)) else {
        fputs("tracejit: cannot write \(output)\n", stderr)
        return 1
    }
    return 0
}
