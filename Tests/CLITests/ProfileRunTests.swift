// `tracejit run --profile` end to end through the built binary and the real interpreter:
// attribution, hot lines, every export written and parsed back, the program's own output unchanged
// by sampling (GC-, coroutine-, recursion- and error-heavy programs at 4 kHz), `flamegraph diff`.
// Nothing here asserts on time; programs that must run "long enough" time themselves with os.clock.
import Foundation
import Profiler
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

final class ProfileRunTests: XCTestCase {
    var dir = ""
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "tracejit-prof-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
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

    func read(_ path: String) throws -> String {
        try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    /// Runs the built binary; returns (exit code, stdout, stderr).
    func run(_ args: [String]) throws -> (Int32, String, String) {
        let exe = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent().appendingPathComponent("tracejit")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw XCTSkip("tracejit binary not built at \(exe.path)")
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        let outPath = dir + "/stdout-\(UInt32.random(in: 0...UInt32.max))", errPath = outPath + ".err"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, try read(outPath), try read(errPath))
    }

    /// Two functions doing the same loop 3:1, repeated for `seconds` of CPU time.
    func threeToOneProgram(seconds: Double) -> String {
        """
        local function heavy(n)
          local s = 0
          for i = 1, n do s = s + i % 7 end
          return s
        end
        local function light(n)
          local s = 0
          for i = 1, n do s = s + i % 7 end
          return s
        end
        local t0, rounds, acc = os.clock(), 0, 0
        repeat
          acc = acc + heavy(30000) + light(10000)
          rounds = rounds + 1
        until os.clock() - t0 >= \(seconds)
        print("done", acc > 0)
        """
    }

    /// Share (percent) of the folded stacks' weight whose stacks contain a frame named `name`.
    func share(_ folded: [(frames: [String], count: Int)], _ name: String) -> Double {
        let total = folded.reduce(0) { $0 + $1.count }
        let hit = folded.filter { $0.frames.contains { FoldedStacks.frame(fromLabel: $0).name == name } }
            .reduce(0) { $0 + $1.count }
        return total == 0 ? 0 : 100 * Double(hit) / Double(total)
    }

    func testThreeToOneAttributionThroughTheInterpreter() throws {
        let prog = try write("attr.lua", threeToOneProgram(seconds: 0.5))
        let folded = dir + "/attr.folded"
        let (status, out, err) = try run(["run", "--interp-only", prog, "--sample-rate", "2000", "--folded", folded,
                                          "--profile-out", dir + "/attr.txt"])
        XCTAssertEqual(status, 0, err)
        XCTAssertEqual(out, "done\ttrue\n")
        let stacks = try FoldedStacks.parse(try read(folded))
        let total = stacks.reduce(0) { $0 + $1.count }
        XCTAssertGreaterThan(total, 200)
        let h = share(stacks, "heavy"), l = share(stacks, "light")
        XCTAssertEqual(h, 75, accuracy: 5, "heavy \(h)%, light \(l)%")
        XCTAssertEqual(l, 25, accuracy: 5, "heavy \(h)%, light \(l)%")
        // Nearly every sample is under the main chunk (the rest: compiling it, "[outside Lua]").
        XCTAssertGreaterThan(share(stacks, "main chunk"), 95)
        XCTAssertTrue(stacks.contains { $0.frames.first?.hasPrefix("main chunk (") == true && $0.frames.first?.hasSuffix("attr.lua)") == true },
                      "\(stacks.prefix(3))")
    }

