// Coroutine switches inside the interpreter loop (Coroutines.swift): a resume or wrap call made by a
// Lua CALL switches the loop to the coroutine without a Swift-level run; calls from natives take
// the nested path. These tests check which path ran (LuaVM.inLoopResumes), that both give the
// same results and errors (expected outputs from luajit 2.1), that the Swift-level depth is back to
// zero afterwards, that the profiler's published thread names the running coroutine after every
// switch, and that collections during switches keep every live value.
import XCTest
@testable import Runtime

final class CoroutineSwitchTests: XCTestCase {
    func makeVM(gcStress: Bool = false) -> LuaVM {
        var o = VMOptions()
        o.captureOutput = true
        o.gcStress = gcStress
        return LuaVM(options: o)
    }

    func run(_ vm: LuaVM, _ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = vm.runMain(bytes: Array(source.utf8), chunkName: "=test")
        XCTAssertNil(r.errorReport, file: file, line: line)
        return vm.capturedOutput
    }

    func testResumeAndWrapFromLuaSwitchInTheLoop() {
        let vm = makeVM()
        let out = run(vm, """
local co = coroutine.create(function(a)
  local i = a
  while true do i = i + coroutine.yield(i) end
end)
local s = 0
for k = 1, 100 do local ok, v = coroutine.resume(co, k); s = s + v end
local g = coroutine.wrap(function() for i = 1, 50 do coroutine.yield(i) end end)
local t = 0
for _ = 1, 50 do t = t + g() end
for v in coroutine.wrap(function() coroutine.yield(1); coroutine.yield(2) end) do t = t + v end
print(s, t, coroutine.status(co))
""")
        XCTAssertEqual(out, "171700\t1278\tsuspended\n")
        // 100 resumes, 50 wrap calls, 3 calls of the for-in iterator.
        XCTAssertEqual(vm.inLoopResumes, 153)
        XCTAssertEqual(vm.swiftDepth, 0)
    }

    func testResumeFromNativesTakesTheNestedPath() {
        let vm = makeVM()
        let out = run(vm, """
local co = coroutine.create(function() while true do coroutine.yield(1) end end)
local n = 0
for _ = 1, 10 do n = n + select(3, pcall(coroutine.resume, co)) end
local function tail() return coroutine.resume(co) end
local w = coroutine.wrap(function() while true do coroutine.yield(2) end end)
print(n, select(2, tail()), select(2, xpcall(w, print)))
""")
        XCTAssertEqual(out, "10\t1\t2\n")
        XCTAssertEqual(vm.inLoopResumes, 0)
        // A Lua function called by a native (a sort comparator) resumes from the loop again.
        let vm2 = makeVM()
        XCTAssertEqual(run(vm2, """
local co = coroutine.create(function() while true do coroutine.yield() end end)
local calls = 0
local t = { 3, 2, 1 }
table.sort(t, function(a, b) calls = calls + 1; coroutine.resume(co); return a < b end)
print(t[1], calls > 0)
"""), "1\ttrue\n")
        XCTAssertGreaterThan(vm2.inLoopResumes, 0)
    }

    func testBothPathsInterleave() {
        // Started by a native, continued from Lua, then by a native again, finished from Lua.
        let vm = makeVM()
        let out = run(vm, """
local co = coroutine.create(function(x)
  local function deeper(y) local r = coroutine.yield(y * 2); return r end
  for i = 1, 3 do x = x + deeper(x) end
  return "sum", x
end)
print(pcall(coroutine.resume, co, 1))
print(coroutine.resume(co, 10))
print(pcall(coroutine.resume, co, 100))
print(coroutine.resume(co, 1000))
print(coroutine.resume(co))
""")
        XCTAssertEqual(out, """
true\ttrue\t2
true\t22
true\ttrue\t222
true\tsum\t1111
false\tcannot resume dead coroutine

""")
        XCTAssertEqual(vm.inLoopResumes, 2)
        XCTAssertEqual(vm.swiftDepth, 0)
    }

    func testErrorsInCoroutinesResumedInTheLoop() {
        let vm = makeVM()
        let out = run(vm, """
local co = coroutine.create(function()
  local ok, e = pcall(function() coroutine.yield(1); error("inner") end)
  coroutine.yield(ok, e)
  local t = nil
  return t.x
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.status(co), coroutine.resume(co))
local w = coroutine.wrap(function() coroutine.yield(); error("from wrap") end)
w()
print(pcall(function() return w() end))
local w2 = coroutine.wrap(function() local a = {} .. 1 end)
print(pcall(function() local r = w2(); return r end))
-- an error crossing three coroutines resumed by wrap, caught in the outermost
local c = coroutine.wrap(function() error("bottom", 0) end)
local b = coroutine.wrap(function() return c() end)
local a = coroutine.create(function() return pcall(b) end)
print(coroutine.resume(a))
""")
        XCTAssertEqual(out, """
true\t1
true\tfalse\ttest:2: inner
false\ttest:5: attempt to index local 't' (a nil value)
dead\tfalse\tcannot resume dead coroutine
false\ttest:11: from wrap
false\ttest:15: test:14: attempt to concatenate a table value
true\tfalse\tbottom

""")
        XCTAssertEqual(vm.swiftDepth, 0)
    }

