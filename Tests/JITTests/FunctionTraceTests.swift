// Function traces (hot function entries as root traces): each program runs on the interpreter, the
// IR backend and the native backend; all three must print the same (stdout, status, error report),
// the backends must make the same decisions, and the engine's traces must show that a function
// trace was made and entered (its entry count), or aborted and blacklisted.
import Foundation
import Runtime
import XCTest
@testable import JIT

final class FunctionTraceTests: XCTestCase {
    @discardableResult
    func differential(_ src: String, hotness: HotnessMode = .eager, _ settings: [String] = [],
                      file: StaticString = #filePath, line: UInt = #line) -> JITTestSupport.Run {
        JITTestSupport.differential(src, hotness: hotness, settings, file: file, line: line)
    }

    /// The function traces of a run: (log name, link text, entries).
    static func functionTraces(_ r: JITTestSupport.Run) -> [(name: String, link: String, entries: Int)] {
        guard let e = r.engine else { return [] }
        return e.liveTraces.filter(\.isFunctionTrace).map { (e.traceName($0), e.linkText($0), $0.entries) }
    }

    /// A function called from the interpreter (its caller's loop cannot be traced: it calls a
    /// native function the recorder does not know) gets a function trace ending at its return,
    /// entered at later calls.
    func testEnteredFromTheInterpreter() {
        let r = differential("""
        local function f(a, b) return a * 2 + b end
        local s = 0
        for i = 1, 200 do
          local _ = os.time()
          s = s + f(i, 3)
        end
        print(s)
        """)
        let fs = Self.functionTraces(r)
        XCTAssertEqual(fs.map(\.name), ["t.lua:1 func"])
        XCTAssertEqual(fs.first?.link, "return")
        XCTAssertGreaterThan(fs.first?.entries ?? 0, 150)
        XCTAssertTrue(r.logLines.contains("[TRACE   1 t.lua:1 func return]"), "\(r.logLines)")
    }

    /// Too few, too many and varargs arguments from the interpreter; a type change of an argument
    /// exits the function trace (then grows a side trace).
    func testArgumentCountsAndExits() {
        let r = differential("""
        local function f(a, b, c)
          if c == nil then c = 0 end
          if b == nil then b = 1 end
          return a * 2 + b + c
        end
        local function v(...)
          local n = select('#', ...)
          local a, b = ...
          return n, a, b
        end
        local s = 0
        for i = 1, 300 do
          local _ = os.time()
          s = s + f(i) + f(i, 2) + f(i, 2, 3) + f(i, 2, 3, 4, 5)
          local n, a, b = v(i, i + 1, i + 2)
          s = s + n + a + (b or 0)
          n, a, b = v()
          s = s + n + (a or 7)
          if i > 100 then s = s + f(i + 0.5, "7") end
        end
        print(s)
        """)
        let fs = Self.functionTraces(r)
        XCTAssertEqual(Set(fs.map(\.name)), ["t.lua:1 func", "t.lua:6 func"])
        XCTAssertTrue(fs.allSatisfy { $0.entries > 100 }, "\(fs)")
        let exits = r.engine?.liveTraces.filter(\.isFunctionTrace).flatMap(\.snapshots).reduce(0) { $0 + $1.exitCount } ?? 0
        XCTAssertGreaterThan(exits, 0, "no exit from a function trace")
        XCTAssertGreaterThan(r.stats?.sideTraces ?? 0, 0)
    }

    /// Errors raised in code a function trace runs are raised by the interpreter after the exit,
    /// with the same message and traceback.
    func testErrorsInsideFunctionTraces() {
        differential("""
        local function g(t) return t.x + 1 end
        local s = 0
        for k = 1, 200 do local _ = os.time(); s = s + g({x = k}) end
        print(s)
        print(pcall(g, {x = "a"}))
        print(pcall(g, {}))
        g({x = {}})
        """)
    }

    /// fib: the recursive call links the trace back to its own start with the new frame pushed
    /// (up-recursion); returns grow side traces that link back.
    func testUpRecursion() {
        let r = differential("""
        local function fib(n)
          if n < 2 then return n end
          return fib(n - 1) + fib(n - 2)
        end
        print(fib(20))
        print(fib(1), fib(2), fib(3))
        """)
        let fs = Self.functionTraces(r)
        XCTAssertEqual(fs.map(\.link), ["up-recursion"])
        XCTAssertGreaterThan(fs.first?.entries ?? 0, 10)
        XCTAssertTrue(r.logLines.contains("[TRACE   1 t.lua:1 func up-recursion]"), "\(r.logLines)")
        XCTAssertGreaterThan(r.stats?.sideTraces ?? 0, 0)
    }

