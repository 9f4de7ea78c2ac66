// Targeted tests of the native backend's exits, side traces, links and flushes, each a small Lua
// program run three ways: the interpreter alone, the JIT with the IR backend and the JIT with the
// native backend. All three must print the same (stdout, status, error report with its traceback),
// the two backends must make the same JIT decisions (log lines, counts of traces, side traces,
// entries and exits), and every trace must be machine code on the native run. Each test then checks
// on the native engine's traces that the thing it is about really happened: that a guard of the
// kind under test was exited (its snapshot's exit count), that a side trace was grown and entered,
// that a trace ran another through its link, that all traces were flushed.
import Foundation
import Runtime
import XCTest
@testable import JIT

final class NativeExitTests: XCTestCase {
    /// The IR-backend run of the last `differential` call.
    var lastIR: JITTestSupport.Run?

    /// Runs `src` on the interpreter, the IR backend and the native backend; asserts they agree.
    /// Returns the native run (its engine holds the traces).
    @discardableResult
    func differential(_ src: String, hotness: HotnessMode = .eager, _ settings: [String] = [],
                      allowRefused: Bool = false, sameDecisions: Bool = true,
                      file: StaticString = #filePath, line: UInt = #line) -> JITTestSupport.Run {
        let bytes = Array(src.utf8)
        let plain = JITTestSupport.run(bytes, path: "t.lua", params: nil)
        let ir = JITTestSupport.run(bytes, path: "t.lua", params: JITTestSupport.params(.ir, hotness: hotness, settings))
        let nat = JITTestSupport.run(bytes, path: "t.lua", params: JITTestSupport.params(.native, hotness: hotness, settings))
        lastIR = ir
        let want = String(decoding: plain.stdout, as: UTF8.self)
        XCTAssertEqual(String(decoding: ir.stdout, as: UTF8.self), want, "ir: stdout", file: file, line: line)
        XCTAssertEqual(String(decoding: nat.stdout, as: UTF8.self), want, "native: stdout", file: file, line: line)
        XCTAssertEqual(ir.status, plain.status, "ir: status", file: file, line: line)
        XCTAssertEqual(nat.status, plain.status, "native: status", file: file, line: line)
        XCTAssertEqual(ir.errorReport, plain.errorReport, "ir: error report", file: file, line: line)
        XCTAssertEqual(nat.errorReport, plain.errorReport, "native: error report", file: file, line: line)
        let natLog = nat.logLines.filter { !$0.contains("-- native backend:") }
        if sameDecisions { XCTAssertEqual(natLog, ir.logLines, "the backends' JIT logs differ", file: file, line: line) }
        if let a = ir.stats, let n = nat.stats, sameDecisions {
            XCTAssertEqual(n.tracesMade, a.tracesMade, "traces", file: file, line: line)
            XCTAssertEqual(n.sideTraces, a.sideTraces, "side traces", file: file, line: line)
            XCTAssertEqual(n.traceEntries, a.traceEntries, "trace entries", file: file, line: line)
            // (exits are not compared: native traces go on into linked and side traces through
            // patched exit stubs, and only exits that reach the engine are counted)
            XCTAssertEqual(n.flushes, a.flushes, "flushes", file: file, line: line)
            XCTAssertGreaterThan(n.tracesMade, 0, "no trace was made", file: file, line: line)
            XCTAssertGreaterThan(n.traceEntries, 0, "no trace was entered", file: file, line: line)
            if !allowRefused {
                XCTAssertEqual(nat.refused, [], "traces the native backend refused", file: file, line: line)
                XCTAssertEqual(nat.nativeTraces, n.tracesMade, "traces not compiled to machine code", file: file, line: line)
            }
        }
        return nat
    }