    /// A coroutine's samples stand on the stack that resumed it, with a "[coroutine]" frame
    /// between: resumed in the interpreter loop (coroutine.resume from Lua), through a wrap
    /// function, and nested (pcall(coroutine.resume, co) resumes from Swift), interpreted and JIT.
    func testCoroutineSamplesStandOnTheirResumersStack() throws {
        let prog = try write("co.lua", """
            local function workA(n) local s = 0 for i = 1, n do s = s + i % 7 end return s end
            local function workB(n) local s = 0 for i = 1, n do s = s + i % 5 end return s end
            local function workC(n) local s = 0 for i = 1, n do s = s + i % 3 end return s end
            local coA = coroutine.create(function() while true do coroutine.yield(workA(20000)) end end)
            local genB = coroutine.wrap(function() while true do coroutine.yield(workB(20000)) end end)
            local coC = coroutine.create(function() while true do coroutine.yield(workC(20000)) end end)
            local function consumerA() local _, v = coroutine.resume(coA) return v end
            local function consumerB() return genB() end
            local function consumerC() local _, _, v = pcall(coroutine.resume, coC) return v end
            local t0, sum = os.clock(), 0
            repeat sum = sum + consumerA() + consumerB() + consumerC() until os.clock() - t0 >= 0.4
            print(sum > 0)
            """)
        for mode in [["--interp-only"], []] {
            let folded = dir + "/co.folded"
            let (status, out, err) = try run(["run"] + mode + [prog, "--sample-rate", "2000", "--folded", folded,
                                                               "--profile-out", dir + "/co.txt"])
            XCTAssertEqual(status, 0, err)
            XCTAssertEqual(out, "true\n")
            let stacks = try FoldedStacks.parse(try read(folded))
            for w in ["A", "B", "C"] {
                let mine = stacks.filter { $0.frames.contains { $0.hasPrefix("work\(w) ") } }
                XCTAssertGreaterThan(mine.reduce(0) { $0 + $1.count }, 50, "\(mode) work\(w)")
                for st in mine {
                    let f = st.frames
                    let consumer = f.firstIndex { $0.hasPrefix("consumer\(w) ") }
                    let boundary = f.lastIndex(of: "[coroutine]")
                    let work = f.firstIndex { $0.hasPrefix("work\(w) ") }
                    XCTAssertTrue(f.first?.hasPrefix("main chunk (") == true, "\(mode) \(f)")
                    XCTAssertTrue(consumer != nil && boundary != nil && work != nil && consumer! < boundary! && boundary! < work!,
                                  "\(mode) \(f)")
                }
            }
        }
    }

    func testReportNamesTheHotFunctionAndLineOnStderrWithoutChangingStdout() throws {
        let prog = try write("hot.lua", """
            local function cold() return 1 end
            local function hot(n)
              local s = 0
              for i = 1, n do
                s = s + (i * 0.5) % 3
              end
              return s
            end
            local t0 = os.clock()
            repeat hot(20000); cold() until os.clock() - t0 >= 0.3
            print("ok")
            """)
        let plain = try run(["run", prog])
        let (status, out, err) = try run(["run", "--profile", "--sample-rate", "2000", prog])
        XCTAssertEqual(status, 0, err)
        XCTAssertEqual(out, plain.1)
        XCTAssertEqual(out, "ok\n")
        XCTAssertTrue(err.contains("samples"), err)
        // The top function by self time is `hot`, and its loop's lines are the top source lines.
        let lines = err.split(separator: "\n").map(String.init)
        guard let selfHeader = lines.firstIndex(where: { $0.lowercased().contains("self") }),
              let firstFn = lines[(selfHeader + 1)...].first(where: { $0.contains("%") }) else {
            return XCTFail("no function table in\n\(err)")
        }
        XCTAssertTrue(firstFn.contains("hot"), firstFn + "\n" + err)
        XCTAssertTrue(err.contains("hot.lua:4") || err.contains("hot.lua:5"), err)
    }

