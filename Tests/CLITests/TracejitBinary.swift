// The built `tracejit` binary, run as a user runs it (shared by the CLI tests that spawn it).
import Foundation
import XCTest

struct TracejitRun {
    var pid: Int32
    var status: Int32
    var stdout: String
    var stderr: String
}

enum TracejitBinary {
    /// The binary next to the test bundle; skips the test when it is not built.
    static func url() throws -> URL {
        let exe = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent().appendingPathComponent("tracejit")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw XCTSkip("tracejit binary not built at \(exe.path)")
        }
        return exe
    }

    /// Runs it to completion with `args` (extra environment variables, working directory).
    static func run(_ args: [String], environment: [String: String] = [:], directory: String? = nil) throws -> TracejitRun {
        let p = Process()
        p.executableURL = try url()
        p.arguments = args
        if !environment.isEmpty {
            var env = ProcessInfo.processInfo.environment
            for (k, v) in environment { env[k] = v }
            p.environment = env
        }
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return TracejitRun(pid: p.processIdentifier, status: p.terminationStatus,
                           stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
