// The profiler and perf in JIT code: native traces registered with their code ranges and
// code offset -> bytecode position tables (flushes unregister), `--perf-map`, and `run --profile`
// attributing samples in traces to the Lua lines they came from. In-process through the engine,
// and end to end through the built binary. Nothing asserts on time; the programs time themselves.
import CVM
import Foundation
import JIT
import Profiler
import Runtime
import XCTest
@testable import TracejitCLI

final class JITProfileTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "tracejit-jitprof-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs the built binary; returns (pid, exit code, stdout, stderr).
    func run(_ args: [String]) throws -> (Int32, Int32, String, String) {
        let r = try TracejitBinary.run(args, directory: dir)
        return (r.pid, r.status, r.stdout, r.stderr)
    }

    /// Parses perf map lines `START SIZE name` (hex, no prefix); fails the test on a bad line.
    func parsePerfMap(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [(start: UInt64, size: Int, name: String)] {
        var out: [(UInt64, Int, String)] = []
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) where !l.isEmpty {
            let parts = l.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, let s = UInt64(parts[0], radix: 16), let n = Int(parts[1], radix: 16), n > 0 else {
                XCTFail("bad perf map line '\(l)'", file: file, line: line)
                continue
            }
            out.append((s, n, parts[2]))
        }
        XCTAssertTrue(text.isEmpty || text.hasSuffix("\n"), "perf map must end with a newline", file: file, line: line)
        return out
    }

    /// `at` is inlined into the inner loop's trace; its table load has guards, so the trace has
    /// snapshots (and code regions) inside the inlined frame.
    static let inlineProgram = """
        local function at(t, i) return t[i] end
        local t = {}
        for i = 1, 100 do t[i] = i * 2 end
        local s = 0
        for r = 1, 50 do
          for i = 1, 100 do
            s = s + at(t, i)
          end
        end
        print(s)
        """
    static let inlineOutput = "505000\n"

    // MARK: in-process: the code map

    func testNativeTracesAreRegisteredWithPositionTablesAndFlushesUnregister() throws {
        var o = VMOptions()
        o.captureOutput = true
        let vm = LuaVM(options: o)
        vm.heap.recordPrototypes()
        var params = JITParams()
        params.hotness = .eager
        params.backend = .native
        let engine = JITEngine(vm: vm, params: params)
        engine.nativeCompiler = NativeBackend(budgetKB: params.maxmcode)
        let mapPath = dir + "/perf-test.map"
        let writer = try XCTUnwrap(PerfMapWriter(path: mapPath))
        engine.codeMap.addListener { writer.write($0) }
        engine.attach()
        defer { engine.detach() }
        let status = vm.runMainChunk(bytes: Array(JITProfileTests.inlineProgram.utf8), chunkName: "@inline.lua")
        XCTAssertEqual(status, 0)
        XCTAssertEqual(vm.capturedOutput, JITProfileTests.inlineOutput)
        XCTAssertGreaterThan(engine.stats.traceEntries, 0, "the JIT did not run")

        let compiled = engine.liveTraces.filter { $0.code != nil }
        let installed = engine.codeMap.installed
        XCTAssertFalse(compiled.isEmpty, "no trace was compiled to machine code")
        XCTAssertEqual(Set(installed.map(\.trace)), Set(compiled.map(\.id)))
        XCTAssertEqual(installed.count, compiled.count)
        let protos = vm.heap.prototypesByID
        func line(_ p: InstalledTraceCode.Position) -> Int? {
            guard let proto = protos[p.proto], Int(p.pc) < proto.code.count else { return nil }
            return proto.line(at: Int(p.pc))
        }
        for c in installed {
            XCTAssertTrue(c.location.hasPrefix("inline.lua:"), c.location)
            XCTAssertEqual(c.regions.first?.offset, 0)
            XCTAssertTrue(zip(c.regions, c.regions.dropFirst()).allSatisfy { $0.offset < $1.offset && $0.frames != $1.frames })
            for r in c.regions {
                XCTAssertLessThan(r.offset, c.size)
                XCTAssertFalse(r.frames.isEmpty)
                for p in r.frames {
                    let l = line(p)
                    XCTAssertNotNil(l, "position \(p) of trace \(c.trace) is not a pc of a known prototype")
                    XCTAssertTrue((1...10).contains(l ?? 0), "trace \(c.trace) maps code to line \(l ?? 0)")
                }
                // every region is found by address, in the current generation
                let hit = engine.codeMap.lookup(c.address + UInt64(r.offset))
                XCTAssertEqual(hit?.code.trace, c.trace)
                XCTAssertEqual(hit?.frames, r.frames)
            }
            XCTAssertEqual(engine.codeMap.lookup(c.address + UInt64(c.size) - 1)?.code.trace, c.trace)
        }
        // the inner loop's trace inlines `at`: the code of `t[i]` is at's line 1, called from the
        // main chunk's line 7
        let regions = installed.flatMap(\.regions)
        XCTAssertTrue(regions.contains { r in r.frames.count == 2 && line(r.frames[0]) == 7 && line(r.frames[1]) == 1 },
                      "no region inside the inlined call: \(regions.map { $0.frames.map(line) })")
        // and the loops' own code is charged to their lines (6: the inner FORLOOP, 7: the body)
        XCTAssertTrue(regions.contains { r in r.frames.count == 1 && line(r.frames[0]) == 7 })
        XCTAssertTrue(regions.contains { r in r.frames.count == 1 && line(r.frames[0]) == 6 })

        // the perf map has exactly the installed code
        let mapText = try String(contentsOfFile: mapPath, encoding: .utf8)
        let entries = parsePerfMap(mapText)
        XCTAssertEqual(entries.count, installed.count)
        for c in installed {
            XCTAssertTrue(entries.contains { $0.start == c.address && $0.size == c.size && $0.name == "tracejit:trace \(c.trace) \(c.location)" },
                          "trace \(c.trace) at \(String(c.address, radix: 16)) missing from:\n\(mapText)")
        }

        // a flush unregisters: a new generation starts empty; the old one still names old samples
        let old = engine.codeMap.epoch
        let first = installed[0]
        engine.flush(reason: "test")
        XCTAssertNotEqual(engine.codeMap.epoch, old)
        XCTAssertTrue(engine.codeMap.installed.isEmpty)
        XCTAssertNil(engine.codeMap.lookup(first.address))
        XCTAssertEqual(engine.codeMap.lookup(first.address, epoch: old)?.code.trace, first.trace)
        let registry = TraceCodeRegistry(map: engine.codeMap)
        XCTAssertNil(registry.location(of: first.address, epoch: engine.codeMap.epoch))
        XCTAssertEqual(registry.location(of: first.address, epoch: old)?.trace, first.trace)
        XCTAssertEqual(try String(contentsOfFile: mapPath, encoding: .utf8), mapText, "a flush writes nothing")
    }

    /// A library function called from native trace code that calls back into Lua (table.sort's
    /// comparator runs in the interpreter, which publishes "interpreting"): when it returns, the
    /// trace runs on, and the VM state says "in trace N" again.
    func testTheTraceStateIsPublishedAgainAfterACallbackIntoLua() throws {
        var o = VMOptions()
        o.captureOutput = true
        let vm = LuaVM(options: o)
        var params = JITParams()
        params.hotness = .eager
        params.backend = .native
        let engine = JITEngine(vm: vm, params: params)
        engine.nativeCompiler = NativeBackend(budgetKB: params.maxmcode)
        var log = ""
        engine.log = { log += $0 + "\n" }
        var seen: [(tag: UInt32, trace: UInt32)] = []
        // The probe must be a library function the recorder calls through CALLN (not inlined as
        // IR); those are named from the library tables when the engine attaches, so the probe takes
        // the place of math.random.
        vm.registerLibrary("math", [("random", { _, a in
            seen.append((tj_vm_state.tag, tj_vm_state.trace))
            a.base[0] = Value(1.0)
            return 1
        })])
        engine.attach()
        defer { engine.detach() }
        let src = """
            local t = {}
            local calls = 0
            local function cmp(a, b) calls = calls + 1; return a > b end
            for i = 1, 300 do
              table.sort(t, cmp)    -- no comparator call in the recorded iteration (one element)
              table.insert(t, i)
              local one = math.random()   -- the probe
            end
            print(calls > 0, t[1])
            """
        XCTAssertEqual(vm.runMainChunk(bytes: Array(src.utf8), chunkName: "=cb"), 0, vm.capturedOutput)
        XCTAssertEqual(vm.capturedOutput, "true\t299\n")
        let native = engine.liveTraces.filter { $0.code != nil }
        guard !native.isEmpty, engine.stats.traceEntries > 0 else {
            throw XCTSkip("the loop was not compiled to machine code here: \(engine.stats)\n\(log)")
        }
        let inTrace = seen.filter { $0.tag == UInt32(TJ_VMSTATE_TRACE) }
        XCTAssertGreaterThan(inTrace.count, 100, "probe saw states \(Set(seen.map(\.tag))):\n\(log)")
        XCTAssertTrue(inTrace.allSatisfy { t in native.contains { $0.id == Int(t.trace) } })
        // after the loop the interpreter runs again (the last probes ran in the trace)
        XCTAssertEqual(seen.last?.tag, UInt32(TJ_VMSTATE_TRACE))
    }

    func testPerfMapOptionParsing() throws {
        var o = RunOptions()
        try o.absorb(["prog.lua", "--perf-map"])
        XCTAssertTrue(o.jit.perfMap)
        XCTAssertTrue(o.jit.enabled, "the JIT is on by default")
        var bad = RunOptions()
        XCTAssertThrowsError(try bad.absorb(["--perf-map=/tmp/x.map", "prog.lua"]))
        var none = RunOptions()
        try none.absorb(["prog.lua"])
        XCTAssertFalse(none.jit.perfMap)
    }

    func testPerfMapLineFormat() {
        let c = InstalledTraceCode(trace: 12, epoch: 1, address: 0x7f00_1234_5670, size: 0x1a0, location: "prog.lua:7",
                                   regions: [])
        XCTAssertEqual(PerfMapWriter.line(for: c), "7f0012345670 1a0 tracejit:trace 12 prog.lua:7\n")
    }

    // MARK: end to end

    func testPerfMapOptionWritesOneParsableLinePerNativeTrace() throws {
        let prog = try write("inline.lua", JITProfileTests.inlineProgram)
        let (pid, st, out, err) = try run(["run", "--jit-eager", "--jit-backend=native", "--jit-log", "--perf-map", prog])
        let mapPath = "/tmp/perf-\(pid).map"
        defer { try? FileManager.default.removeItem(atPath: mapPath) }
        XCTAssertEqual(st, 0, err)
        XCTAssertEqual(out, JITProfileTests.inlineOutput)
        let text = try String(contentsOfFile: mapPath, encoding: .utf8)
        let entries = parsePerfMap(text)
        // one line per trace the log reports, minus those the native backend refused
        let made = err.split(separator: "\n").filter {
            $0.range(of: #"^\[TRACE +\d+ "#, options: .regularExpression) != nil && !$0.contains("native backend:")
        }
        let refused = err.split(separator: "\n").filter { $0.contains("native backend:") }
        XCTAssertGreaterThan(made.count, 0, err)
        XCTAssertEqual(entries.count, made.count - refused.count, "map:\n\(text)\nlog:\n\(err)")
        for e in entries {
            XCTAssertNotNil(e.name.range(of: #"^tracejit:trace \d+ inline\.lua:\d+$"#, options: .regularExpression), e.name)
        }
        // code ranges do not overlap
        let sorted = entries.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) { XCTAssertLessThanOrEqual(a.start + UInt64(a.size), b.start) }
    }

    /// A hot loop run with the native backend under the profiler: most samples are in JIT code,
    /// attributed to the loop's lines, and marked as trace samples.
    func testProfileAttributesJITSamplesToTheLoopsSourceLines() throws {
        let prog = try write("hot.lua", """
            local function work(n)
              local s = 0
              for i = 1, n do
                s = s + (i % 7) * 0.5
              end
              return s
            end
            local t0, acc = os.clock(), 0
            repeat
              acc = acc + work(100000)
            until os.clock() - t0 >= 0.4
            print(acc > 0)
            """)
        let report = dir + "/report.txt", folded = dir + "/out.folded"
        let (_, st, out, err) = try run(["run", "--jit-eager", "--jit-backend=native", "--profile", "--sample-rate", "2000",
                                         "--profile-out", report, "--folded", folded, prog])
        XCTAssertEqual(st, 0, err)
        XCTAssertEqual(out, "true\n")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertTrue(text.contains("JIT code by trace"), text)

        // the VM state line: most weight in JIT code
        let jitShare = text.split(separator: "\n").first { $0.hasPrefix("  JIT code ") }
            .flatMap { l in l.split(separator: " ").first { $0.hasSuffix("%") } }
            .flatMap { Double($0.dropLast()) } ?? 0
        XCTAssertGreaterThan(jitShare, 50, text)

        // top source lines: the loop's lines (3: FORLOOP, 4: the body), charged to `work [trace N]`
        var loopJIT = 0.0
        var inLines = false
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if l.hasPrefix("Top source lines") { inLines = true; continue }
            guard inLines, let pctEnd = l.firstIndex(of: "%"), let v = Double(l[..<pctEnd].trimmingCharacters(in: .whitespaces)) else { continue }
            if (l.contains("hot.lua:3 ") || l.contains("hot.lua:4 ")) && l.range(of: #"work \[trace \d+\]"#, options: .regularExpression) != nil {
                loopJIT += v
            }
        }
        XCTAssertGreaterThan(loopJIT, 50, "the loop's lines in trace code got \(loopJIT)%:\n\(text)")
        // the heaviest trace is the loop's, its heaviest part one of the loop's lines (machine code,
        // not the trace's entry/exit handling)
        let lines = text.split(separator: "\n").map(String.init)
        if let h = lines.firstIndex(where: { $0.hasPrefix("JIT code by trace") }), h + 2 < lines.count {
            let top = lines[h + 2]
            XCTAssertTrue(top.contains("work ("), top)
            let firstPart = (top.components(separatedBy: ")  ").last ?? "").trimmingCharacters(in: .whitespaces)
            XCTAssertTrue(firstPart.hasPrefix("hot.lua:3 ") || firstPart.hasPrefix("hot.lua:4 "), top)
        } else {
            XCTFail("no trace rows:\n\(text)")
        }

        // folded stacks: JIT leaves carry the trace and flamegraph.pl's JIT suffix
        let stacks = try FoldedStacks.profile(fromFolded: String(contentsOfFile: folded, encoding: .utf8))
        let total = stacks.totalWeight
        let jit = stacks.stacks.filter { $0.frames.last?.kind == .jit }
        let jitWeight = jit.reduce(0) { $0 + $1.weight }
        XCTAssertGreaterThan(Double(jitWeight), 0.5 * Double(total))
        for s in jit {
            XCTAssertNotNil(s.frames.last?.name.range(of: #"^(work|main chunk) \[trace \d+\]$"#, options: .regularExpression),
                            "\(s.frames.map(\.label))")
        }
    }

    /// Linux perf, when installed and permitted, names samples in trace code from the map.
    func testPerfReportNamesTracesFromTheMap() throws {
        let perf = ["/usr/bin/perf", "/usr/local/bin/perf"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let perf else { throw XCTSkip("perf is not installed") }
        let exe = try TracejitBinary.url().path
        let prog = try write("loop.lua", """
            local t0, s = os.clock(), 0
            repeat
              for i = 1, 100000 do s = s + i % 3 end
            until os.clock() - t0 >= 0.3
            print(s > 0)
            """)
        func sh(_ args: [String]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: perf)
            p.arguments = args
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let o = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: o, as: UTF8.self))
        }
        let data = dir + "/perf.data"
        let (rs, _) = try sh(["record", "-q", "-o", data, "-e", "cpu-clock", "--", exe, "run", "--jit-eager",
                              "--jit-backend=native", "--perf-map", prog])
        guard rs == 0 else { throw XCTSkip("perf record failed (status \(rs)): perf events not permitted here?") }
        defer {   // the maps of the profiled process (perf reads them at report time)
            if let (_, pids) = try? sh(["report", "-i", data, "--stdio", "--sort", "pid"]) {
                for m in pids.split(separator: "\n") {
                    if let r = m.range(of: #"\d+(?=:tracejit)"#, options: .regularExpression) {
                        try? FileManager.default.removeItem(atPath: "/tmp/perf-\(m[r]).map")
                    }
                }
            }
        }
        let (st, report) = try sh(["report", "-i", data, "--stdio", "--no-children", "--sort", "sym"])
        XCTAssertEqual(st, 0)
        // the hottest symbol is the loop's trace, named as the map names it
        let first = report.split(separator: "\n").first { !$0.hasPrefix("#") && $0.contains("%") }.map(String.init) ?? ""
        XCTAssertNotNil(first.range(of: #"tracejit:trace \d+ loop\.lua:3"#, options: .regularExpression), report)
    }
}