    func testEveryExportIsWrittenAndParses() throws {
        let prog = try write("exp.lua", threeToOneProgram(seconds: 0.2))
        let svg = dir + "/f.svg", folded = dir + "/f.txt", ss = dir + "/f.json", pp = dir + "/f.pb.gz"
        let report = dir + "/report.txt"
        let (status, out, err) = try run(["run", prog, "--flamegraph", svg, "--folded", folded, "--speedscope", ss,
                                          "--pprof", pp, "--profile-out", report])
        XCTAssertEqual(status, 0, err)
        XCTAssertEqual(out, "done\ttrue\n")
        XCTAssertEqual(err, "", "the report went to --profile-out")
        XCTAssertTrue(try read(report).contains("heavy"))
        let stacks = try FoldedStacks.parse(try read(folded))
        XCTAssertFalse(stacks.isEmpty)
        let svgText = try read(svg)
        XCTAssertTrue(XMLParser(data: Data(svgText.utf8)).parse(), "SVG is not well-formed XML")
        XCTAssertTrue(svgText.contains("heavy"))
        let s = try JSONDecoder().decode(Speedscope.File.self, from: Data(contentsOf: URL(fileURLWithPath: ss)))
        XCTAssertTrue(s.shared.frames.contains { $0.name.hasPrefix("heavy (") })
        let p = try Pprof.decode(gzipped: Data(contentsOf: URL(fileURLWithPath: pp)))
        XCTAssertFalse(p.samples.isEmpty)
        XCTAssertTrue(p.samples.contains { $0.stack.first?.hasPrefix("heavy") == true }, "\(p.samples.prefix(3))")
    }

    func testMixedModeShowsNativeFramesAroundLuaFrames() throws {
        let prog = try write("mixed.lua", threeToOneProgram(seconds: 0.2))
        let folded = dir + "/m.txt"
        let (status, out, err) = try run(["run", "--profile=mixed", "--profile-out", dir + "/m.report", "--folded", folded, prog])
        XCTAssertEqual(status, 0, err)
        XCTAssertEqual(out, "done\ttrue\n")
        let stacks = try FoldedStacks.parse(try read(folded))
        let kinds = Set(stacks.flatMap { $0.frames.map { FoldedStacks.frame(fromLabel: $0).kind } })
        XCTAssertTrue(kinds.contains(.native), "\(stacks.prefix(3))")
        XCTAssertTrue(kinds.contains(.lua), "\(stacks.prefix(3))")
    }

    /// The profiled run (4 kHz, report to a file) prints exactly what the unprofiled run prints:
    /// stdout, stderr and exit status.
    func assertSameOutput(_ args: [String], mode: String = "--profile", file: StaticString = #filePath, line: UInt = #line) throws {
        let plain = try run(["run"] + args)
        let report = dir + "/stress.report"
        let profiled = try run(["run", mode, "--sample-rate", "4000", "--profile-out", report] + args)
        XCTAssertEqual(profiled.0, plain.0, "exit status of \(args)", file: file, line: line)
        XCTAssertEqual(profiled.1, plain.1, "stdout of \(args)", file: file, line: line)
        XCTAssertEqual(profiled.2, plain.2, "stderr of \(args)", file: file, line: line)
        XCTAssertTrue(try read(report).contains("samples"), file: file, line: line)
    }

