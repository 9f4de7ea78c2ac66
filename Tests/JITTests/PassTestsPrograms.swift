// Whole programs through the recorder and the IR interpreter with every pass configuration: the
// output must equal the interpreter's, traces must really have been made and entered, and every
// trace the engine keeps must pass the IR verifier.
import XCTest
@testable import JIT
import Runtime

final class PassTestsPrograms: XCTestCase {
    static let programs: [(String, String)] = [
        ("sum", """
        local t = {}
        for i = 1, 300 do t[i] = i * 0.5 - 20 end
        local s, p = 0, -0.0
        for i = 1, 300 do s = s + t[i]; p = p * 1 end
        print(s, 1 / p)
        """),
        ("swap", """
        local a, b, prev = 1, 2, 0
        for i = 1, 301 do prev = a; a, b = b, a end
        print(a, b, prev)
        local x, y, z = 1, 2, 3
        for i = 1, 100 do x, y, z = y, z, x + y + z end
        print(x, y, z)
        """),
        ("arith", """
        local acc, m = 0, 0
        for i = 1, 400 do
          local x = i * 0.25
          acc = acc + (x % 3) + x ^ 2 - (x / 4) * 2 + math.floor(x) - math.min(x, 7) + math.max(-x, -3)
          m = m + (-(-x)) + x * 1 + x / 1 - x * 0 + (x + 0)
        end
        print(acc, m)
        """),
        ("bits", """
        local h = 0
        for i = 1, 500 do
          local l = bit.lshift(i, 5)
          local r = bit.rshift(h, 3)
          h = bit.bxor(h, l + r)
          local m = bit.band(h, 0x7fffffff)
          local o = bit.bor(i, 0)
          local a = bit.band(i, -1)
          h = m + o - a
          local ro = bit.rol(i, 33)
          local n1 = bit.bnot(i)
          local n2 = bit.bnot(n1)
          local sw = bit.bswap(i)
          local sa = bit.arshift(-i, 2)
          h = bit.tobit(h + ro + n2 + sw + sa)
        end
        print(h)
        """),
        ("tables", """
        local t = {1, 2, 3, 4, 5, 6, 7, 8}
        local u = {x = 1, y = 2}
        for i = 1, 200 do
          local k = (i % 8) + 1
          t[k] = t[k] + t[1]
          u.x = u.x + u.y
          u.y = u.x - u.y
        end
        local s = 0
        for i = 1, 8 do s = s + t[i] end
        print(s, u.x, u.y)
        """),
        ("exits", """
        local n, odd, neg = 0, 0, 0
        for i = -50, 150 do
          if i % 2 == 1 then odd = odd + 1 end
          if i < 0 then neg = neg + i else n = n + i end
        end
        print(n, odd, neg)
        """),
        ("nested", """
        local s = 0
        for i = 1, 40 do
          for j = 1, 40 do s = s + (i * j) % 7 end
        end
        print(s)
        """),
        ("while", """
        local i, s, last = 0, 0, nil
        while i < 500 do
          i = i + 1
          if i % 3 == 0 then last = i end
          s = s + i
        end
        print(i, s, last)
        """),
        ("calls", """
        local function sq(x) return x * x end
        local function add(a, b) return a + b end
        local s = 0
        for i = 1, 300 do
          local q = sq(i % 10)
          s = add(s, q)
        end
        print(s)
        """),
        ("strings", """
        local s, n = "", 0
        for i = 1, 60 do
          s = s .. (i % 10)
          n = n + #s + string.byte(s, 1)
        end
        print(#s, n, string.sub(s, 1, 12))
        """),
    ]

    func configurations() -> [(String, JITParams)] {
        var base = JITParams()
        base.hotness = .eager
        base.backend = .ir
        var r: [(String, JITParams)] = [("all", base)]
        for name in ["fold", "cse", "dce", "loopopt"] {
            var p = base
            try? p.set("\(name)=0")
            r.append(("no \(name)", p))
        }
        var none = base
        for name in ["fold", "cse", "dce", "loopopt"] { try? none.set("\(name)=0") }
        r.append(("none", none))
        return r
    }

    func run(_ src: String, _ params: JITParams?) -> (String, JITEngine?, LuaVM) {
        var o = VMOptions()
        o.captureOutput = true
        let vm = LuaVM(options: o)
        var engine: JITEngine?
        if let p = params {
            engine = JITEngine(vm: vm, params: p)
            engine?.attach()
        }
        let r = vm.runMain(bytes: Array(src.utf8), chunkName: "=prog")
        XCTAssertNil(r.errorReport)
        return (vm.capturedOutput, engine, vm)
    }

    func testProgramsAgreeUnderEveryPassConfiguration() {
        for (name, src) in Self.programs {
            let (expected, _, _) = run(src, nil)
            XCTAssertFalse(expected.isEmpty, name)
            for (cname, params) in configurations() {
                let (out, engine, vm) = run(src, params)
                XCTAssertEqual(out, expected, "\(name) with \(cname)")
                guard let e = engine else { continue }
                XCTAssertGreaterThan(e.stats.tracesMade, 0, "\(name) with \(cname): no trace")
                XCTAssertGreaterThan(e.stats.traceEntries, 0, "\(name) with \(cname): no trace entered")
                for case let t? in e.traces {
                    let problems = IRVerifier.verify(t)
                    XCTAssert(problems.isEmpty, "\(name) with \(cname), trace \(t.id): \(problems)")
                }
                withExtendedLifetime(vm) {}
            }
        }
    }

    /// The passes do what they are for on a real trace: the peeled sum loop keeps no SLOAD or FLOAD
    /// in its body, and every pass removes something.
    func testSumLoopIsOptimized() {
        var p = JITParams()
        p.hotness = .eager
        let (_, engine, vm) = run(Self.programs[0].1, p)
        guard let e = engine else { return XCTFail("no engine") }
        let loops = e.traces.compactMap { $0 }.filter { $0.loopStart != nil }
        XCTAssertFalse(loops.isEmpty)
        for t in loops {
            let body = t.loopStart!
            XCTAssertEqual(t.count(.SLOAD, from: body), 0, "trace \(t.id)")
            XCTAssertEqual(t.count(.FLOAD, from: body), 0, "trace \(t.id)")
            XCTAssertGreaterThan(t.count(.PHI, from: body), 0, "trace \(t.id)")
        }
        withExtendedLifetime(vm) {}
    }
}