    /// The guards whose snapshot was exited at least once, in the live traces: "OP type" for type
    /// checks (loads, CALLN, CALLRES), "OP operand-type" for comparisons, "OP" otherwise.
    static func exitedGuards(_ r: JITTestSupport.Run) -> Set<String> {
        var out: Set<String> = []
        for t in r.engine?.liveTraces ?? [] {
            XCTAssertNotNil(t.code, "trace \(t.id) has no machine code")
            for ins in t.ins where ins.isGuard && ins.snap >= 0 && t.snapshots[Int(ins.snap)].exitCount > 0 {
                switch ins.op {
                case .SLOAD, .ALOAD, .HLOAD, .TGET, .UGET, .CALLN, .CALLRES, .FLOAD:
                    out.insert("\(ins.op.name) \(ins.type.name)")
                case .LT, .NLT, .LE, .NLE, .EQ, .NE, .ABC:
                    out.insert("\(ins.op.name) \(t.type(of: ins.a).name)")
                default:
                    out.insert(ins.op.name)
                }
            }
        }
        return out
    }

    func assertExited(_ r: JITTestSupport.Run, _ kinds: [String], file: StaticString = #filePath, line: UInt = #line) {
        let got = Self.exitedGuards(r)
        for k in kinds {
            XCTAssert(got.contains(k), "no exit through a '\(k)' guard; exited: \(got.sorted())", file: file, line: line)
        }
    }

    // MARK: guard kinds

    func testSLOADTypeCheckExit() {
        // The inner loop's trace is recorded with x a number; later calls enter it with a string
        // (arithmetic coerces it in the interpreter), a table and nil: the SLOAD guard exits.
        let r = differential("""
        local function sum(x, n)
          local s = 0
          for i = 1, n do
            if type(x) == "number" then s = s + x * i else s = s + i end
          end
          return s
        end
        local out = {}
        for k = 1, 12 do
          local x = k
          if k % 4 == 1 then x = "7" elseif k % 4 == 2 then x = {} elseif k % 4 == 3 then x = nil end
          out[#out + 1] = sum(x, 20)
        end
        print(table.concat(out, " "))
        """)
        assertExited(r, ["SLOAD num"])
    }

    func testALOADTypeCheckExit() {
        let r = differential("""
        local t = {}
        for i = 1, 100 do t[i] = i * 1.5 end
        t[40] = "forty"; t[70] = true; t[90] = {}
        local s, other = 0, 0
        for i = 1, 100 do
          local v = t[i]
          if type(v) == "number" then s = s + v else other = other + 1 end
        end
        print(s, other)
        """)
        assertExited(r, ["ALOAD num"])
    }

    func testHLOADTypeCheckExit() {
        let r = differential("""
        local objs = {}
        for i = 1, 60 do objs[i] = {a = i, b = "s" .. i} end
        objs[25].a = "str"; objs[45].a = false
        local s, n = 0, 0
        for i = 1, 60 do
          local a = objs[i].a
          if type(a) == "number" then s = s + a else n = n + 1 end
        end
        print(s, n)
        """)
        assertExited(r, ["HLOAD num"])
    }

    func testUGETTypeCheckExit() {
        let r = differential("""
        local u = 1
        local function f()
          local s = 0
          for i = 1, 20 do
            if type(u) == "number" then s = s + u * i else s = s + #u end
          end
          return s
        end
        local out = {}
        for k = 1, 8 do
          if k > 4 then u = "abc" .. k end
          out[k] = f()
        end
        print(table.concat(out, " "))
        """)
        assertExited(r, ["UGET num"])
    }

    func testCALLNResultTypeExit() {
        let r = differential("""
        local a = {}
        for i = 1, 60 do a[i] = tostring(i) end
        a[20] = "x"; a[41] = "1e2"; a[50] = "nope"
        local s, bad = 0, 0
        for i = 1, 60 do
          local n = tonumber(a[i])
          if n then s = s + n else bad = bad + 1 end
        end
        local hits = 0
        local words = {}
        for i = 1, 40 do words[i] = (i % 9 == 0) and "zzz" or ("w" .. i .. "x") end
        for i = 1, 40 do
          local p = string.find(words[i], "x", 1, true)
          if p then hits = hits + p end
        end
        print(s, bad, hits)
        """)
        assertExited(r, ["CALLN num"])
    }

