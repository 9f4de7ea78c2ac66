// Short loops unrolled into the trace that enters them (RecordUnroll.swift): results equal the
// interpreter's on both backends, and the engine's traces show what was unrolled, what was not,
// and that unrolling stops for a loop whose unrolled copies exit often.
import Foundation
import Runtime
import XCTest
@testable import JIT

final class UnrollTests: XCTestCase {
    @discardableResult
    func run(_ src: String, hotness: HotnessMode = .counter, _ settings: [String] = [],
             file: StaticString = #filePath, line: UInt = #line) -> JITTestSupport.Run {
        JITTestSupport.differential(src, hotness: hotness, ["hotloop=3", "hotexit=2"] + settings, file: file, line: line)
    }

    static let findMax = """
    local function findMax(t)
      local m = t[1]
      for i = 2, #t do
        if t[i] > m then m = t[i] end
      end
      return m
    end
    local t = { 3, 9, 2, 7, 5, 8, 1, 6, 4, 10 }
    local sum = 0
    for k = 1, 3000 do sum = sum + findMax(t) end
    print(sum)
    """

    /// The root trace a side trace's end was relinked to (the log's `relinked -> N`), if any.
    static func relinkTarget(_ r: JITTestSupport.Run) -> Trace? {
        guard let l = r.logLines.first(where: { $0.contains("relinked -> ") }),
              let n = Int(l.split(separator: " ").last?.dropLast() ?? "") else { return nil }
        return r.engine?.trace(n)
    }

    /// The outer loop gets a root trace with the whole call unrolled, and the side trace that went
    /// round it is relinked there: in the steady state one trace runs (before: the inner loop's
    /// trace was entered and left at every call).
    func testCallWithShortLoopRunsInOneTrace() {
        let r = run(Self.findMax)
        let outer = Self.relinkTarget(r)
        XCTAssertNotNil(outer, "\(r.logLines)")
        XCTAssertNil(outer?.parent)
        XCTAssertEqual(outer.map { r.engine?.linkText($0) }, "loop")
        XCTAssertGreaterThan(outer?.entries ?? 0, 0)
        XCTAssertLessThan(r.stats?.exits ?? .max, 20, "\(r.logLines)")

        let off = run(Self.findMax, ["unrollshort=0"])
        XCTAssertNil(Self.relinkTarget(off), "\(off.logLines)")
        XCTAssertTrue(off.logLines.contains("[TRACE   2 (1/5) t.lua:4 -> 1]"), "\(off.logLines)")
    }

    /// Not unrolled: a start that is not a constant (`i + 1`), a trip count over `unrollshort`, a
    /// body with a Lua call. The side trace from the inner loop's exit goes round the outer loop
    /// and links back to the inner loop's trace; an unrolled short loop instead gets the outer
    /// loop a trace of its own, which the side trace is relinked to.
    func testLoopsThatAreNotUnrolled() {
        func program(_ inner: String) -> String {
            """
            local function f(x) return x * 2 end
            local s = 0
            for i = 1, 300 do
              \(inner)
            end
            print(s)
            """
        }
        for (src, what) in [
            ("for j = i + 1, 8 do s = s + j end", "loop-variant start"),
            ("for j = 1, 20 do s = s + j end", "trip count 20"),
            ("for j = 1, 4 do s = s + f(j) end", "a call in the body"),
        ] {
            let r = run(program(src))
            XCTAssertNil(Self.relinkTarget(r), "\(what): \(r.logLines)")
            XCTAssertTrue(r.logLines.contains { $0.hasPrefix("[TRACE   2 (1/") && $0.hasSuffix("-> 1]") },
                          "\(what): \(r.logLines)")
        }
        let unrolled = run(program("for j = 1, 4 do s = s + j end"))
        XCTAssertNotNil(Self.relinkTarget(unrolled), "\(unrolled.logLines)")
    }

    /// Branches on changing data inside unrolled copies: the first hot exit from one stops the
    /// loop's unrolling for good, and the results stay right.
    func testHotExitInsideUnrolledLoopStopsUnrolling() {
        let r = run("""
        local function count(t, k)
          local n = 0
          for i = 1, 8 do
            if t[i] % k == 0 then n = n + 1 end
          end
          return n
        end
        local t = { 1, 2, 3, 4, 5, 6, 7, 8 }
        local s = 0
        for k = 1, 600 do s = s + count(t, k % 5 + 1) end
        print(s)
        """)
        XCTAssertTrue(r.logLines.contains { $0.contains("short loop no longer unrolled") }, "\(r.logLines)")
    }

