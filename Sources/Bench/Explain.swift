// Explain.swift: `--explain`: for each program that regressed, profile the base and the new build
// once more and write a differential flame graph (the new profile's shape, colored by how each
// frame's share of samples changed: red grew, blue shrank), using the profiler's
// `differentialFlameGraph` on folded stacks.
//
// A profiled run is the subject's command with `--folded FILE` inserted before the program
// (`tracejit run --folded FILE prog.lua ARGS`). A build that does not know the flag (it fails, or
// writes nothing) makes explain "unavailable" for that build, said plainly; nothing is invented.

import Foundation
import Profiler

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum ExplainOutcome: Equatable {
    /// The differential flame graph and the two folded profiles written.
    case written(svg: String, baseFolded: String, newFolded: String)
    case unavailable(String)
}

public struct Explainer {
    public var runner: ProcessRunner
    public var outputDirectory: String

    public init(runner: ProcessRunner, outputDirectory: String) {
        self.runner = runner
        self.outputDirectory = outputDirectory
    }

    /// The argument vector of a profiled run.
    public static func profiledArgv(command: String, foldedPath: String, program: BenchProgram) throws -> [String] {
        try splitCommand(command) + ["--folded", foldedPath, program.path] + program.args
    }

    func profile(command: String, program: BenchProgram, to path: String) -> Result<String, BenchError> {
        unlink(path)
        do {
            let out = try runner.run(RunRequest(argv: try Explainer.profiledArgv(command: command, foldedPath: path, program: program)))
            if !out.sample.succeeded {
                let why = out.stderrTail.split(separator: "\n").first.map(String.init) ?? "exit status \(out.sample.exitStatus)"
                return .failure(BenchError("explain unavailable for '\(command)': its run --folded failed (\(why))"))
            }
        } catch {
            return .failure(BenchError("explain unavailable for '\(command)': \(error)"))
        }
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
            return .failure(BenchError("explain unavailable for '\(command)': this build wrote no folded stacks (--folded not supported)"))
        }
        return .success(String(decoding: data, as: UTF8.self))
    }

    public func explain(program: BenchProgram, baseCommand: String, newCommand: String) -> ExplainOutcome {
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            return .unavailable("cannot create \(outputDirectory): \(error)")
        }
        let stem = (outputDirectory as NSString).appendingPathComponent((program.name as NSString).deletingPathExtension)
        let basePath = stem + ".base.folded", newPath = stem + ".new.folded", svgPath = stem + ".diff.svg"
        let base: String, new: String
        switch profile(command: baseCommand, program: program, to: basePath) {
        case .success(let s): base = s
        case .failure(let e): return .unavailable(e.description)
        }
        switch profile(command: newCommand, program: program, to: newPath) {
        case .success(let s): new = s
        case .failure(let e): return .unavailable(e.description)
        }
        do {
            let svg = try differentialFlameGraph(beforeFolded: base, afterFolded: new,
                                                 title: "\(program.name): base vs new (red grew, blue shrank)")
            try Data(svg.utf8).write(to: URL(fileURLWithPath: svgPath))
        } catch {
            return .unavailable("explain failed for \(program.name): \(error)")
        }
        return .written(svg: svgPath, baseFolded: basePath, newFolded: newPath)
    }
}