    func testComparisonGuardExits() {
        // Each loop is recorded with its condition one way and flips later. Without narrowing:
        // the loop counters stay num, so the compares are num guards (NarrowingTests has the int ones).
        let r = differential("""
        local c = 0
        for i = 1, 30 do if i < 10 then c = c + 1 end end
        for i = 1, 30 do if i > 10 then c = c + 2 end end
        for i = 1, 30 do if i <= 10 then c = c + 4 end end
        for i = 1, 30 do if i >= 10 then c = c + 8 end end
        for i = 1, 30 do if i == 10 then c = c + 16 end end
        for i = 1, 30 do if i ~= 10 then c = c + 32 end end
        for i = 1, 30 do if not (i < 10) then c = c + 64 end end
        for i = 1, 30 do if not (i <= 10) then c = c + 128 end end
        local nan = 0/0
        local xs = {}
        for i = 1, 30 do xs[i] = (i == 20) and nan or i end
        for i = 1, 30 do if xs[i] < 100 then c = c + 256 end end
        for i = 1, 30 do if not (xs[i] >= 100) then c = c + 512 end end
        local a, b = {}, {}
        local objs = {}
        for i = 1, 30 do objs[i] = (i < 20) and a or b end
        for i = 1, 30 do if objs[i] == a then c = c + 1024 end end
        for i = 1, 30 do if objs[i] ~= b then c = c + 2048 end end
        local strs = {}
        for i = 1, 30 do strs[i] = (i % 7 == 0) and "seven" or "other" end
        for i = 1, 30 do if strs[i] == "other" then c = c + 4096 end end
        local fives = {}
        for i = 1, 30 do fives[i] = (i == 20) and 6 or 5 end
        for i = 1, 30 do if fives[i] == 5 then c = c + 8192 end end
        print(c)
        """, ["narrow=0"])
        assertExited(r, ["LT num", "NLT num", "LE num", "NLE num", "EQ num", "NE num", "EQ tab", "EQ str"])
    }

    func testArrayBoundsExit() {
        // Reads past the array part (ABC fails: the interpreter reads nil or the hash part) and
        // stores past it (the table grows in the interpreter).
        let r = differential("""
        local t = {}
        for i = 1, 40 do t[i] = i end
        t[55] = 5500
        local s, nils = 0, 0
        for i = 1, 60 do
          local v = t[i]
          if v then s = s + v else nils = nils + 1 end
        end
        local u = {1, 2, 3, 4, 5, 6, 7, 8}
        for i = 1, 30 do u[i] = i * 2 end
        print(s, nils, #u, u[30])
        """)
        assertExited(r, ["ABC int"])
    }

    func testTOINTExactnessExit() {
        // Without narrowing: a narrowed counter is an index without TOINT.
        let r = differential("""
        local t = {}
        for i = 1, 50 do t[i] = i end
        t[2.5] = "half"
        local s, other = 0, 0
        for i = 2, 20 do
          local v = t[i / 2]
          if type(v) == "number" then s = s + v else other = other + 1 end
        end
        local big = 0
        for i = 1, 20 do
          local k = (i == 15) and 2^40 or i
          if t[k] then big = big + t[k] end
        end
        print(s, other, big)
        """, ["narrow=0"])
        assertExited(r, ["TOINT"])
    }