    func testSamplingAt4kHzDoesNotChangeWhatProgramsPrint() throws {
        // GC-heavy, coroutine-heavy and recursive bench programs at their small sizes.
        for (name, arg) in [("binary_trees.lua", "6"), ("coroutines.lua", "2000"), ("fib.lua", "20"), ("strings.lua", "500")] {
            try assertSameOutput([root + "/bench/" + name, arg])
        }
        // The same kinds written against the base library only (the bench programs above need the
        // full standard library to get to their last line).
        let gc = try write("gc.lua", """
            local live = {}
            for i = 1, 100000 do
              local t = {i, {i}, name = "n" .. i}
              if i % 100 == 0 then live[#live + 1] = t end
            end
            print(#live, live[5][1], live[5].name)
            """)
        let coro = try write("coro.lua", """
            local function gen(n)
              return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
            end
            local s = 0
            for r = 1, 300 do for v in gen(100) do s = s + v end end
            local co = coroutine.create(function(a) while true do a = coroutine.yield(a * 2) end end)
            local x = 1
            for i = 1, 20000 do local _, y = coroutine.resume(co, i); x = x + y end
            print(s, x, coroutine.status(co))
            """)
        try assertSameOutput([gc])
        try assertSameOutput([coro])
        // Deep recursion, errors in a loop, and an uncaught error.
        let deep = try write("deep.lua", """
            local function down(n) if n == 0 then return 0 end return 1 + down(n - 1) end
            local s = 0
            for i = 1, 20 do s = s + down(15000) end
            print(s)
            """)
        let errors = try write("errors.lua", """
            local n, msg = 0, nil
            for i = 1, 20000 do
              local ok, e = pcall(function() error({code = i}) end)
              if not ok then n = n + e.code end
              ok, msg = pcall(error, "x" .. i)
            end
            print(n, msg, select('#', pcall(error)))
            local t = setmetatable({}, {__index = function(t, k) error("no field " .. k) end})
            print(pcall(function() return t.missing end))
            """)
        let failing = try write("fail.lua", """
            local function f(n) if n == 0 then local x = nil; return x.y end return f(n - 1) + 1 end
            print("before")
            f(50)
            """)
        try assertSameOutput([deep])
        try assertSameOutput([errors])
        try assertSameOutput([failing])
        let conf = root + "/Tests/conformance/"
        for p in ["coro/deep_stack.lua", "coro/gc_coroutines.lua", "coro/yield_across_pcall.lua",
                  "errors/error_in_iterators.lua", "errors/call_errors.lua"] {
            try assertSameOutput([conf + p])
        }
        // Mixed mode walks native stacks with libunwind in the handler: same guarantee.
        try assertSameOutput([root + "/bench/coroutines.lua", "2000"], mode: "--profile=mixed")
        try assertSameOutput([errors], mode: "--profile=mixed")
    }

    func testUnwritableOutputIsReportedAfterTheRun() throws {
        let (status, out, err) = try run(["run", "-e", "print(1)", "--folded", dir + "/no/such/dir/f.txt"])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(out, "1\n")
        XCTAssertEqual(err, "tracejit: profile: cannot write \(dir)/no/such/dir/f.txt: No such file or directory\n")
        // os.exit's status survives profiling, and the report is still written.
        let report = dir + "/exit.txt"
        let r = try run(["run", "-e", "print(2) os.exit(3)", "--profile-out", report])
        XCTAssertEqual(r.0, 3)
        XCTAssertEqual(r.1, "2\n")
        XCTAssertTrue(try read(report).contains("samples"))
    }

    func testFlamegraphDiffWritesAValidSVG() throws {
        let before = try write("before.folded", "main chunk (p.lua:0);f (p.lua:3) 30\nmain chunk (p.lua:0);g (p.lua:7) 10\n")
        let after = try write("after.folded", "main chunk (p.lua:0);f (p.lua:3) 10\nmain chunk (p.lua:0);g (p.lua:7) 30\n")
        let out = dir + "/diff.svg"
        let (status, _, err) = try run(["flamegraph", "diff", before, after, "-o", out])
        XCTAssertEqual(status, 0, err)
        let svg = try read(out)
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse(), "diff SVG is not well-formed XML")
        XCTAssertTrue(svg.contains("g (p.lua:7)"))
        // A missing input and a malformed one are reported, not crashed on.
        let bad = try write("bad.folded", "no count here\n")
        let r1 = try run(["flamegraph", "diff", dir + "/missing.folded", after, "-o", out])
        XCTAssertEqual(r1.0, 1)
        XCTAssertTrue(r1.2.contains("cannot open"), r1.2)
        let r2 = try run(["flamegraph", "diff", bad, after, "-o", out])
        XCTAssertEqual(r2.0, 1)
        XCTAssertTrue(r2.2.contains("bad folded stacks"), r2.2)
    }
}
