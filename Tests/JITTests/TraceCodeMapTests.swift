// The code map's frames for trace code (TraceCodeMap.swift): what the profiler names JIT samples by.
import CVM
import Foundation
import Runtime
import XCTest
@testable import JIT

final class TraceCodeMapTests: XCTestCase {
    /// Samples bring any address: a native walk's garbage return address, or 0 - 1 for a return
    /// address of 0. Lookups answer nil for addresses past the last trace's code (this trapped when
    /// the distance did not fit an Int: a crash at the end of a profiled JIT run of json.lua).
    func testLookupOfAnyAddressAnswersWithoutTrapping() {
        let map = TraceCodeMap()
        let pos = InstalledTraceCode.Position(proto: 1, pc: 3)
        map.register(InstalledTraceCode(trace: 1, epoch: 0, address: 0x10_000, size: 0x100, location: "t.lua:1",
                                        regions: [.init(offset: 0, frames: [pos])]))
        XCTAssertEqual(map.lookup(0x10_050)?.frames, [pos])
        XCTAssertNil(map.lookup(0x10_100))
        XCTAssertNil(map.lookup(0xFFFF))
        XCTAssertNil(map.lookup(UInt64.max))
        XCTAssertNil(map.lookup(0 &- 1))
        XCTAssertNil(map.lookup(0x8000_0000_0001_0000))
    }

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
