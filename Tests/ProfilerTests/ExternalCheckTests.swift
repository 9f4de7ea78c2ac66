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
}