    func testMetatableAndNoMetamethodExits() {
        // A table that gains a metatable (the "no metatable" guard before a store or a nil read
        // fails), and a metatable that gains __newindex (the nomm-style guard on it fails).
        let r = differential("""
        local ts = {}
        for i = 1, 40 do ts[i] = {v = i} end
        setmetatable(ts[25], {__index = function(t, k) return 100 end})
        local s = 0
        for i = 1, 40 do
          local w = ts[i].w
          s = s + (w or 1)
        end
        local mt = {}
        local ps = {}
        for i = 1, 40 do ps[i] = setmetatable({}, mt) end
        local log = 0
        for i = 1, 40 do
          if i == 30 then mt.__newindex = function(t, k, v) log = log + v end end
          ps[i].x = i
        end
        local set = 0
        for i = 1, 40 do if rawget(ps[i], "x") then set = set + 1 end end
        print(s, log, set)
        """)
        assertExited(r, ["EQ ptr", "HLOAD nil"])
    }

    func testFunctionIdentityExit() {
        let r = differential("""
        local function f1(x) return x + 1 end
        local function f2(x) return x * 2 end
        local fs = {}
        for i = 1, 40 do fs[i] = (i % 10 == 0) and f2 or f1 end
        local s = 0
        for i = 1, 40 do s = s + fs[i](i) end
        local obj = {m = function(self, x) return x end}
        local other = {m = function(self, x) return -x end}
        local os_ = {}
        for i = 1, 30 do os_[i] = (i > 20) and other or obj end
        local q = 0
        for i = 1, 30 do q = q + os_[i]:m(i) end
        print(s, q)
        """)
        assertExited(r, ["EQ fun"])
    }

    func testStringByteRangeExit() {
        let r = differential("""
        local s = "abcdefghij"
        local acc, nils = 0, 0
        for i = 1, 20 do
          local b = s:byte(i)
          if b then acc = acc + b else nils = nils + 1 end
        end
        print(acc, nils)
        """)
        XCTAssertFalse(Self.exitedGuards(r).isEmpty)
    }

    // MARK: exits inside inlined frames

    func testExitInsideInlinedFramesRestoresEveryFrame() {
        // The guard `x > 25` sits three inlined calls deep; its exit must rebuild top, mid and
        // leaf exactly: the traceback printed by the interpreter right after the exit lists them
        // with their lines, and the values flow back through each return.
        let r = differential("""
        local function leaf(x, y)
          if x > 25 then
            print(debug.traceback("leaf at " .. x))
            return x * 100, y
          end
          return x + 1, y
        end
        local function mid(x)
          local a, b = leaf(x, -x)
          return a * 2 + b
        end
        local function top(x)
          local r = mid(x)
          return r - 1, "t" .. x
        end
        local s, last = 0, nil
        for i = 1, 30 do
          local v, tag = top(i)
          s = s + v
          last = tag
        end
        print(s, last)
        """)
        assertExited(r, ["NLT num"])
        let frames = (r.engine?.liveTraces ?? []).flatMap { t in
            t.snapshots.filter { $0.exitCount > 0 }.map { $0.frames.count }
        }
        XCTAssert(frames.contains(3), "no exit with three inlined frames: \(frames)")
    }

    func testErrorAfterExitInInlinedFrameHasTheSameTraceback() {
        // The exit lands in an inlined frame that then raises an uncaught error: the report's
        // traceback (every frame, every line) must be the interpreter's.
        let r = differential("""
        local function check(x)
          if x == 17 then error("bad value " .. x) end
          return x
        end
        local function wrap(x) return check(x) + 1 end
        local s = 0
        for i = 1, 30 do s = s + wrap(i) end
        print(s)
        """)
        XCTAssertNotEqual(r.status, 0)
        XCTAssert(r.errorReport?.contains("bad value 17") ?? false, r.errorReport ?? "")
        XCTAssert(r.errorReport?.contains("stack traceback") ?? false, r.errorReport ?? "")
    }

