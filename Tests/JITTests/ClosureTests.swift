// Closure creation (FNEW) and closing upvalues (UCLO) inside traces: results equal the
// interpreter's on both backends (eager recording and counter hotness with side traces), and the
// loops that make closures become traces instead of aborting.
import Foundation
import Runtime
import XCTest
@testable import JIT

final class ClosureTests: XCTestCase {
    /// Runs `src` eagerly and with counter hotness (side traces), both backends against the
    /// interpreter; returns the eager native run.
    @discardableResult
    func check(_ src: String, file: StaticString = #filePath, line: UInt = #line) -> JITTestSupport.Run {
        JITTestSupport.differential(src, hotness: .counter, ["hotloop=3", "hotexit=2"], file: file, line: line)
        return JITTestSupport.differential(src, hotness: .eager, file: file, line: line)
    }

    func noClosureAborts(_ r: JITTestSupport.Run, file: StaticString = #filePath, line: UInt = #line) {
        let bad = r.logLines.filter { $0.contains("closure creation") || $0.contains("closing upvalues") }
        XCTAssertEqual(bad, [], file: file, line: line)
    }

    /// Each iteration's captured locals are fresh upvalues, closed at the iteration's end.
    func testCaptureLoopLocals() {
        let r = check("""
        local fs = {}
        for i = 1, 200 do
          local x = i * 2
          fs[i] = function() return x + i end
        end
        local s = 0
        for i = 1, 200 do s = s + fs[i]() end
        print(s, fs[1](), fs[200]())
        """)
        noClosureAborts(r)
        // The loop's trace makes the closure and closes the iteration's upvalues itself.
        let ops = r.engine?.trace(1)?.ins.map(\.op) ?? []
        XCTAssertTrue(ops.contains(.FNEW) && ops.contains(.UCLO) && ops.contains(.SSTORE), r.logLines.joined(separator: "\n"))
    }

    /// A local changed after the closure captured it: the closure sees the change.
    func testCapturedLocalChangedAfterwards() {
        check("""
        local gs = {}
        for i = 1, 100 do
          local y = i
          local f = function() return y end
          y = y + 1000
          if i % 3 == 0 then y = y * 2 end
          gs[#gs + 1] = f
        end
        local s = 0
        for i = 1, 100 do s = s + gs[i]() end
        print(s)
        """)
    }

    /// An outer local captured by closures made in the loop and changed by the loop; a closure
    /// writing a captured loop local.
    func testOuterLocalAndWrites() {
        check("""
        local acc, last = 0, nil
        for i = 1, 300 do
          acc = acc + i
          last = function() return acc end
        end
        print(acc, last())
        local w = 0
        for i = 1, 200 do
          local v = i
          local set = function(k) v = v + k end
          set(3)
          w = w + v
        end
        print(w)
        local n = 0
        for i = 1, 100 do
          local bump = function() n = n + 1 end
          bump(); bump()
        end
        print(n)
        """)
    }

    /// Closures made by an inlined function (closed at its return), nested closures, recursion
    /// through a local function's own upvalue.
    func testNestedAndInlined() {
        check("""
        local function counter()
          local n = 0
          return function() n = n + 1; return n end, function() return n end
        end
        local t = 0
        for i = 1, 200 do
          local inc, get = counter()
          inc(); inc()
          t = t + get()
        end
        print(t)
        local r = 0
        for i = 1, 150 do
          local a = i
          local f = function(b) return function(c) return a + b + c end end
          r = r + f(1)(2)
        end
        print(r)
        local total = 0
        for i = 1, 100 do
          local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
          total = total + fact(5)
        end
        print(total)
        """)
    }

    /// Closures kept in a table and called later, with collections during the loop.
    func testStoredClosuresAndGC() {
        check("""
        local keep = {}
        for i = 1, 300 do
          local z = { i }
          local k = i % 10 + 1
          keep[k] = function(d) return z[1] + d + k end
          if i % 50 == 0 then collectgarbage() end
        end
        collectgarbage()
        local q = 0
        for i = 1, 10 do q = q + keep[i](1) end
        print(q)
        local cbs = {}
        for i = 1, 100 do
          local s = "s" .. i
          cbs[i] = function() return s .. "!" end
          collectgarbage("step")
        end
        print(cbs[1](), cbs[57](), cbs[100]())
        """)
    }

    /// An upvalue opened before the loop on a loop-body slot is closed by the body's UCLO; a
    /// while loop with a break out of a closure-capturing body.
    func testCloseInBranches() {
        check("""
        local out = {}
        local i = 0
        while true do
          i = i + 1
          local v = i * 3
          if i % 2 == 0 then out[#out + 1] = function() return v end end
          if i >= 120 then break end
        end
        local s = 0
        for j = 1, #out do s = s + out[j]() end
        print(#out, s)
        """)
    }

    /// Closures made inside a coroutine (upvalues on its own stack), a closure two functions
    /// share and the loop changes afterwards, a sort comparator writing a captured local, and
    /// methods made by an inlined constructor-like loop body.
    func testSharedUpvaluesAndCoroutines() {
        check("""
        local co = coroutine.wrap(function()
          local fs = {}
          for i = 1, 100 do
            local x = i
            fs[i] = function() return x * 2 end
            if i % 10 == 0 then coroutine.yield(fs[i]()) end
          end
          local s = 0
          for i = 1, 100 do s = s + fs[i]() end
          coroutine.yield(s)
        end)
        for k = 1, 11 do io.write(co(), " ") end
        print()
        local s = 0
        for i = 1, 100 do
          local cnt = 0
          local t = {3, 1, 2}
          table.sort(t, function(a, b) cnt = cnt + 1; return a < b end)
          s = s + cnt + t[1]
        end
        print(s)
        local r = {}
        for i = 1, 100 do
          local a, b = i, i * 2
          local f = function() a = a + 1; return a + b end
          local g = function() return a end
          r[#r + 1] = f() + g()
          a = a + 10
          r[#r + 1] = g()
        end
        local q = 0
        for i = 1, #r do q = q + r[i] end
        print(q)
        local objs = {}
        for i = 1, 100 do
          local o = {}
          local n = 0
          function o.add(k) n = n + k; return o end
          function o.get() return n end
          o.add(i).add(1)
          objs[i] = o
        end
        local z = 0
        for i = 1, 100 do z = z + objs[i].get() end
        print(z)
        """)
    }
}
