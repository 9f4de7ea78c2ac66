import CSampler
import CVM
import Foundation
import XCTest

@testable import Profiler

/// Writes a real mixed-mode profile in every format to $TJ_PROFILER_DUMP (when set) so external
/// consumers (go tool pprof, xmllint, speedscope) can be pointed at them; see docs/profiler.md.
final class ExternalCheckTests: XCTestCase {
    func testDumpExportsForExternalConsumers() throws {
        guard let dir = ProcessInfo.processInfo.environment["TJ_PROFILER_DUMP"] else {
            throw XCTSkip("set TJ_PROFILER_DUMP=dir to write sample exports")
        }
        let vm = FakeVM()
        vm.setStack([(0, 4), (1, 6), (2, 8)])
        var o = ProfileOptions()
        o.mode = .mixed
        o.reportPath = dir + "/report.txt"
        o.flamegraphPath = dir + "/mixed.svg"
        o.foldedPath = dir + "/mixed.folded"
        o.speedscopePath = dir + "/mixed.speedscope.json"
        o.pprofPath = dir + "/mixed.pb.gz"
        let session = ProfileSession(options: o, frameLayout: FakeVM.layout, vmState: vm.state)
        try session.start()
        let t0 = tj_thread_cpu_ns()
        var flip = false
        while tj_thread_cpu_ns() - t0 < 300_000_000 {
            flip.toggle()
            if flip { _ = tj_test_busy_loop(300_000) } else { _ = profilerTestSwiftSpin(100_000) }
        }
        let p = session.stop(luaNamer: FakeLuaNamer(), interpreterSymbols: ["testDumpExportsForExternalConsumers"])
        try session.writeOutputs(p)
        var lua = ProfileOptions()
        lua.reportPath = ""
        lua.foldedPath = dir + "/lua.folded"
        try ProfileSession(options: lua).writeOutputs(Fixture.profile())
        let diff = try differentialFlameGraph(beforeFolded: FoldedStacks.render(Fixture.profile()),
                                              afterFolded: String(contentsOfFile: dir + "/mixed.folded", encoding: .utf8))
        try Data(diff.utf8).write(to: URL(fileURLWithPath: dir + "/diff.svg"))
        try Data(TextReport(color: true).render(p).utf8).write(to: URL(fileURLWithPath: dir + "/report-color.txt"))
    }

    /// Runs a tool if it is installed; nil when it is not.
    func run(_ tool: String, _ args: [String]) throws -> (status: Int32, output: String)? {
        let path = ["/usr/bin/", "/usr/local/bin/", "/usr/lib/go/bin/"].map { $0 + tool }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let exe = path else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func temp(_ name: String, _ data: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tj-\(getpid())-\(name)").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// pprof's own reader (`go tool pprof`, Debian golang-go) accepts the file and sees our stacks.
    func testGoToolPprofReadsTheProfile() throws {
        let path = try temp("p.pb.gz", Pprof.render(Fixture.profile()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let r = try run("go", ["tool", "pprof", "-traces", path]) else { throw XCTSkip("go not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("Type: cpu"), r.output)
        XCTAssertTrue(r.output.contains("hot (prog.lua:10)"), r.output)
        XCTAssertTrue(r.output.contains("60ms") || r.output.contains("40ms"), r.output)
        guard let top = try run("go", ["tool", "pprof", "-top", "-sample_index=samples", path]) else { return }
        XCTAssertTrue(top.output.contains("Showing nodes accounting for 110, 100% of 110 total"), top.output)
    }

    /// libxml2's parser (xmllint, Debian libxml2-utils) finds both SVGs well-formed.
    func testXmllintAcceptsTheFlameGraphs() throws {
        let a = try temp("f.svg", Data(FlameGraphSVG().render(Fixture.profile()).utf8))
        let b = try temp("d.svg", Data(try differentialFlameGraph(beforeFolded: "a;b 3\n", afterFolded: "a;b 1\na;c 2\n").utf8))
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        guard let r = try run("xmllint", ["--noout", a, b]) else { throw XCTSkip("xmllint not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(r.output, "")
    }
}
