// A root loop trace that reaches another loop's trace is retried at the next back-edge
// (`tryinner`) for an iteration that stays in its own loop, so the loop's trace is a loop over
// its common path whichever iteration the hotness happened to pick (sieve.lua was 0.3 s or 0.6 s
// by the sampler's timing). Counter hotness makes the picked iteration deterministic.
import JIT
import XCTest

final class InnerLinkTests: XCTestCase {
    /// An outer loop whose iterations of one parity run an inner loop.
    static func program(parity: Int) -> String {
        """
        local n = 0
        for i = 1, 600 do
          if i % 2 == \(parity) then
            for j = 1, 20 do n = n + j end
          end
          n = n + 1
        end
        print(n)
        """
    }

    /// The inner loop's exit gets no side trace before the outer loop is hot (such a side trace
    /// goes round the outer loop back into the inner trace, and the outer loop's back-edge is
    /// never interpreted again).
    static let late = ["hotexit=1000"]

    /// The outer loop's root trace (body start: line 3): its log line, if it was made.
    static func outerTrace(_ r: JITTestSupport.Run) -> String? {
        r.logLines.first { $0.hasPrefix("[TRACE") && $0.contains("t.lua:3") && !$0.contains("(") && !$0.contains("---") }
    }

    func testOuterLoopTraceIsALoopWhicheverIterationGotHot() {
        // One of the parities makes the outer loop hot on an iteration that enters the inner loop.
        var retried = 0
        for parity in 0...1 {
            let r = JITTestSupport.differential(Self.program(parity: parity), hotness: .counter, Self.late)
            let outer = Self.outerTrace(r)
            XCTAssertNotNil(outer, "parity \(parity): no root trace for the outer loop: \(r.logLines)")
            XCTAssertTrue(outer?.hasSuffix(" loop]") == true, "parity \(parity): \(outer ?? "-")")
            retried += r.logLines.filter { $0.contains("reached another loop's trace") }.count
        }
        XCTAssertGreaterThan(retried, 0, "neither parity exercised the retry")
    }

    func testWithoutRetriesTheOuterTraceLinksToTheInnerOne() {
        // tryinner=0 is the old behaviour: the parity that gets hot inside the inner loop's
        // iteration links to it.
        var linked = 0
        for parity in 0...1 {
            let r = JITTestSupport.differential(Self.program(parity: parity), hotness: .counter, Self.late + ["tryinner=0"])
            if let outer = Self.outerTrace(r), outer.contains(" -> ") { linked += 1 }
        }
        XCTAssertEqual(linked, 1)
    }

    func testLoopWhoseEveryIterationEntersTheInnerLoopStillLinks() {
        // No iteration stays in the outer loop: after `tryinner` retries its trace links to the
        // inner loop's trace, as before, and is not blacklisted.
        let src = """
        local n = 0
        for i = 1, 300 do
          n = n + i
          for j = 1, 20 do n = n + j end
        end
        print(n)
        """
        let r = JITTestSupport.differential(src, hotness: .counter, Self.late)
        let retries = r.logLines.filter { $0.contains("reached another loop's trace") }.count
        XCTAssertEqual(retries, JITParams().tryinner)
        XCTAssertTrue(r.logLines.contains { $0.hasPrefix("[TRACE") && $0.contains("t.lua:3") && $0.contains(" -> ") },
                      "\(r.logLines)")
        XCTAssertFalse(r.logLines.contains { $0.contains("blacklisted") }, "\(r.logLines)")
    }
}
