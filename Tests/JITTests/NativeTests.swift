// The x86-64 backend against the interpreter: each program runs once on the interpreter alone and
// once with every loop compiled to machine code at once (eager hotness), and must print the same.
// Each test also checks that traces were really compiled natively (none refused).
import Bytecode
import Foundation
import Runtime
import XCTest
@testable import JIT

struct NativeRun {
    var output: String
    var status: Int32
    var error: String?
    var nativeTraces: Int
    var refused: [String]
    var exits: Int
}

func runLua(_ src: String, jit: Bool, sse41: Bool = X64CPU.hasSSE41, gcStress: Bool = false,
            hotness: HotnessMode = .eager, hotexit: Int = 10) -> NativeRun {
    var o = VMOptions()
    o.captureOutput = true
    o.gcStress = gcStress
    let vm = LuaVM(options: o)
    var engine: JITEngine?
    var refused: [String] = []
    var native = 0
    if jit {
        var p = JITParams()
        p.hotness = hotness
        p.hotloop = 3
        p.hotexit = hotexit
        p.backend = .native
        let e = JITEngine(vm: vm, params: p)
        let nb = NativeBackend()
        nb.useSSE41 = sse41
        e.nativeCompiler = nb
        e.log = { line in if line.contains("native backend") { refused.append(line) } }
        e.dump = { t in if t.code != nil { native += 1 } }
        e.attach()
        engine = e
    }
    let out = vm.runMain(bytes: Array(src.utf8), chunkName: "=test")
    let exits = engine?.stats.exits ?? 0
    engine?.detach()
    return NativeRun(output: vm.capturedOutput, status: out.status, error: out.errorReport, nativeTraces: native,
                     refused: refused, exits: exits)
}

final class NativeTests: XCTestCase {
    /// Runs `src` on the interpreter and natively; both must agree, and native traces must exist.
    @discardableResult
    func check(_ src: String, minTraces: Int = 1, sse41: Bool = X64CPU.hasSSE41, gcStress: Bool = false,
               hotness: HotnessMode = .eager, hotexit: Int = 10, file: StaticString = #filePath, line: UInt = #line) -> NativeRun {
        let ref = runLua(src, jit: false, gcStress: gcStress)
        let nat = runLua(src, jit: true, sse41: sse41, gcStress: gcStress, hotness: hotness, hotexit: hotexit)
        XCTAssertEqual(nat.output, ref.output, "output differs", file: file, line: line)
        XCTAssertEqual(nat.status, ref.status, "status differs", file: file, line: line)
        XCTAssertEqual(nat.error, ref.error, "error differs", file: file, line: line)
        XCTAssertEqual(nat.refused, [], "traces refused by the native backend", file: file, line: line)
        XCTAssertGreaterThanOrEqual(nat.nativeTraces, minTraces, "too few native traces", file: file, line: line)
        XCTAssertEqual(ref.error, nil, "the reference run failed", file: file, line: line)
        return nat
    }

    func testArithmetic() {
        check("""
        local s, p, q = 0, 1, 0
        for i = 1, 200 do
          local x = i * 0.75 - 3
          s = s + x / 7 - (x % 3) + (-x) % 2.5
          p = (p * 1.01) % 1000
          q = q + x ^ 2 + 2 ^ (i % 5) + x ^ 0.5
          q = q + math.min(x, 10) + math.max(x, -1, 3) + math.fmod(i, 7) + math.fmod(-i, 3)
        end
        print(s, p, q)
        local nan = 0/0
        local a, b = 0, 0
        for i = 1, 50 do
          a = a + (nan % 2 ~= nan % 2 and 1 or 0) + (5 % -3) + (-5 % 3) + (5.5 % math.huge)
          b = b + math.min(nan, 1) + math.max(1, nan)
        end
        print(a, b)
        """)
    }

    func testMathFunctions() {
        for sse in [true, false] where sse == false || X64CPU.hasSSE41 {
            check("""
            local acc = 0
            for i = 1, 100 do
              local x = (i - 50) / 7
              acc = acc + math.floor(x) + math.ceil(x) + math.abs(x) + math.sqrt(i) + math.sin(x) + math.cos(x)
                + math.tan(x / 10) + math.asin(x / 8) + math.acos(x / 8) + math.atan(x) + math.sinh(x / 4)
                + math.cosh(x / 4) + math.tanh(x) + math.exp(x / 4) + math.log(i) + math.log10(i) + math.atan2(x, 3)
            end
            print(acc, math.floor(-0.5), math.ceil(-0.5))
            local m = 0
            for i = 1, 60 do m = m + (i * 1.5) % 4 + math.floor(-i / 4) + math.ceil(i / 4) end
            print(m)
            """, sse41: sse)
        }
    }

