import CSampler
import CVM
import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import Profiler

/// Collects flame graph frames from the SVG with a real XML parser.
final class SVGFrames: NSObject, XMLParserDelegate {
    struct F { var label: String; var kind: String; var width: Int; var depth: Int; var fill = ""; var title = "" }
    var frames: [F] = []
    var inTitle = false
    var hasScript = false
    var root = ""

    func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?,
                attributes a: [String: String] = [:]) {
        if root.isEmpty { root = e }
        if e == "script" { hasScript = true }
        if e == "g", a["class"] == "f" {
            frames.append(F(label: a["data-n"] ?? "", kind: a["data-k"] ?? "", width: Int(a["data-w"] ?? "") ?? -1,
                            depth: Int(a["data-d"] ?? "") ?? -1))
        }
        if e == "rect", !frames.isEmpty, frames[frames.count - 1].fill.isEmpty { frames[frames.count - 1].fill = a["fill"] ?? "" }
        if e == "title" { inTitle = true }
    }
    func parser(_ p: XMLParser, foundCharacters s: String) { if inTitle, !frames.isEmpty { frames[frames.count - 1].title += s } }
    func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) { if e == "title" { inTitle = false } }

    static func parse(_ svg: String) -> SVGFrames? {
        let d = SVGFrames()
        let p = XMLParser(data: Data(svg.utf8))
        p.delegate = d
        return p.parse() ? d : nil
    }
}

func rgb(_ s: String) -> (Int, Int, Int)? {
    guard s.hasPrefix("rgb("), s.hasSuffix(")") else { return nil }
    let v = s.dropFirst(4).dropLast().split(separator: ",").compactMap { Int($0) }
    return v.count == 3 ? (v[0], v[1], v[2]) : nil
}

final class ExportTests: XCTestCase {
    func testFoldedRoundTrip() throws {
        let text = FoldedStacks.render(Fixture.profile())
        XCTAssertTrue(text.contains("main chunk (prog.lua);work (prog.lua:3);hot (prog.lua:10) 60\n"), text)
        XCTAssertTrue(text.contains("main chunk (prog.lua);hot (prog.lua:10)_[j] 10\n"))
        XCTAssertTrue(text.contains("main chunk (prog.lua);work (prog.lua:3);[gc] 5\n"))
        let back = try FoldedStacks.profile(fromFolded: text)
        XCTAssertEqual(FoldedStacks.render(back), text)
        XCTAssertEqual(back.totalWeight, 110)
        let kinds = Set(back.stacks.flatMap { $0.frames.map(\.kind) })
        XCTAssertEqual(kinds, [.lua, .jit, .gc])
        XCTAssertEqual(back.stateWeights[.gc], 5)
        XCTAssertThrowsError(try FoldedStacks.parse("a;b c\n"))
        XCTAssertThrowsError(try FoldedStacks.parse("a;b 1.5\n"))
        XCTAssertEqual(try FoldedStacks.parse("\n a 0\n").count, 1)
        XCTAssertEqual(FoldedStacks.frame(fromLabel: "swift_retain").kind, .native)
        XCTAssertEqual(FoldedStacks.sanitize("a;b\nc"), "a:b c")
    }

    func testFlameGraphIsWellFormedXMLWithTheExpectedFrames() throws {
        let svg = FlameGraphSVG().render(Fixture.profile())
        let d = try XCTUnwrap(SVGFrames.parse(svg))
        XCTAssertEqual(d.root, "svg")
        XCTAssertTrue(d.hasScript)
        for fn in ["tjZoom", "tjReset", "tjSearch", "onmouseover"] { XCTAssertTrue(svg.contains(fn), fn) }
        let all = try XCTUnwrap(d.frames.first { $0.depth == 0 })
        XCTAssertEqual(all.label, "[all]")
        XCTAssertEqual(all.width, 110)
        let hot = d.frames.filter { $0.label == "hot (prog.lua:10)" }
        XCTAssertEqual(hot.map(\.width), [60])
        XCTAssertEqual(hot.first?.depth, 3)
        XCTAssertTrue(hot.first?.title.contains("60 samples") ?? false)
        let byKind = Dictionary(grouping: d.frames, by: \.kind)
        XCTAssertEqual(byKind["jit"]?.count, 1)
        XCTAssertEqual(byKind["gc"]?.count, 1)
        // colors by kind: Lua green, JIT aqua (blue highest), GC purple
        let lua = try XCTUnwrap(rgb(hot[0].fill)); XCTAssertTrue(lua.1 > lua.0 && lua.1 > lua.2)
        let jit = try XCTUnwrap(rgb(byKind["jit"]![0].fill)); XCTAssertTrue(jit.2 > jit.0)
        let gc = try XCTUnwrap(rgb(byKind["gc"]![0].fill)); XCTAssertTrue(gc.2 > gc.1 && gc.0 > gc.1)
        // names with XML metacharacters are escaped
        let odd = Profile(stacks: [WeightedStack(frames: [ProfileFrame(kind: .native, name: "a<b>&\"c'")], weight: 1)])
        XCTAssertEqual(SVGFrames.parse(FlameGraphSVG().render(odd))?.frames.last?.label, "a<b>&\"c'")
    }