    func testExitInsideTailCalledFrameKeepsTheTailFlag() {
        // The trace inlines f's `return g(x)` (a tail call) and exits inside g: the rebuilt call
        // record of g must say "entered by a tail call" as the interpreter's does, or tracebacks
        // name g after f's caller and drop the "(tail call)" line (found by bench/tools/jit_stress.sh
        // on json.lua at a heap ceiling: the traceback of "not enough memory" differed). Both the
        // exit in the loop trace and one in a side trace returning below its start (RETF, then a
        // tail call from the base frame) are covered by the two loops.
        let r = differential("""
        local function g(x)
          if x > 25 then print(debug.traceback("at " .. x)) end
          return x
        end
        local function f(x) return g(x) end
        local s = 0
        for i = 1, 30 do s = s + f(i) end
        local function h(x) if x > 5 then return g(x + 20) end return x end
        for i = 1, 10 do s = s + h(i) end
        print(s)
        local function k(x)
          if x == 28 then error("bad " .. x) end
          return x
        end
        local function j(x) return k(x) end
        for i = 1, 30 do s = s + j(i) end
        """)
        assertExited(r, ["NLT num"])
        XCTAssert(r.errorReport?.contains("(tail call)") ?? false, r.errorReport ?? "")
    }

    func testOutOfMemoryInsideATraceIsTheInterpretersError() {
        // A trace's allocation fails at the heap ceiling: the trace exits before the allocating
        // instruction, a collection runs at the exit (the interpreter collected at its own safe
        // points meanwhile) and the interpreter redoes the instruction, raising "not enough
        // memory" exactly where it would alone. The IR backend used to restore the trace's last
        // snapshot instead of the failing instruction's (and looped forever).
        let o = 600 * 1024
        let src = Array("""
        local keep = {}
        local n = 0
        for i = 1, 100000 do
          local g = { i, i + 1 }
          if i % 4 == 0 then n = n + 1; keep[n] = g end
          if i % 5000 == 0 then print(i, n) end
        end
        print("done", n)
        """.utf8)
        let plain = JITTestSupport.run(src, path: "t.lua", params: nil, maxMemory: o)
        XCTAssert(plain.errorReport?.contains("not enough memory") ?? false, plain.errorReport ?? "")
        for backend in [JITBackend.ir, .native] {
            for settings in [["hotloop=1", "hotexit=1"], ["hotloop=3", "hotexit=2"], ["hotloop=1", "hotexit=1000"]] {
                let r = JITTestSupport.run(src, path: "t.lua", params: JITTestSupport.params(backend, hotness: .counter, settings),
                                           maxMemory: o)
                XCTAssertEqual(String(decoding: r.stdout, as: UTF8.self), String(decoding: plain.stdout, as: UTF8.self),
                               "\(backend) \(settings)")
                XCTAssertEqual(r.errorReport, plain.errorReport, "\(backend) \(settings)")
                XCTAssertEqual(r.status, plain.status, "\(backend) \(settings)")
                XCTAssertGreaterThan(r.stats?.traceEntries ?? 0, 0, "\(backend) \(settings)")
            }
        }
    }

    func testExitWithPendingResultsThroughPcall() {
        // An exit inside a function called by pcall from the loop's body (pcall is a native call:
        // recording aborts there, so the body runs in the interpreter) and inside a trace of a
        // loop in the called function.
        differential("""
        local function work(n)
          local s = 0
          for i = 1, n do
            if i == 15 then error({code = i}) end
            s = s + i
          end
          return s
        end
        local ok, e = pcall(work, 30)
        print(ok, type(e) == "table" and e.code)
        print(pcall(work, 10))
        """)
    }

    // MARK: side traces, links, flushes

