// Sample hotness for side exits, engine side: the sampler's marks (JITEngine.markExitHot, from its
// drain thread) land on the snapshot they name only while that trace is alive in the same code
// generation; stale ones (flushed traces, reused ids) and nonsense ones are dropped.
import CVM
import Foundation
import Runtime
import XCTest
@testable import JIT

final class HotExitMarkTests: XCTestCase {
    func testMarksApplyOnlyToLiveExitsOfTheirCodeGeneration() throws {
        let vm = LuaVM()
        // counter hotness with an unreachable hotexit: traces, but no side trace of its own
        let e = JITEngine(vm: vm, params: JITTestSupport.params(.ir, hotness: .counter, ["hotloop=2", "hotexit=1000000"]))
        e.attach()
        defer { e.detach() }
        let src = Array("local s = 0 for i = 1, 1000 do if i % 3 == 0 then s = s + 1 else s = s - 1 end end".utf8)
        XCTAssertEqual(vm.runMainChunk(bytes: src, chunkName: "=marks"), 0)
        let t = try XCTUnwrap(e.trace(1))
        XCTAssertGreaterThan(t.snapshots.count, 1)
        let epoch = e.codeMap.epoch
        let snap = try XCTUnwrap(t.snapshots.indices.first { !e.isGCExit(t, $0) })
        e.markExitHot(epoch: epoch &+ 1, trace: 1, snap: snap)      // another generation
        e.markExitHot(epoch: epoch, trace: 99, snap: 0)             // no such trace
        e.markExitHot(epoch: epoch, trace: 1, snap: 100_000)        // no such snapshot
        e.markExitHot(epoch: epoch, trace: 1, snap: -1)
        XCTAssertEqual(e.applyHotExitMarks(), 0)
        XCTAssertFalse(t.snapshots.contains { $0.hotBySamples })
        e.markExitHot(epoch: epoch, trace: 1, snap: snap)
        e.markExitHot(epoch: epoch, trace: 1, snap: snap)           // twice: marked once
        XCTAssertEqual(e.hotExitsPending.pointee, 1)
        XCTAssertEqual(e.applyHotExitMarks(), 1)
        XCTAssertEqual(e.hotExitsPending.pointee, 0)
        XCTAssertTrue(t.snapshots[snap].hotBySamples)
        XCTAssertEqual(e.stats.exitsHotBySamples, 1)
        // after a flush the same trace id is made again, in a new generation: old marks miss it
        e.flush(reason: "test")
        XCTAssertEqual(tj_vm_state.last_exit, 0)
        XCTAssertEqual(vm.runMainChunk(bytes: src, chunkName: "=marks"), 0)
        let t2 = try XCTUnwrap(e.trace(1))
        XCTAssertFalse(t2 === t)
        XCTAssertNotEqual(e.codeMap.epoch, epoch)
        e.markExitHot(epoch: epoch, trace: 1, snap: snap)
        XCTAssertEqual(e.applyHotExitMarks(), 0)
        XCTAssertFalse(t2.snapshots.contains { $0.hotBySamples })
    }

    /// Counter hotness never publishes exits (the sampler is not looking), and exits are cleared
    /// when a trace is entered: after a run nothing is left published.
    func testCounterModePublishesNoExit() {
        let vm = LuaVM()
        let e = JITEngine(vm: vm, params: JITTestSupport.params(.ir, hotness: .counter, ["hotloop=2", "hotexit=2"]))
        e.attach()
        defer { e.detach() }
        tj_vm_state.last_exit = 0
        XCTAssertEqual(vm.runMainChunk(bytes: Array("local s = 0 for i = 1, 1000 do if i % 3 == 0 then s = s + 1 end end".utf8),
                                       chunkName: "=c"), 0)
        XCTAssertGreaterThan(e.stats.exits, 0)
        XCTAssertGreaterThan(e.stats.sideTraces, 0)
        XCTAssertEqual(tj_vm_state.last_exit, 0)
        XCTAssertEqual(e.exitSeq, 0)
    }
}