    func testComparisonsAndNaN() {
        check("""
        local nan = 0/0
        local c = 0
        for i = 1, 100 do
          local x = i % 7
          if x < 3 then c = c + 1 end
          if x <= 3 then c = c + 10 end
          if not (x < 5) then c = c + 100 end
          if not (x <= 5) then c = c + 1000 end
          if x == 4 then c = c + 10000 end
          if x ~= 2 then c = c + 100000 end
          if nan < x or nan <= x or x < nan or nan == nan then c = c + 1e6 end
        end
        print(c)
        """)
    }

    func testBitOperations() {
        // (Calls nested as last arguments are not recorded yet: use locals.)
        check("""
        local x, y = 0, 0
        for i = 1, 300 do
          local sh = bit.lshift(i, i % 40)
          local r1 = bit.rshift(-i, 3)
          local r2 = bit.arshift(-i * 1000, i % 33)
          x = bit.bxor(x, sh) + r1 + r2
          local o = bit.bor(y, i * 7)
          local a = bit.band(o, 0xFFFF)
          local r3 = bit.rol(i, i)
          local r4 = bit.ror(i, 3)
          local r5 = bit.bnot(i)
          local r6 = bit.bswap(i)
          y = a + r3 + r4 + r5 + r6
          local t1 = bit.tobit(x + 2^31 + 0.5)
          local t2 = bit.tobit(-0.5)
          local t3 = bit.tobit(1.5)
          local t4 = bit.tobit(2.5)
          x = t1 + t2 + t3 + t4
        end
        print(x, y)
        """)
    }

    func testTables() {
        check("""
        local t = {}
        for i = 1, 100 do t[i] = i * 2 end
        local h = {}
        for i = 1, 100 do h["k" .. (i % 10)] = (h["k" .. (i % 10)] or 0) + t[i] end
        local s = 0
        for i = 1, 100 do s = s + t[i] + (h.k3 or 0) end
        local f = {}
        for i = 1, 50 do f[i + 0.5] = i; f[true] = i; f[-i] = i end
        local g = 0
        for i = 1, 50 do g = g + f[i + 0.5] + f[true] + f[-i] end
        local n = {}
        for i = 1, 40 do n[#n + 1] = i end
        local arr = {1, 2, 3, nil, 5}
        local z = 0
        for i = 1, 20 do z = z + #n + (arr[4] == nil and 1 or 0) + (arr[(i % 5) + 1] or 0) end
        print(s, h.k0, h.k9, g, #n, z)
        local tt = {}
        for i = 1, 30 do tt[i] = {i, x = i} end
        local q = 0
        for i = 1, 30 do q = q + tt[i][1] + tt[i].x end
        print(q)
        """)
    }

    func testStrings() {
        check("""
        local s = ""
        for i = 1, 50 do s = s .. (i % 10) .. "," .. 1.5 end
        local b = 0
        for i = 1, #s do b = b + s:byte(i) + string.byte(s, i) end
        local parts = {}
        for i = 1, 30 do parts[i] = s:sub(i, i + 3) .. string.sub(s, -i) .. s:sub(i) end
        local c = ""
        for i = 65, 90 do c = c .. string.char(i) end
        local l = 0
        for i = 1, 40 do l = l + #parts[(i % 30) + 1] + string.len(c) + #tostring(i * 1.25) end
        local ts = {}
        for i = 1, 20 do ts[i] = tostring(i / 3) .. type(i) .. type("x") .. type(ts) end
        print(#s, b, parts[7], c, l, ts[20])
        """)
    }

    func testUpvaluesAndGlobals() {
        check("""
        local up = 0
        local function bump(n) up = up + n; return up end
        G = 0
        for i = 1, 100 do
          bump(i)
          G = G + up % 7
        end
        local acc = 0
        local function mk()
          local v = 1
          return function() v = v * 1.5; if v > 100 then v = 1 end; return v end
        end
        local f = mk()
        for i = 1, 100 do acc = acc + f() end
        print(up, G, acc)
        """)
    }

    func testInlinedCallsAndExitsFromInnerFrames() {
        check("""
        local function inner(x)
          if x % 17 == 0 then return x * 2 end
          return x + 1
        end
        local function outer(x) return inner(x) + inner(x + 1) end
        local s = 0
        for i = 1, 300 do s = s + outer(i) end
        print(s)
        local function deep(n) if n > 250 then return "big" end return n end
        local r = {}
        for i = 1, 300 do r[#r + 1] = deep(i) end
        print(#r, r[1], r[300])
        """, minTraces: 2)
    }