    /// Deep recursion through an up-recursion trace overflows the stack exactly where the
    /// interpreter does (the frame push fails; the interpreter redoes the call).
    func testUpRecursionStackOverflow() {
        differential("""
        local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
        print(deep(100))
        print(pcall(deep, 1e7))
        print(deep(50))
        """)
    }

    /// Counter hotness: calls count (hotcall); tail calls end a function trace at the tail call
    /// (the interpreter makes it), and tail recursion is recorded from the next entry.
    func testTailCallsCounterHotness() {
        let r = differential("""
        local function tc(n, acc)
          if n == 0 then return acc end
          return tc(n - 1, acc + n)
        end
        local function other(x) return x + 1 end
        local function tc2(x) return other(x * 2) end
        local s = 0
        for i = 1, 300 do
          local _ = os.time()
          s = s + tc(i % 7, 0) + tc2(i)
        end
        print(s)
        """, hotness: .counter, ["hotcall=20", "hotloop=1000", "minfuncins=0"])
        let fs = Self.functionTraces(r)
        // tc got hot at a call that returned at once (n == 0): its trace ends at that return.
        XCTAssertTrue(fs.contains { $0.name == "t.lua:1 func" && $0.link == "return" }, "\(fs)")
        XCTAssertTrue(fs.contains { $0.name == "t.lua:6 func" && $0.link == "tail call" }, "\(fs)")
        XCTAssertTrue(fs.contains { $0.name == "t.lua:5 func" && $0.link == "return" }, "\(fs)")
        XCTAssertTrue(fs.allSatisfy { $0.entries > 0 }, "\(fs)")
    }

    /// A function entry whose recording keeps aborting is blacklisted like a loop, and then runs
    /// in the interpreter without its hook.
    func testAbortAndBlacklist() {
        let r = differential("""
        local function mk(i)
          local t = os.time()
          return i + 1
        end
        local s = 0
        for i = 1, 100 do local _ = os.time(); s = s + mk(i) end
        print(s)
        """, hotness: .counter, ["hotcall=3", "hotloop=1000", "maxabort=3", "minfuncins=0"])
        XCTAssertTrue(r.logLines.contains("[TRACE --- t.lua:1 func -- blacklisted after 3 aborts (last: NYI: call to native 'time')]"),
                      "\(r.logLines)")
        XCTAssertFalse(Self.functionTraces(r).contains { $0.name == "t.lua:1 func" })
        XCTAssertTrue(r.engine?.blacklist.contains { $0.pc == 0 } ?? false)
    }

    /// Counter hotness: a function trace that hands back to the interpreter after a few
    /// instructions aborts (minfuncins); its retries end in blacklisting, and the function then
    /// runs in the interpreter.
    func testTooShortToPay() {
        let r = differential("""
        local function inc(a) return a + 1 end
        local s = 0
        for i = 1, 200 do local _ = os.time(); s = inc(s) end
        print(s)
        """, hotness: .counter, ["hotcall=2", "hotloop=1000", "maxabort=2"])
        XCTAssertTrue(r.logLines.contains {
            $0.hasPrefix("[TRACE --- t.lua:1 func -- function trace too short to pay for entering it")
        }, "\(r.logLines)")
        XCTAssertTrue(r.logLines.contains { $0.hasPrefix("[TRACE --- t.lua:1 func -- blacklisted after 2 aborts") }, "\(r.logLines)")
        XCTAssertEqual(Self.functionTraces(r).count, 0)
    }

    /// With functraces=0 no function trace is made.
    func testSwitchedOff() {
        let r = differential("""
        local function f(a) return a + 1 end
        local s = 0
        for i = 1, 100 do local _ = os.time(); s = s + f(i) end
        print(s)
        """, ["functraces=0"])
        XCTAssertEqual(Self.functionTraces(r).count, 0)
    }