    func testDifferentialFlameGraphColors() throws {
        let before = "main;grow 10\nmain;shrink 80\nmain;same 10\n"
        let after = "main;grow 50\nmain;shrink 40\nmain;same 10\nmain;new 0\n"
        let svg = try differentialFlameGraph(beforeFolded: before, afterFolded: after)
        let d = try XCTUnwrap(SVGFrames.parse(svg))
        func fill(_ l: String) throws -> (Int, Int, Int) { try XCTUnwrap(rgb(try XCTUnwrap(d.frames.first { $0.label == l }).fill)) }
        let g = try fill("grow"), s = try fill("shrink"), same = try fill("same")
        XCTAssertEqual(g.0, 255); XCTAssertLessThan(g.1, 100)   // red: grew 10% -> 50%
        XCTAssertEqual(s.2, 255); XCTAssertLessThan(s.0, 100)   // blue: shrank 80% -> 40%
        XCTAssertEqual(same.0, 250); XCTAssertEqual(same.2, 250) // unchanged: white
        XCTAssertEqual(d.frames.first { $0.label == "grow" }?.width, 50)  // after's shape
        XCTAssertTrue(d.frames.first { $0.label == "grow" }!.title.contains("before 10"))
        XCTAssertThrowsError(try differentialFlameGraph(beforeFolded: "x", afterFolded: after))
    }

