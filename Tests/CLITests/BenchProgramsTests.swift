// Every bench/ program, at its small size from bench/sizes.txt, runs under `tracejit run
// --interp-only` through the built binary and prints exactly its expected line (the programs also
// check themselves and exit non-zero when wrong). Speed is measured by `tracejit bench`, not here.
import Foundation
import XCTest

final class BenchProgramsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryBenchProgramVerifiesUnderTheInterpreter() throws {
        let exe = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent().appendingPathComponent("tracejit")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw XCTSkip("tracejit binary not built at \(exe.path)")
        }
        let sizes = try String(contentsOf: Self.root.appendingPathComponent("bench/sizes.txt"), encoding: .utf8)
        var checked = 0
        for line in sizes.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { XCTFail("bad sizes.txt line: \(line)"); continue }
            let p = Process()
            p.executableURL = exe
            p.arguments = ["run", "--interp-only", "bench/" + parts[0], parts[1]]
            p.currentDirectoryURL = Self.root
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            p.standardInput = FileHandle.nullDevice
            try p.run()
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "\(parts[0]) \(parts[1]): \(e)")
            XCTAssertEqual(o, parts[2] + "\n", "\(parts[0]) \(parts[1])")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 16)
    }
}