    /// A loop trace inlines calls of functions that have function traces (it never ends at
    /// them): the loop stays a loop.
    func testLoopTracesInlineFunctionsWithTraces() {
        let r = differential("""
        local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
        local function add(a, b) return a + b end
        print(fib(12), add(1, 2))
        local s = 0
        for i = 1, 100 do s = add(s, i) end
        print(s)
        """)
        let e = r.engine!
        XCTAssertTrue(e.liveTraces.contains { $0.isFunctionTrace && e.linkText($0) == "up-recursion" }, "\(r.logLines)")
        let loop = e.liveTraces.first { !$0.isFunctionTrace && !$0.isReturnTrace && $0.parent == nil }
        XCTAssertEqual(loop.map { e.linkText($0) }, "loop", "\(r.logLines)")
    }

    /// The return traces of a run: (log name, link text).
    static func returnTraces(_ r: JITTestSupport.Run) -> [(name: String, link: String)] {
        guard let e = r.engine else { return [] }
        return e.liveTraces.filter(\.isReturnTrace).map { (e.traceName($0), e.linkText($0)) }
    }

    /// Down-recursion: fib's unwinding runs in a return trace anchored at `return fib(n - 1) +
    /// fib(n - 2)` (or a side trace of it) that links to itself; the tree stays small (it had ~16 side traces, one per
    /// pattern of call sites returned into).
    func testDownRecursion() {
        let r = differential("""
        local function fib(n)
          if n < 2 then return n end
          return fib(n - 1) + fib(n - 2)
        end
        print(fib(24))
        print(fib(1), fib(2), fib(3), fib(10))
        """, hotness: .counter, ["hotcall=3", "hotexit=2", "hotloop=1000"])
        let rs = Self.returnTraces(r)
        XCTAssertEqual(rs.map(\.name), ["t.lua:3 ret"], "\(r.logLines)")
        // The return trace loops itself when it was recorded returning into the second call site;
        // recorded returning into the first, its side trace for the second loops.
        let e = r.engine!
        XCTAssertTrue(e.liveTraces.contains { e.linkText($0) == "down-recursion" }, "\(r.logLines)")
        XCTAssertEqual(Self.functionTraces(r).map(\.link), ["up-recursion"])
        // 13 side traces before return traces; now the base case's, its RETF exit's, the return
        // trace's, that one's, and those of returns into the main chunk at the top.
        XCTAssertLessThanOrEqual(r.stats?.sideTraces ?? 99, 7, "\(r.logLines)")
        // Every exit that is taken often has a side trace by now: few exits reach the engine.
        XCTAssertLessThan(r.stats?.exits ?? 0, 500, "\(r.engine?.hotExitLines(top: 5) ?? [])")
    }

    /// Return traces with several results, and results the caller drops or pads.
    func testDownRecursionWithSeveralResults() {
        let src = """
        local function fibpair(n)
          if n == 0 then return 0, 1 end
          local a, b = fibpair(n - 1)
          return b, a + b
        end
        local function two(n) if n == 0 then return 1, 2 end local x = two(n - 1) return x + 1, x end
        for i = 1, 3 do
          print(fibpair(30 + i))
          print(two(40 * i))
        end
        """
        differential(src)
        let r = differential(src, hotness: .counter, ["hotcall=3", "hotexit=2", "hotloop=1000"])
        XCTAssertFalse(Self.returnTraces(r).isEmpty, "\(r.logLines)")
    }

    /// The down-recursion programs of the conformance corpus (Tests/conformance/jit/downrec_*.lua,
    /// which JITConformanceTests runs with eager hotness), here with counter hotness at low
    /// thresholds: mutual recursion, unwinding that makes tables, a result changing type half-way,
    /// several results; errors and stack overflows while a return trace unwinds (raised at the same
    /// place with the same message); a captured local of a returning frame closed (RETF exits while
    /// an upvalue points into it).
    func testDownRecursionCorpusUnderCounterHotness() throws {
        for (name, makesReturnTraces) in [("downrec_fib", true), ("downrec_multres", false), ("downrec_mutual", true),
                                          ("downrec_errors", false)] {
            let path = JITTestSupport.root.appendingPathComponent("Tests/conformance/jit/\(name).lua").path
            let src = try String(contentsOfFile: path, encoding: .utf8)
            let r = differential(src, hotness: .counter, ["hotcall=3", "hotexit=2", "hotloop=1000"])
            if makesReturnTraces { XCTAssertFalse(Self.returnTraces(r).isEmpty, "\(name): \(r.logLines)") }
        }
    }
}
