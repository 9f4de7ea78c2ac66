// The code map's frames for trace code (TraceCodeMap.swift): what the profiler names JIT samples by.
import CVM
import Foundation
import Runtime
import XCTest
@testable import JIT

final class TraceCodeMapTests: XCTestCase {
    /// A side trace that returns from its base frame into the caller (RETF) runs the rest in the
    /// caller's frame, whose call record the code has popped: the code map must name that part
    /// with the caller as the base frame, not the trace's start function (samples there were
    /// shown as `advance;advance` with `main chunk` missing).
    func testCodeAfterAReturnIntoTheCallerIsNamedWithTheCallerAsBase() throws {
        let src = """
            local function advance(bodies)
              for i = 1, #bodies do
                local b = bodies[i]
                for j = i + 1, #bodies do
                  b.x = b.x + bodies[j].x * 1e-9
                end
              end
            end
            local bodies = {}
            for i = 1, 5 do bodies[i] = { x = i } end
            local e = 0
            for k = 1, 3000 do
              advance(bodies)
              e = (e + bodies[1].x * k) % 1000
            end
            print(e >= 0)
            """
        let r = JITTestSupport.run(Array(src.utf8), path: "t.lua",
                                   params: JITTestSupport.params(.native, hotness: .counter, ["hotloop=2", "hotexit=2"]))
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "true\n")
        let e = try XCTUnwrap(r.engine)
        var checked = 0
        for id in 1..<(e.stats.tracesMade + 1) {
            guard let t = e.trace(id), t.code != nil else { continue }
            for s in t.snapshots where s.baseClosure != noRef {
                let caller = ExitRestore.closure(t, s.baseClosure).pointee.proto.unsafelyUnwrapped
                XCTAssertNotEqual(caller, t.startProto)
                let frames = TraceCodeMap.positions(of: s, in: t)
                XCTAssertEqual(frames.first?.proto, caller.pointee.id, "trace \(id): base frame after RETF")
                XCTAssertEqual(frames.last?.pc, UInt32(max(0, s.pc)))
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0, "no trace returned into its caller: the program no longer tests this\n\(r.logLines.joined(separator: "\n"))")
    }
}