    func testSideTraceGrowsFromAHotExitAndIsEntered() {
        let r = differential("""
        local small, big, odd = 0, 0, 0
        for i = 1, 300 do
          if i > 100 then big = big + i else small = small + i end
          if i % 2 == 1 then odd = odd + 1 end
        end
        print(small, big, odd)
        """, hotness: .counter, ["hotloop=5", "hotexit=3"])
        guard let e = r.engine else { return XCTFail("no engine") }
        XCTAssertGreaterThan(e.stats.sideTraces, 0)
        let sides = e.liveTraces.filter { $0.parent != nil }
        XCTAssertFalse(sides.isEmpty)
        // On the IR backend the engine runs each side trace; natively the parent's exit stub is
        // patched to jump into it, so fewer exits reach the engine.
        for s in lastIR?.engine?.liveTraces ?? [] where s.parent != nil {
            XCTAssertGreaterThan(s.entries, 0, "ir: side trace \(s.id) was never entered")
        }
        XCTAssertLessThan(e.stats.exits, lastIR?.stats?.exits ?? 0, "native: every exit still reaches the engine")
        for s in sides {
            XCTAssertNotNil(s.code, "side trace \(s.id) is not machine code")
            if let (p, x) = s.parent, let parent = e.traces[p] {
                XCTAssertEqual(parent.snapshots[x].sideTrace, s.id, "exit \(x) of trace \(p) does not lead to its side trace")
                XCTAssertGreaterThanOrEqual(parent.snapshots[x].exitCount, 3)
            }
        }
    }

    func testGCCheckExitsCollectAndGrowNoSideTrace() {
        // string.rep allocates without collecting, so a collection is due when the inner loop
        // starts; the inner loop stores into an existing field (its trace has a GC check) and
        // allocates nothing in the interpreter. The collection must happen at the GC check's
        // exit, or every re-entry of the trace exits there again (7,000 exits here before). And a
        // GC-check exit, however hot, never grows a side trace.
        let r = differential("""
        local obj = { v = 0 }
        local keep
        for round = 1, 300 do
          keep = string.rep("ab", 20000 + round)
          for i = 1, 50 do obj.v = obj.v + i end
        end
        print(obj.v, #keep)
        """, hotness: .counter, ["hotloop=5", "hotexit=2"])
        guard let e = r.engine else { return XCTFail("no engine") }
        XCTAssertTrue(Self.exitedGuards(r).contains("GCSTEP"), "no GC check exited")
        var gcExits = 0
        for t in e.liveTraces {
            for (k, sn) in t.snapshots.enumerated() where e.isGCExit(t, k) {
                gcExits += sn.exitCount
                XCTAssertNil(sn.sideTrace, "trace \(t.id): a side trace grew from its GC check's exit")
            }
        }
        // About one exit per collection, not one per iteration while a collection is due.
        XCTAssertGreaterThan(gcExits, 0)
        XCTAssertLessThan(gcExits, 1000)
    }

    func testSideTraceEndingAtAnInnerLoopIsRelinkedToItsTrace() {
        // The side traces for i > 1000 reach the inner loop's header before it has a trace (no
        // unrolling: loopunroll=0) and end in the interpreter there; once the inner loop's trace
        // exists they link to it, so their ends stop returning to the interpreter.
        let r = differential("""
        local s = 0
        for i = 1, 3000 do
          if i % 2 == 0 then s = s + 1 end
          if i > 1000 then
            for j = 1, 20 do s = s + j end
          end
        end
        print(s)
        """, hotness: .counter, ["hotloop=50", "hotexit=2", "loopunroll=0"])
        guard let e = r.engine else { return XCTFail("no engine") }
        XCTAssertTrue(r.logLines.contains { $0.contains("relinked ->") }, "no trace was relinked")
        let relinked = e.liveTraces.filter { $0.parent != nil && $0.endLoop == nil && $0.ins.count > 0 }
        XCTAssertFalse(relinked.isEmpty)
        // Natively the relinked ends jump into the inner trace: only a handful of exits reach the
        // engine, where the IR backend goes through it at every end.
        XCTAssertLessThan(r.stats?.exits ?? .max, 50)
        XCTAssertGreaterThan(lastIR?.stats?.exits ?? 0, 1000)
    }