    func testUncaughtErrorThroughWrapReachesTheMainChunk() {
        let vm = makeVM()
        let r = vm.runMain(bytes: Array("""
local w = coroutine.wrap(function() coroutine.yield(1); error("no one catches") end)
w()
local x = w()
""".utf8), chunkName: "=test")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.errorReport?.hasPrefix("tracejit: test:3: test:1: no one catches\nstack traceback:") ?? false, r.errorReport ?? "nil")
        XCTAssertEqual(vm.swiftDepth, 0)
    }

    func testPublishedThreadIsTheRunningCoroutine() {
        // A native called at every step compares the profiler's published thread (and the VM's
        // current thread) with the coroutine the call is made in.
        let vm = makeVM()
        var checks = 0, wrong = 0
        vm.registerLibrary(nil, [("probe", { vm, a in
            checks += 1
            if tj_vm_state.thread != a.L || vm.currentThread != a.L { wrong += 1 }
            return 0
        })])
        let out = run(vm, """
local inner = coroutine.wrap(function() while true do probe(); coroutine.yield(); probe() end end)
local outer = coroutine.create(function()
  for i = 1, 3 do probe(); inner(); probe(); coroutine.yield(i) end
  probe()
end)
probe()
while coroutine.resume(outer) do probe(); if coroutine.status(outer) == "dead" then break end end
local ok = pcall(coroutine.resume, coroutine.create(function() probe(); error("x") end))
probe()
print("done")
""")
        XCTAssertEqual(out, "done\n")
        // main 1; per round: outer 2, inner 2 (1 in round one), main 1; outer's end, main, the
        // failing coroutine, main.
        XCTAssertEqual(checks, 1 + (2 + 1 + 1) + 2 * (2 + 2 + 1) + 1 + 1 + 1 + 1)
        XCTAssertEqual(wrong, 0)
        XCTAssertEqual(tj_vm_state.thread, vm.mainThread)
    }

    func testCollectionsDuringSwitches() {
        // Every allocation collects: values on the resumer's stack (status normal), on suspended
        // coroutines and in flight between stacks must survive.
        let vm = makeVM(gcStress: true)
        let out = run(vm, """
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield({ i }, "v" .. i) end
  end)
end
local keep = {}
for i = 1, 5 do keep[i] = gen(3) end
local parts = {}
for round = 1, 3 do
  for i = 1, 5 do
    local t, s = keep[i]()
    parts[#parts + 1] = t[1] .. s
  end
end
local co = coroutine.create(function(...)
  local args = { ... }
  local got = { coroutine.yield(#args) }
  return table.concat(got, "+")
end)
print(coroutine.resume(co, "a", {}, "c"))
print(coroutine.resume(co, "x" .. 1, "y" .. 2))
print(table.concat(parts, " "))
""")
        XCTAssertEqual(out, """
true\t3
true\tx1+y2
1v1 1v1 1v1 1v1 1v1 2v2 2v2 2v2 2v2 2v2 3v3 3v3 3v3 3v3 3v3

""")
    }

    func testDeepChainsOfResumes() {
        // (luajit 2.1 overflows its C stack on the first part.) Resumes nest without Swift recursion in the loop, but stop at the same depth as
        // nested runs do ("stack overflow" reported by the innermost resume that fails).
        let vm = makeVM()
        let out = run(vm, """
local depth = 0
local function nest()
  depth = depth + 1
  local co = coroutine.create(nest)
  local ok, e = coroutine.resume(co)
  if not ok then error(e, 0) end
end
local ok, e = pcall(nest)
print(ok, e:match("stack overflow"), depth > 1000)
local function chain(n)
  if n == 0 then return coroutine.create(function() coroutine.yield("bottom") end) end
  local below = chain(n - 1)
  return coroutine.create(function() local _, v = coroutine.resume(below); coroutine.yield(v) end)
end
print(coroutine.resume(chain(500)))
""")
        XCTAssertEqual(out, "false\tstack overflow\ttrue\ntrue\tbottom\n")
        XCTAssertEqual(vm.swiftDepth, 0)
    }
}
