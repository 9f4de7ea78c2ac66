// Integer narrowing of numeric for loops (RecordNarrow.swift, docs/jit.md "Narrowing"): the IR
// shape of narrowed loops (int SLOADs, an int PHI, ADDI and an int loop test, array indexes without
// TOINT), what stays num (non-integer starts or steps, huge bounds, limits too near int32's), and
// exactness: each program runs on the interpreter, the IR backend and the native backend, which must
// print the same (exits mid-loop, negative steps, loops near the int32 limits, entries whose values
// no longer narrow). Hand-built traces check the narrowed SLOAD's guard (-0, fractions, range) and
// int compares on both backends.
import Foundation
import Runtime
import XCTest
@testable import JIT

final class NarrowingTests: XCTestCase {
    /// Runs src on the interpreter and both backends (eager hotness); asserts the same output and
    /// that traces were made and compiled. Returns the native run.
    @discardableResult
    func differential(_ src: String, _ settings: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> JITTestSupport.Run {
        let bytes = Array(src.utf8)
        let plain = JITTestSupport.run(bytes, path: "t.lua", params: nil)
        let ir = JITTestSupport.run(bytes, path: "t.lua", params: JITTestSupport.params(.ir, settings))
        let nat = JITTestSupport.run(bytes, path: "t.lua", params: JITTestSupport.params(.native, settings))
        let want = String(decoding: plain.stdout, as: UTF8.self)
        XCTAssertEqual(plain.status, 0, "interpreter: \(plain.errorReport ?? "")", file: file, line: line)
        XCTAssertEqual(String(decoding: ir.stdout, as: UTF8.self), want, "ir: stdout", file: file, line: line)
        XCTAssertEqual(String(decoding: nat.stdout, as: UTF8.self), want, "native: stdout", file: file, line: line)
        XCTAssertEqual(ir.status, plain.status, "ir: status", file: file, line: line)
        XCTAssertEqual(nat.status, plain.status, "native: status", file: file, line: line)
        XCTAssertEqual(nat.logLines.filter { !$0.contains("-- native backend:") }, ir.logLines, "JIT logs differ", file: file, line: line)
        XCTAssertEqual(nat.refused, [], "native refusals", file: file, line: line)
        XCTAssertGreaterThan(nat.stats?.traceEntries ?? 0, 0, "no trace entered", file: file, line: line)
        return nat
    }

    /// The root trace whose loop body starts at `line` of t.lua.
    func rootTrace(_ r: JITTestSupport.Run, line: Int, file: StaticString = #filePath, l: UInt = #line) -> Trace? {
        guard let e = r.engine else { XCTFail("no engine", file: file, line: l); return nil }
        let t = e.liveTraces.first { $0.parent == nil && e.location($0.startProto, $0.startPC) == "t.lua:\(line)" }
        XCTAssertNotNil(t, "no root trace at line \(line)", file: file, line: l)
        return t
    }

    func ops(_ t: Trace, from: Int = 0) -> [IRIns] { Array(t.ins[from...]).filter { $0.op != .NOP } }
    func body(_ t: Trace) -> [IRIns] { ops(t, from: (t.loopStart ?? -1) + 1) }

    // MARK: IR shape

    func testArrayLoopIsNarrowed() {
        let r = differential("""
        local t = {}
        for i = 1, 200 do t[i] = i % 7 end
        local function findMax(a)
          local m = a[1]
          for i = 2, #a do
            if a[i] > m then m = a[i] end
          end
          return m
        end
        local s = 0
        for k = 1, 30 do s = s + findMax(t) end
        print(s)
        """)
        guard let t = rootTrace(r, line: 6) else { return }
        XCTAssertNotNil(t.loopStart, "peeled")
        let all = ops(t)
        XCTAssertTrue(all.contains { $0.op == .SLOAD && $0.type == .int }, "int SLOAD of the counter")
        XCTAssertFalse(all.contains { $0.op == .TOINT }, "no TOINT anywhere")
        let b = body(t)
        XCTAssertTrue(b.contains { $0.op == .PHI && $0.type == .int }, "int PHI")
        XCTAssertTrue(b.contains { $0.op == .ADDI }, "ADDI increment")
        XCTAssertTrue(b.contains { $0.op == .LE && t.type(of: $0.a) == .int }, "int loop test")
        XCTAssertFalse(b.contains { $0.op == .TONUM || $0.op == .ADD }, "no num conversion or add in the body")
    }

    func testIndexArithmeticStaysInt() {
        let r = differential("""
        local t = {}
        for i = 1, 300 do t[i] = i * 0.5 end
        local s = 0
        for i = 2, 299 do
          s = s + t[i - 1] + t[i + 1] - t[301 - i]
        end
        print(s)
        """)
        guard let t = rootTrace(r, line: 5) else { return }
        let all = ops(t)
        XCTAssertFalse(all.contains { $0.op == .TOINT }, "i-1, i+1 and 301-i index without TOINT")
        XCTAssertFalse(body(t).contains { $0.op == .TONUM }, "no TONUM in the body")
    }

    func testVariableStepIsGuarded() {
        let r = differential("""
        local t = {}
        for i = 1, 100 do t[i] = i end
        local function sum(st)
          local s = 0
          for i = 1, #t, st do s = s + t[i] end
          return s
        end
        local acc = 0
        for k = 1, 20 do acc = acc + sum(3) + sum(4) end
        print(acc)
        """)
        guard let t = rootTrace(r, line: 5) else { return }
        XCTAssertEqual(ops(t).filter { $0.op == .SLOAD && $0.type == .int }.count, 3, "index, limit and step as ints")
        XCTAssertFalse(ops(t).contains { $0.op == .TOINT })
    }

    func testNonIntegerAndHugeLoopsStayNum() {
        let r = differential("""
        local s = 0
        for i = 1, 300, 0.5 do s = s + i end
        for i = 0.5, 300 do s = s + i end
        for i = 2^40, 2^40 + 300 do s = s + i end
        for i = 1, 2^40 do s = s + i; if i > 300 then break end end
        print(s)
        """)
        for line in 2...5 {
            guard let t = rootTrace(r, line: line) else { continue }
            XCTAssertFalse(t.ins.contains { $0.type == .int && $0.op == .SLOAD }, "line \(line) narrowed")
        }
    }

    func testNarrowParameterTurnsItOff() {
        let r = differential("""
        local t = {}
        for i = 1, 100 do t[i] = i end
        local s = 0
        for i = 1, 100 do s = s + t[i] end
        print(s)
        """, ["narrow=0"])
        guard let t = rootTrace(r, line: 4) else { return }
        XCTAssertTrue(t.ins.contains { $0.op == .TOINT })
        XCTAssertFalse(t.ins.contains { $0.op == .SLOAD && $0.type == .int })
    }

    // MARK: exactness

    func testExitMidLoopRestoresTheLoopVariable() {
        differential("""
        local t = {}
        for i = 1, 100 do t[i] = i end
        t[37] = "x"; t[64] = false
        local seen = {}
        local s = 0
        for i = 1, 100 do
          local v = t[i]
          if type(v) ~= "number" then seen[#seen + 1] = i; s = s + i * 1000 else s = s + v * i end
        end
        print(s, #seen, seen[1], seen[2])
        for i = 1, 100 do
          if t[i] == "x" then print("break at", i, i / 3, tostring(i)); break end
        end
        local j
        for i = 10, 1000, 7 do j = i; if t[i] == nil then print("nil at", i); break end end
        print(j)
        """)
    }

    func testNegativeSteps() {
        differential("""
        local t = {}
        for i = 1, 100 do t[i] = i * 3 end
        local s = 0
        for i = 100, 1, -1 do s = s + t[i] * i end
        for i = 99, 2, -3 do s = s + t[i - 1] - t[i + 1] end
        for i = 100, 1, -7 do if t[i] % 2 == 0 then s = s + i else s = s - 1 / i end end
        for i = 5, -5, -1 do s = s + i * 0.25 end
        print(s)
        """)
    }

    func testLoopsNearInt32Limits() {
        differential("""
        local s, n = 0, 0
        for i = 2147483547, 2147483647 do s = s + i; n = n + 1 end
        for i = 2147483647 - 200, 2147483647, 3 do s = s + i; n = n + 1 end
        for i = -2147483548, -2147483648, -1 do s = s - i; n = n + 1 end
        for i = -2147483648, -2147483448 do s = s + (i - 1); n = n + 1 end
        for i = 2147483000, 2147483646 do s = s + (i + 1) % 97; n = n + 1 end
        for i = 2147418000, 2147418200 do s = s + (i + 70000); n = n + 1 end
        print(s, n)
        """)
    }

    func testEntriesThatNoLongerNarrow() {
        differential("""
        local t = {}
        for i = 1, 50 do t[i] = i end
        local function run(a, b, c)
          local s = 0
          for i = a, b, c do s = s + i + (t[i] or 0.5) end
          return s
        end
        local acc = 0
        for k = 1, 40 do
          acc = acc + run(1, 50, 1)
          if k % 5 == 0 then acc = acc + run(0.5, 20, 1) + run(1, 20.5, 1) + run(1, 2^33, 2^32) end
          if k % 7 == 0 then acc = acc + run(-0.0, 10, 1) + run(2147483640, 2147483647, 1) end
        end
        print(acc)
        """)
    }

    func testCounterUsedAsNumberEverywhere() {
        differential("""
        local t, u = {}, {}
        for i = 1, 100 do t[i] = i end
        local s, str = 0, ""
        local function id(x) return x end
        for i = 1, 100 do
          local j = i
          s = s + j / 3 + math.floor(i / 2) + id(i) * 2 + (i == 50 and 1000 or 0)
          if i > 90 then str = str .. i .. "," end
          if i < 10 and i >= 3 then s = s + 0.125 end
          u[i] = i; u[i + 0.5] = i
          t[i] = t[i] + i
        end
        print(s, str, #u, t[100], u[3.5])
        """)
    }

    /// Compares of the counter with constants are int guards, and they exit like num ones.
    func testIntCompareExits() {
        let r = differential("""
        local c = 0
        for i = 1, 30 do if i < 10 then c = c + 1 end end
        for i = 1, 30 do if i > 10 then c = c + 2 end end
        for i = 1, 30 do if i <= 10 then c = c + 4 end end
        for i = 1, 30 do if i >= 10 then c = c + 8 end end
        for i = 1, 30 do if i == 10 then c = c + 16 end end
        for i = 1, 30 do if i ~= 10 then c = c + 32 end end
        for i = 30, 1, -1 do if i - 1 < 10 then c = c + 64 end end
        print(c)
        """)
        let got = NativeExitTests.exitedGuards(r)
        for k in ["LT int", "NLT int", "LE int", "NLE int", "NE int"] {
            XCTAssert(got.contains(k), "no exit through a '\(k)' guard; exited: \(got.sorted())")
        }
    }

    /// i + 7 and i + 8 (the increment) fold into one chain off the counter; in the loop body the
    /// fold must not reach through the peeled counter, which the PHI carries (a bug once: the
    /// body then used the first iteration's counter and the loop never ended).
    func testFoldedOffsetsFollowTheCounter() {
        let r = differential("""
        local bits = string.rep("10110", 200)
        local bytes = {}
        for i = 1, #bits, 8 do bytes[#bytes + 1] = tonumber((bits:sub(i, i + 7) .. "0000000"):sub(1, 8), 2) end
        local t = {}
        for i = 1, 100 do t[i] = i end
        local s = 0
        for i = 1, 90, 3 do s = s + t[i + 1] + t[i + 2] + t[i + 4] - t[(i + 4) - 3] end
        print(#bytes, bytes[1], bytes[#bytes], s)
        """)
        guard let t = rootTrace(r, line: 7) else { return }
        XCTAssertFalse(t.ins.contains { $0.op == .TOINT })
    }

    // MARK: hand-built traces: the narrowed SLOAD and int compares on both backends

    func testNarrowedSLOADGuardOnBothBackends() throws {
        let vm = LuaVM(options: VMOptions())
        var p = JITParams()
        p.backend = .native
        let engine = JITEngine(vm: vm, params: p)
        let f = try vm.load(bytes: Array("return 1".utf8), chunkName: "=t")
        let proto = f.luaFunction.pointee.proto!
        // k = SLOAD int #0; n = SLOAD int #1; guard k < n; guard not (k <= -3); slot 2 = k + 1.
        let t = Trace(id: 1, parent: nil, startProto: proto, startPC: 0)
        t.snapshots.append(Snapshot(ref: 0, pc: 0, entries: [], frames: [], topSlot: 8))
        func add(_ i: IRIns) -> IRRef {
            var i = i
            if i.isGuard { i.snap = Int32(t.snapshots.count - 1) }
            t.ins.append(i)
            return IRRef(t.ins.count - 1)
        }
        let k = add(IRIns(.SLOAD, .int, c: 0, guarded: true))
        let n = add(IRIns(.SLOAD, .int, c: 1, guarded: true))
        _ = add(IRIns(.LT, .void, a: k, b: n, guarded: true))
        _ = add(IRIns(.NLE, .void, a: k, b: t.const(.int(-3)), guarded: true))
        _ = add(IRIns(.LE, .void, a: t.const(.int(-100)), b: k, guarded: true))
        let k1 = add(IRIns(.ADDI, .int, a: k, b: t.const(.int(1))))
        t.snapshots.append(Snapshot(ref: Int32(t.ins.count), pc: 0, entries: [SnapEntry(slot: 2, ref: k1)], frames: [], topSlot: 8))
        XCTAssertEqual(IRVerifier.verify(t), [])
        let code = try NativeBackend().compile(t, engine: engine)
        let interp = IRInterpreter(vm: vm)
        let cases: [(Double, Double, Bool)] = [
            (1, 5, true), (-0.0, 5, false), (0, 5, true), (0.5, 5, false), (4, 4, false), (-3, 5, false),
            (-2, 5, true), (-100, 5, false), (-101, 5, false), (2147483647, 2147483647, false),
            (2147483646, 2147483647, true), (2147483648, 2147483649, false), (.nan, 1, false), (1, .infinity, false),
        ]
        for (x, y, passes) in cases {
            var s1: [Value] = [Value(x), Value(y), .nil, .nil], s2 = s1
            let r1 = s1.withUnsafeMutableBufferPointer { code.run(base: $0.baseAddress!) }
            let r2 = try s2.withUnsafeMutableBufferPointer { try interp.run(t, base: $0.baseAddress!) }
            func ended(_ e: TraceExit) -> Bool { if case .end = e { return true }; return false }
            XCTAssertEqual(ended(r1), passes, "native \(x), \(y)")
            XCTAssertEqual(ended(r2), passes, "ir \(x), \(y)")
            XCTAssertEqual(s1.map { $0.bits }, s2.map { $0.bits }, "stacks \(x), \(y)")
            if passes { XCTAssertEqual(Int32(truncatingIfNeeded: interp.value(k1, in: t)), Int32(x) + 1) }
        }
    }

    func testFoldOnIntCompares() {
        let (t, b) = makeTrace()
        b.snap()
        let x = b.sload(0, .int)
        let before = t.ins.count
        b.emit(IRIns(.LE, .void, a: x, b: x, guarded: true))
        b.emit(IRIns(.LT, .void, a: t.const(.int(-5)), b: t.const(.int(3)), guarded: true))
        b.emit(IRIns(.LE, .void, a: t.const(.int(4)), b: t.const(.int(4)), guarded: true))
        b.emit(IRIns(.NLT, .void, a: t.const(.int(2147483647)), b: t.const(.int(-2147483648)), guarded: true))
        XCTAssertEqual(t.ins.count, before, "int guards that always hold are dropped")
        b.emit(IRIns(.LT, .void, a: t.const(.int(3)), b: t.const(.int(-5)), guarded: true))
        XCTAssertEqual(t.ins.count, before + 1, "a guard that always fails stays")
        XCTAssertEqual(Fold.evalGuard(.LT, .int(-1), .int(0)), true)
        // Wrapping adds with constants combine; (x + 1) - 1 is x.
        let y = b.bin(.ADDI, x, t.const(.int(1)), .int)
        XCTAssertEqual(b.bin(.SUBI, y, t.const(.int(1)), .int), x)
        let z = b.bin(.SUBI, b.bin(.SUBI, x, t.const(.int(3)), .int), t.const(.int(4)), .int)
        XCTAssertEqual(t.ins[Int(z)].op, .SUBI)
        XCTAssertEqual(t.intConst(t.ins[Int(z)].b), 7)
        let w = b.bin(.ADDI, b.bin(.SUBI, t.const(.int(10)), x, .int), t.const(.int(Int32.max)), .int)
        XCTAssertEqual(t.intConst(t.ins[Int(w)].a), 10 &+ Int32.max)
        XCTAssertEqual(Fold.evalGuard(.NLE, .int(-1), .int(0)), false)
    }
}