    func testTypeUnstableSideTraces() {
        let r = differential("""
        local vals = {1, "2", 3.5, true, "x", false, {}, 4}
        local v = 0
        for i = 1, 400 do
          local x = vals[(i % 8) + 1]
          if type(x) == "number" then v = v + x
          elseif type(x) == "string" then v = v + #x
          elseif x == false then v = v - 1
          else v = v + 0.5 end
        end
        print(v)
        """, hotness: .counter, ["hotloop=3", "hotexit=2"])
        XCTAssertGreaterThan(r.stats?.sideTraces ?? 0, 1)
    }

    func testTraceLinking() {
        // The outer loop's trace reaches the inner loop's header and links to the inner trace;
        // the inner trace's exit grows a side trace back into the outer loop.
        let r = differential("""
        local total = 0
        for j = 1, 40 do
          local row = 0
          for i = 1, 25 do row = row + i * j end
          total = total + row % 97
        end
        print(total)
        """, hotness: .counter, ["hotloop=3", "hotexit=2"])
        guard let e = r.engine else { return XCTFail("no engine") }
        let linked = e.liveTraces.compactMap { t -> Int? in if case .trace(let n) = t.link { return n } else { return nil } }
        XCTAssertFalse(linked.isEmpty, "no trace links to another")
        for n in linked {
            XCTAssertNotNil(e.traces[n]?.code, "linked trace \(n) is not machine code")
        }
        // Runs that continued from one trace into another (links and side traces) are entries
        // of a trace that did not come from the interpreter.
        // (counted by the engine on the IR backend; natively the jump is machine code, and fewer
        // exits reach the engine)
        let ir = lastIR?.engine
        let runs = ir?.liveTraces.reduce(0) { $0 + $1.entries } ?? 0
        XCTAssertGreaterThan(runs, ir?.stats.traceEntries ?? 0, "no trace ran through a link or side exit")
        XCTAssertLessThan(e.stats.exits, ir?.stats.exits ?? 0, "native: every link still went through the engine")
    }

    func testTraceLimitFlushes() {
        var src = "local s = 0\n"
        for k in 1...8 { src += "for i = 1, 20 do s = s + i * \(k) end\n" }
        src += "for r = 1, 3 do for k = 1, 4 do for i = 1, 10 do s = s + k end end end\nprint(s)\n"
        let r = differential(src, ["maxtrace=3"])
        XCTAssertGreaterThan(r.stats?.flushes ?? 0, 1)
        XCTAssert(r.logLines.contains("[TRACE flush -- trace limit]"), r.logLines.joined(separator: "\n"))
    }

    /// Many different loops with long bodies: more machine code than `maxmcode=64` (KB) holds.
    /// The backend's budget runs out; all traces are flushed (`[TRACE flush -- ...]`) and the
    /// program goes on with new traces in the emptied arena, printing what the interpreter prints.
    func testMachineCodeBudgetFlushes() {
        var src = "local s, t = 0, {}\nfor i = 1, 8 do t[i] = i end\n"
        for k in 1...60 {
            src += "for i = 1, 12 do\n"
            for m in 1...12 { src += "  s = (s + t[(i + \(m)) % 8 + 1] * \(k) + i / \(m + k)) % 1000003\n" }
            src += "end\n"
        }
        src += "print(s)\n"
        // The IR backend has no code budget: only the native run flushes.
        let r = differential(src, ["maxmcode=64"], sameDecisions: false)
        guard let e = r.engine else { return XCTFail("no engine") }
        XCTAssertGreaterThan(e.stats.tracesMade, 40)
        XCTAssertEqual(r.refused, [], "traces the native backend refused")
        XCTAssertGreaterThan(e.stats.flushes, 0, "the 64 KB code budget never ran out: make the program bigger")
        XCTAssert(r.logLines.contains("[TRACE flush -- machine code budget]"), r.logLines.joined(separator: "\n"))
    }
}