    /// A limit that changes between activations exits at the last unrolled test.
    func testTripCountChangesBetweenActivations() {
        run("""
        local function total(t)
          local s = 0
          for i = 1, #t do s = s + t[i] end
          return s
        end
        local a, b, c = { 1, 2, 3 }, { 1, 2, 3, 4, 5 }, {}
        local acc = 0
        for k = 1, 400 do acc = acc + total(k % 3 == 0 and b or (k % 3 == 1 and a or c)) end
        print(acc)
        """)
        run("""
        local s = 0
        for i = 1, 200 do
          for j = 1, i % 4 do s = s + j end
          for j = 3, 1, -1 do s = s - j end
        end
        print(s)
        """, hotness: .eager)
    }

    /// A side trace from the loop exit of a vararg function stops at its `return s, ...` (a vararg
    /// frame is not popped by a trace): the stop keeps the multiple results' top, else the
    /// interpreter's RET with B=0 returned nothing (`select` got no value, `#{h(k)}` counted 0).
    /// Found with short loops unrolled (the side trace comes first then); also without them.
    func testSideTraceStopsAtVarargReturnWithItsResults() {
        let src = """
        local function g(...) return select("#", ...) end
        local function f(...)
          local s = 0
          for i = 1, 3 do s = s + i end
          return g(...)
        end
        local function h(...)
          local s = 0
          for i = 1, 3 do s = s + i end
          return s, ...
        end
        local acc = 0
        for k = 1, 30 do
          for r = 1, 2 do acc = acc + f(k, r, k) + select("#", h(r, k)) + #{h(k)} end
        end
        print(acc)
        """
        for settings in [[], ["unrollshort=0"]] {
            let r = run(src, settings)
            XCTAssertGreaterThan(r.stats?.sideTraces ?? 0, 0, "\(settings): \(r.logLines)")
            run(src, hotness: .eager, settings)
        }
    }

    /// Limits that are NaN, infinite or huge, forward and backward, with breaks: the unrolling
    /// rule needs a finite limit and the copies keep their loop tests. (Not in the conformance
    /// corpus: LuaJIT 2.1 with its JIT on prints a different first number; `luajit -joff` agrees.)
    func testNaNAndInfiniteLimits() {
        let src = """
        local nan = 0/0
        local lims = {3, nan, 1e308, -1e308, 2, math.huge, -math.huge}
        local s, c = 0, 0
        for k = 1, 210 do
          local lim = lims[k % #lims + 1]
          local n = 0
          for i = 1, lim do
            n = n + 1
            if n > 5 then break end
          end
          s = s + n
          for i = 2, lim, -1 do c = c + 1; if c % 4 == 0 then break end end
        end
        print(s, c)
        """
        let r = run(src)
        XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), "510\t240\n")
        run(src, hotness: .eager)
    }

    /// A loop left by `break` is no longer the loop its trace is in: a hot exit after it (in the
    /// outer loop's body, peeled by the loop optimization) does not stop its unrolling; a hot exit
    /// inside its unrolled copies in the peeled body does.
    func testExitAfterBreakIsNotInTheUnrolledLoop() {
        let after = run("""
        local function f(t, k)
          local n = 0
          for i = 1, 4 do
            if t[i] == 0 then break end
            n = n + 1
          end
          if k % 2 == 0 then n = n + 10 end
          return n
        end
        local t = {1, 1, 0, 1}
        local s = 0
        for k = 1, 300 do s = s + f(t, k) end
        print(s)
        """)
        XCTAssertTrue(after.logLines.contains { $0.hasPrefix("[TRACE   3 (2/") }, "\(after.logLines)")
        XCTAssertFalse(after.logLines.contains { $0.contains("short loop no longer unrolled") }, "\(after.logLines)")
        let inside = run("""
        local t = {1, 2, 3, 4}
        local s = 0
        for k = 1, 300 do
          for i = 1, 4 do
            if t[i] == k % 5 then s = s + i end
          end
        end
        print(s)
        """)
        XCTAssertTrue(inside.logLines.contains { $0.contains("short loop no longer unrolled") }, "\(inside.logLines)")
    }
}