    func testSideTracesAndTypeInstability() {
        check("""
        local s = 0
        for i = 1, 1000 do
          if i % 3 == 0 then s = s + 1 elseif i % 5 == 0 then s = s + 10 else s = s + 100 end
        end
        local v = 0
        local vals = {1, "2", 3.5, true, "x", nil, {}, 4}
        for i = 1, 400 do
          local x = vals[(i % 8) + 1]
          if type(x) == "number" then v = v + x
          elseif type(x) == "string" then v = v + #x
          elseif x == nil then v = v - 1
          else v = v + 0.5 end
        end
        local u = 1
        for i = 1, 200 do
          if i == 100 then u = "now a string" end
          if type(u) == "number" then u = u + 1 end
        end
        print(s, v, u)
        """, minTraces: 3, hotexit: 2)
    }

    func testAllocationAndGCStress() {
        check("""
        local keep = {}
        for i = 1, 300 do
          local t = {i, i + 1, name = "n" .. i}
          keep[i % 50 + 1] = t
        end
        local s = 0
        for i = 1, 50 do s = s + keep[i][1] + #keep[i].name end
        print(s)
        """, gcStress: true)
    }

    func testManyLiveValuesSpill() {
        check("""
        local a1, a2, a3, a4, a5, a6, a7, a8 = 1, 2, 3, 4, 5, 6, 7, 8
        local b1, b2, b3, b4, b5, b6, b7, b8 = 1, 2, 3, 4, 5, 6, 7, 8
        local s1, s2, s3, s4, s5, s6 = "a", "b", "c", "d", "e", "f"
        local t1, t2, t3, t4, t5, t6 = {}, {}, {}, {}, {}, {}
        for i = 1, 200 do
          a1, a2, a3, a4, a5, a6, a7, a8 = a2 + i, a3 * 1.01, a4 - 1, a5 + a1, a6 / 2 + 1, a7 + a8, a8 % 13, a1 + 0.5
          b1, b2, b3, b4, b5, b6, b7, b8 = b8, b1 + a1, b2 - a2, b3 + a3, b4 % 100, b5 + b6, b6 * 0.5, b7 + 1
          s1, s2, s3, s4, s5, s6 = s2, s3, s4, s5, s6, s1
          t1, t2, t3, t4, t5, t6 = t2, t3, t4, t5, t6, t1
          t1[#t1 + 1] = s1
          if i % 50 == 0 then a1 = math.sin(a1) + bit.band(i, 7) end
        end
        print(a1, a2, a3, a4, a5, a6, a7, a8)
        print(b1, b2, b3, b4, b5, b6, b7, b8)
        print(s1 .. s2 .. s3 .. s4 .. s5 .. s6, #t1, #t2, #t3)
        """)
    }

    func testIteratorsAndCounterHotness() {
        check("""
        local t = {}
        for i = 1, 200 do t[i] = i end
        local s = 0
        for k = 1, 20 do
          for i, v in ipairs(t) do s = s + i * v end
        end
        print(s)
        """, hotness: .counter)
    }

    func testObjectEqualityAndMetatables() {
        check("""
        local a, b = {}, {}
        local mt = {__index = {x = 5}}
        local o = setmetatable({}, mt)
        local c = 0
        for i = 1, 100 do
          local p = (i % 2 == 0) and a or b
          if p == a then c = c + 1 end
          if p ~= b then c = c + 10 end
          c = c + o.x
        end
        print(c)
        """)
    }

    func testDumpMarksExits() throws {
        var o = VMOptions()
        o.captureOutput = true
        let vm = LuaVM(options: o)
        var p = JITParams()
        p.hotness = .eager
        p.backend = .native
        let e = JITEngine(vm: vm, params: p)
        e.nativeCompiler = NativeBackend()
        var text = ""
        e.dump = { [unowned e] t in text += TraceDump.text(t, engine: e, options: [.ir, .machineCode]) }
        e.attach()
        _ = vm.runMain(bytes: Array("local s = 0 for i = 1, 10 do s = s + i end print(s)".utf8), chunkName: "=t")
        e.detach()
        XCTAssertEqual(vm.capturedOutput, "55\n")
        XCTAssertTrue(text.contains("mcode"), text)
        if X64Disassembly.objdumpPath != nil {
            XCTAssertTrue(text.contains("; -> exit"), text)
            XCTAssertTrue(text.contains("; exit 0") || text.contains("; exit 1"), text)
        }
    }

    func testLayoutOffsets() {
        XCTAssertEqual(Layout.lfuncUpvals, 32)
        XCTAssertEqual(Layout.strData, 24)
        XCTAssertEqual(Layout.tabArray, 16)
        XCTAssertEqual(Layout.tabMeta, 48)
        XCTAssertEqual(Layout.upvalV, 16)
        XCTAssertEqual(Layout.nodeSize, 24)
    }
}