    func testSpeedscopeDecodesRootFirst() throws {
        let data = try Speedscope.render(Fixture.profile())
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"https://www.speedscope.app/"))
        let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        XCTAssertEqual(obj?["$schema"] as? String, "https://www.speedscope.app/file-format-schema.json")
        let file = try JSONDecoder().decode(Speedscope.File.self, from: data)
        let prof = try XCTUnwrap(file.profiles.first)
        XCTAssertEqual(prof.type, "sampled")
        XCTAssertEqual(prof.samples.count, prof.weights.count)
        XCTAssertEqual(prof.weights.reduce(0, +), 110, accuracy: 1e-9)  // ms at 1 ms per period
        XCTAssertEqual(prof.endValue, 110, accuracy: 1e-9)
        let names = prof.samples.map { $0.map { file.shared.frames[$0].name } }
        XCTAssertTrue(names.contains(["main chunk (prog.lua)", "work (prog.lua:3)", "hot (prog.lua:10)"]))
        XCTAssertEqual(file.shared.frames.first { $0.name == "work (prog.lua:3)" }?.line, 3)
        XCTAssertEqual(Set(file.shared.frames.map(\.name)).count, file.shared.frames.count)
    }

    func testPprofDecodes() throws {
        let gz = try Pprof.render(Fixture.profile())
        XCTAssertEqual(Array(gz.prefix(2)), [0x1F, 0x8B])
        let d = try Pprof.decode(gzipped: gz)
        XCTAssertEqual(d.sampleTypes.map(\.type), ["samples", "cpu"])
        XCTAssertEqual(d.sampleTypes.map(\.unit), ["count", "nanoseconds"])
        XCTAssertEqual(d.period, 1_000_000)
        XCTAssertEqual(d.periodType.type, "cpu")
        XCTAssertEqual(d.durationNanos, 120_000_000)
        XCTAssertEqual(d.samples.reduce(0) { $0 + $1.values[0] }, 110)
        XCTAssertEqual(d.samples.reduce(0) { $0 + $1.values[1] }, 110_000_000)
        let i = try XCTUnwrap(d.samples.firstIndex { $0.values[0] == 40 })
        XCTAssertEqual(d.samples[i].stack, ["hot (prog.lua:10)", "work (prog.lua:3)", "main chunk (prog.lua)"])  // leaf first
        XCTAssertEqual(d.sampleLines[i], [12, 5, 1])
        XCTAssertThrowsError(try Pprof.decode([0x0A, 0x05, 0x01]))  // truncated
        XCTAssertThrowsError(try Pprof.decode(gzipped: Data([1, 2, 3])))
    }

    func testGzipRoundTrip() throws {
        let bytes = (0..<10000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) }
        XCTAssertEqual(Array(try gunzip(try gzip(bytes))), bytes)
        XCTAssertEqual(Array(try gunzip(try gzip([]))), [])
    }

    func testTextReportLayoutAt100Columns() {
        var p = Fixture.profile()
        let long = ProfileFrame(kind: .native, name: "Runtime.Interpreter.execute(closure: Runtime.Closure, arguments: Swift.UnsafeMutableBufferPointer<Swift.UInt64>) throws -> Swift.Int",
                                file: "/work/tracejit/Sources/Runtime/Interpreter/Interpreter.swift", line: 120)
        p.stacks.append(WeightedStack(frames: [Fixture.main, long], weight: 3, state: .library))
        let text = TextReport(width: 100, color: false).render(p)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for l in lines { XCTAssertLessThanOrEqual(l.count, 100, String(l)) }
        XCTAssertFalse(text.contains("\u{1B}["))
        for section in ["VM state", "Top functions by self time", "Top functions by total time", "Top source lines"] {
            XCTAssertTrue(text.contains(section), section)
        }
        XCTAssertTrue(text.contains("105 samples (113 periods of 1 ms)"), text)
        XCTAssertTrue(text.contains("perf task-clock at 1000 Hz requested, 955 Hz achieved; 5 missed periods; 0 dropped"), text)
        // hot: 60 of 113 self
        let hotRow = lines.first { $0.contains("hot (prog.lua:10)") && !$0.contains("_[j]") }
        XCTAssertNotNil(hotRow)
        XCTAssertTrue(hotRow!.hasPrefix("   53.1%   53.1%        60  hot (prog.lua:10)"), String(hotRow!))
        XCTAssertTrue(text.contains("prog.lua:12"))
        XCTAssertTrue(text.contains("…"))  // the long Swift name was shortened, not wrapped
        let interp = lines.first { $0.hasPrefix("  interpreted") }
        XCTAssertTrue(interp?.contains("   95   84.1%") ?? false, String(interp ?? ""))
        var costly = p
        costly.handlerSeconds = 0.000_21
        XCTAssertTrue(TextReport().render(costly).contains("sampler cost: 2.0 µs per sample in the handler (0.19% of CPU)"))
        let colored = TextReport(width: 100, color: true).render(p)
        XCTAssertTrue(colored.contains("\u{1B}[1m"))
        let dropped = Profile(stacks: p.stacks, dropped: 4, droppedWeight: 4)
        XCTAssertTrue(TextReport().render(dropped).contains("warning: 4 samples"))
    }

    func testProfileSessionWritesEveryExport() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tj-prof-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var o = ProfileOptions()
        o.reportPath = dir.appendingPathComponent("report.txt").path
        o.flamegraphPath = dir.appendingPathComponent("f.svg").path
        o.foldedPath = dir.appendingPathComponent("f.folded").path
        o.speedscopePath = dir.appendingPathComponent("f.json").path
        o.pprofPath = dir.appendingPathComponent("f.pb.gz").path
        let vm = FakeVM()
        vm.setStack([(2, 4)])
        let session = ProfileSession(options: o, frameLayout: FakeVM.layout, vmState: vm.state)
        try session.start()
        let t0 = tj_thread_cpu_ns()
        while tj_thread_cpu_ns() - t0 < 100_000_000 { _ = tj_test_busy_loop(100_000) }
        let p = session.stop(luaNamer: FakeLuaNamer())
        XCTAssertGreaterThan(p.sampleCount, 0)
        XCTAssertTrue(p.stacks.allSatisfy { $0.frames.map(\.label) == ["hot (prog.lua:10)"] })
        try session.writeOutputs(p)
        let report = try String(contentsOf: dir.appendingPathComponent("report.txt"), encoding: .utf8)
        XCTAssertTrue(report.contains("hot (prog.lua:10)"))
        XCTAssertEqual(try FoldedStacks.parse(String(contentsOf: dir.appendingPathComponent("f.folded"), encoding: .utf8)).first?.frames,
                       ["hot (prog.lua:10)"])
        XCTAssertNotNil(SVGFrames.parse(try String(contentsOf: dir.appendingPathComponent("f.svg"), encoding: .utf8)))
        XCTAssertNoThrow(try JSONDecoder().decode(Speedscope.File.self, from: Data(contentsOf: dir.appendingPathComponent("f.json"))))
        XCTAssertEqual(try Pprof.decode(gzipped: Data(contentsOf: dir.appendingPathComponent("f.pb.gz"))).samples.first?.stack,
                       ["hot (prog.lua:10)"])
    }
}
