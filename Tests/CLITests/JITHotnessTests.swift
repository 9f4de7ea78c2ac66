// Sample hotness (the sampler marks hot loops for the JIT) and `tracejit flags`: in-process through
// the CLI's glue, and end to end through the built binary.
import Foundation
import JIT
import Profiler
import Runtime
import XCTest
@testable import TracejitCLI

final class JITHotnessTests: XCTestCase {
    /// Runs the built binary; returns (exit code, stdout, stderr).
    func run(_ args: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let r = try TracejitBinary.run(args, environment: environment)
        return (r.status, r.stdout, r.stderr)
    }

    // MARK: tracejit flags

    func testFlagsTableListsEveryParameterWithItsDefault() {
        let table = CLI.flagsTable(JITParams())
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + JITParams.entries.count)
        let d = JITParams()
        for (e, line) in zip(JITParams.entries, lines.dropFirst()) {
            let cols = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            XCTAssertEqual(Array(cols.prefix(4)), [e.name, "=", e.get(d), e.get(d)], line)
            XCTAssertTrue(line.hasSuffix(e.meaning), line)
        }
    }

    func testFlagsBinaryListsEveryParameterAndShowsEffectiveValues() throws {
        let (st, out, err) = try run(["flags"])
        XCTAssertEqual(st, 0, err)
        for e in JITParams.entries {
            XCTAssertTrue(out.contains("\n" + e.name + " "), "missing \(e.name) in:\n\(out)")
        }
        XCTAssertEqual(out, CLI.flagsTable(JITParams()))
        let (st2, out2, err2) = try run(["flags", "--jit-param", "hotloop=7", "--jit-param", "hotness=counter",
                                         "--jit-param", "fold=off"])
        XCTAssertEqual(st2, 0, err2)
        let line = { (name: String) in
            out2.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map {
                $0.split(separator: " ").prefix(4).map(String.init)
            } ?? []
        }
        XCTAssertEqual(line("hotloop"), ["hotloop", ":=", "7", "56"])
        XCTAssertEqual(line("hotness"), ["hotness", ":=", "counter", "sample"])
        XCTAssertEqual(line("fold"), ["fold", ":=", "0", "1"])
        XCTAssertEqual(line("maxrecord"), ["maxrecord", "=", "4000", "4000"])
    }

    func testFlagsRejectsUnknownAndBadParameters() throws {
        let (st, out, err) = try run(["flags", "--jit-param", "nosuch=1"])
        XCTAssertNotEqual(st, 0)
        XCTAssertEqual(out, "")
        XCTAssertTrue(err.contains("unknown JIT parameter 'nosuch' (see `tracejit flags`)"), err)
        XCTAssertFalse(err.contains("Fatal error"), err)
        let (st2, _, err2) = try run(["flags", "--jit-param", "hotloop=many"])
        XCTAssertNotEqual(st2, 0)
        XCTAssertTrue(err2.contains("bad value 'many' for JIT parameter 'hotloop'"), err2)
        let (st3, _, err3) = try run(["flags", "--jit-param", "hotloop"])
        XCTAssertNotEqual(st3, 0)
        XCTAssertTrue(err3.contains("expected name=value, got 'hotloop'"), err3)
        // `run` rejects the same names the same way.
        let (st4, _, err4) = try run(["run", "-e", "print(1)", "--jit-param", "nosuch=1"])
        XCTAssertNotEqual(st4, 0)
        XCTAssertTrue(err4.contains("unknown JIT parameter 'nosuch'"), err4)
        XCTAssertThrowsError(try CLI.jitParams(["hotloop=1", "nosuch=2"]))
    }

    func testFlagsIsASubcommand() throws {
        let c = try TracejitCommand.parseAsRoot(["flags", "--jit-param", "hotexit=3"])
        XCTAssertEqual((c as? FlagsCommand)?.jitParam, ["hotexit=3"])
    }

    // MARK: sample hotness

    /// A program whose inner loop is hot runs under the real sampler with hotness=sample; the
    /// sampler must mark the loop and the engine record a trace. The program polls the engine's
    /// trace count between rounds (a native function outside the hot loop), so it stops soon after
    /// the first trace, or after a bounded number of rounds (far more CPU time than a few samples
    /// need, even at the itimer's 250 Hz) if none ever comes.
    func testSampleHotnessMarksAHotLoopAndTheEngineRecordsATrace() throws {
        let vm = LuaVM()
        var params = JITParams()
        params.hotness = .sample
        params.backend = .ir
        let engine = JITEngine(vm: vm, params: params)
        engine.attach()
        defer { engine.detach() }
        vm.registerLibrary(nil, [("jit_traces", { [unowned engine] _, a in
            a.base[0] = Value(Double(engine.stats.tracesMade))
            return 1
        })])
        let hotness = SampleHotness(engine: engine, sampleHz: params.samplerate)
        let src = """
            local s, rounds = 0, 0
            while jit_traces() == 0 and rounds < 3000 do
              for i = 1, 20000 do s = (s + i * 3) % 1000003 end
              rounds = rounds + 1
            end
            local check = 0
            for r = 1, rounds do for i = 1, 20000 do check = (check + i * 3) % 1000003 end end
            assert(s == check, "trace computed " .. s .. ", expected " .. check)
            """
        var sampled = false
        let status = withHotnessSampler(vm, hotness) { ok in
            sampled = ok
            return vm.runMainChunk(bytes: Array(src.utf8), chunkName: "=hot")
        }
        XCTAssertTrue(sampled, "the sampler did not start")
        XCTAssertEqual(status, 0)
        XCTAssertGreaterThan(hotness.heat.interpretedWeight, 0)
        XCTAssertGreaterThan(hotness.heat.reports, 0, "no loop was marked hot")
        XCTAssertGreaterThan(engine.stats.tracesMade, 0, "the engine recorded no trace")
        XCTAssertGreaterThan(engine.stats.traceEntries, 0)
        XCTAssertNotNil(engine.stats.firstTraceNanos)
    }

    /// The drain thread is asked to stay prompt while the program interprets (a quarter or more of
    /// the new samples) or something got hot, and may back off while the program runs in traces.
    func testHotnessWantsPromptDrainsWhileInterpreting() {
        let vm = LuaVM()
        let engine = JITEngine(vm: vm, params: JITParams())
        let hotness = SampleHotness(engine: engine, sampleHz: 1000)
        let observe = hotness.observer, prompt = hotness.wantsPromptDrain
        func feed(interpreted: Int, inTraces: Int) {
            for _ in 0..<interpreted { observe(RawSample(state: UInt32(TJ_VMSTATE_INTERP), lua: [RawSample.luaFrame(proto: 99, pc: 1)]), 1) }
            for _ in 0..<inTraces { observe(RawSample(state: UInt32(TJ_VMSTATE_TRACE), lua: []), 1) }
        }
        XCTAssertTrue(prompt(), "no samples yet: the program has just started")
        feed(interpreted: 10, inTraces: 0)
        XCTAssertTrue(prompt())
        feed(interpreted: 0, inTraces: 100)
        XCTAssertFalse(prompt())
        feed(interpreted: 10, inTraces: 100)
        XCTAssertFalse(prompt(), "a few interpreted samples between traces")
        feed(interpreted: 10, inTraces: 10)
        XCTAssertTrue(prompt())
    }

    /// Sample mode never records a loop the sampler did not mark: with a sampler that cannot mark
    /// (no sampling at all), a hot loop stays interpreted.
    func testSampleModeWithoutSamplesRecordsNothing() {
        let vm = LuaVM()
        let engine = JITEngine(vm: vm, params: JITParams())
        engine.attach()
        defer { engine.detach() }
        let status = vm.runMainChunk(bytes: Array("local s = 0 for i = 1, 100000 do s = s + i end assert(s == 5000050000)".utf8),
                                     chunkName: "=cold")
        XCTAssertEqual(status, 0)
        XCTAssertEqual(engine.stats.tracesMade, 0)
        XCTAssertEqual(engine.stats.aborts, 0)
    }

    /// End to end: `run --jit` (sample hotness by default) prints what the interpreter prints and
    /// reports traces, samples and the time to the first trace through the stats channel.
    func testRunWithSampleHotnessReportsTraces() throws {
        let dir = NSTemporaryDirectory() + "tracejit-hot-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let prog = dir + "/p.lua", stats = dir + "/stats.json"
        try """
            local s = 0
            for r = 1, 100 do for i = 1, 10000 do s = (s + i * 7) % 999983 end end
            print(s)
            """.write(toFile: prog, atomically: true, encoding: .utf8)
        let (st0, out0, _) = try run(["run", "--interp-only", prog])
        XCTAssertEqual(st0, 0)
        let (st, out, err) = try run(["run", "--jit", "--jit-log", prog], environment: ["TRACEJIT_STATS_JSON": stats])
        XCTAssertEqual(st, 0, err)
        XCTAssertEqual(out, out0)
        XCTAssertTrue(err.contains("[TRACE   1 p.lua:2"), err)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: stats))) as? [String: Any]
        XCTAssertGreaterThan(json?["traces"] as? Int ?? 0, 0)
        XCTAssertGreaterThan(json?["samples"] as? Int ?? 0, 0)
        XCTAssertNotNil(json?["jit_sample_share"] as? Double)
        XCTAssertNotNil(json?["first_trace_seconds"] as? Double)
    }

    // MARK: hot side exits by sampling

    /// An engine in sample hotness with natives the programs poll (`jit_traces()`,
    /// `jit_sides()`), its log captured; the program runs under the real hotness sampler.
    func runSampled(_ src: String, backend: JITBackend = .native, _ settings: [String] = [])
        -> (status: Int32, engine: JITEngine, heat: SampledLoopHeat, log: [String], sampled: Bool) {
        let vm = LuaVM()
        var params = JITParams()
        params.hotness = .sample
        params.backend = backend
        for s in settings { try! params.set(s) }
        let engine = JITEngine(vm: vm, params: params)
        if backend == .native { engine.nativeCompiler = NativeBackend(budgetKB: params.maxmcode) }
        engine.attach()
        defer { engine.detach() }
        var log: [String] = []
        engine.log = { log.append($0) }
        vm.registerLibrary(nil, [("jit_traces", { [unowned engine] _, a in
            a.base[0] = Value(Double(engine.stats.tracesMade))
            return 1
        }), ("jit_sides", { [unowned engine] _, a in
            a.base[0] = Value(Double(engine.stats.sideTraces))
            return 1
        })])
        let hotness = SampleHotness(engine: engine, sampleHz: params.samplerate)
        var sampled = false
        let status = withHotnessSampler(vm, hotness) { ok in
            sampled = ok
            return vm.runMainChunk(bytes: Array(src.utf8), chunkName: "=exits")
        }
        return (status, engine, hotness.heat, log, sampled)
    }

    /// A loop whose branch goes one way 3 times in 4, run in rounds until a side trace exists (or
    /// 2,000 rounds): `s` and `rounds` are left for the caller's checks.
    static let biasedLoopUntilSideTrace = """
            local s, rounds = 0, 0
            while jit_sides() == 0 and rounds < 2000 do
              for i = 1, 20000 do
                if i % 4 == 0 then s = s + i else s = s - 1 end
              end
              rounds = rounds + 1
            end

        """

    /// A hot loop whose branch goes one way 3 times in 4 gets a trace for that way; the other way
    /// exits the trace at every 4th iteration. Under sample hotness (native backend) the sampler
    /// must find that exit hot and the engine grow a side trace from it (no counter does: in this
    /// mode `hotexit` is not used). The program polls the side-trace count between rounds, so it
    /// stops soon after the first, or after a bounded number of rounds if none ever comes.
    func testSampleHotnessGrowsASideTraceFromAHotExit() throws {
        let r = runSampled(Self.biasedLoopUntilSideTrace + """
            local per = -15000
            for i = 4, 20000, 4 do per = per + i end
            assert(s == per * rounds, "computed " .. s .. ", expected " .. per * rounds)
            """)
        XCTAssertTrue(r.sampled, "the sampler did not start")
        XCTAssertEqual(r.status, 0)
        XCTAssertGreaterThan(r.engine.stats.traceEntries, 0)
        XCTAssertGreaterThan(r.heat.exitReports, 0, "no exit was reported hot")
        XCTAssertGreaterThan(r.engine.stats.exitsHotBySamples, 0, "no exit was marked hot")
        XCTAssertGreaterThan(r.engine.stats.sideTraces, 0, "no side trace: \(r.log)")
        XCTAssertTrue(r.log.contains { $0.hasPrefix("[EXIT ") && $0.contains(" hot by samples at exits:4]") }, "\(r.log)")
        XCTAssertTrue(r.log.contains { $0.contains(" (1/") }, "\(r.log)")
    }

    /// A loop that leaves its trace once and is followed by a long interpretation (no trace is
    /// entered meanwhile: recursion, with function traces off) must not grow a side trace from
    /// that exit, though every sample of that time carries it. Two rules each keep it cold: one
    /// exit event earns one credit (with `hotexitsamples` 2 it never gets hot), and an exit must
    /// also have been taken `hotexit` times (with `hotexitsamples` 1 the sampler marks it, but
    /// two takings are not ten). The loop runs once more after, so a wrong mark would show as a
    /// side trace.
    func testOneTimeLoopExitFollowedByLongInterpretationMakesNoSideTrace() throws {
        let src = """
            local s, rounds = 0, 0
            local function work(n) for i = 1, n do s = (s + i * 3) % 1000003 end end
            while jit_traces() == 0 and rounds < 2000 do work(20000) rounds = rounds + 1 end
            local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
            local f = fib(27)
            work(10)
            assert(f == 196418)
            """
        for n in [2, 1] {
            let r = runSampled(src, ["functraces=0", "hotexitsamples=\(n)", "hotexit=10"])
            XCTAssertTrue(r.sampled, "the sampler did not start")
            XCTAssertEqual(r.status, 0)
            XCTAssertGreaterThan(r.engine.stats.tracesMade, 0, "the loop got no trace")
            XCTAssertGreaterThan(r.engine.stats.exits, 0)
            // the interpretation after the exit was sampled many times over the threshold...
            XCTAssertGreaterThan(r.heat.exitWeight, 8, "too few samples after the exit")
            // ...and still made nothing hot enough for a side trace
            if n == 2 {
                XCTAssertEqual(r.heat.exitReports, 0, "\(r.log)")
                XCTAssertEqual(r.engine.stats.exitsHotBySamples, 0, "\(r.log)")
            } else {
                XCTAssertGreaterThan(r.heat.exitReports, 0, "one sampled event is hot at 1: the count must hold it back")
            }
            XCTAssertEqual(r.engine.stats.sideTraces, 0, "hotexitsamples=\(n): \(r.log)")
            XCTAssertFalse(r.log.contains { $0.contains(" (1/") }, "\(r.log)")
        }
    }

    /// `hotexitsamples=0` keeps sample hotness for loops but counts exits (`hotexit`), as before
    /// exits were sampled: no exit event is published or credited, and side traces still grow.
    func testHotExitSamplesZeroCountsExitsUnderSampleHotness() throws {
        let r = runSampled(Self.biasedLoopUntilSideTrace, ["hotexitsamples=0", "hotexit=5"])
        XCTAssertTrue(r.sampled, "the sampler did not start")
        XCTAssertEqual(r.status, 0)
        XCTAssertGreaterThan(r.engine.stats.sideTraces, 0, "\(r.log)")
        XCTAssertEqual(r.engine.stats.exitsHotBySamples, 0)
        XCTAssertEqual(r.heat.exitEvents, 0)
        XCTAssertEqual(r.heat.exitWeight, 0)
        XCTAssertEqual(r.engine.exitSeq, 0)
        var p = JITParams()
        XCTAssertThrowsError(try p.set("hotexitsamples=-1"))
        XCTAssertNoThrow(try p.set("hotexitsamples=3"))
        XCTAssertEqual(p.hotexitsamples, 3)
    }
}
