import CSampler
import CVM
import Foundation
import XCTest

@testable import Profiler

/// Writes a real mixed-mode profile in every format to $TJ_PROFILER_DUMP (when set) so external
/// consumers (go tool pprof, xmllint, speedscope) can be pointed at them; see docs/profiler.md.
final class ExternalCheckTests: XCTestCase {
    func testDumpExportsForExternalConsumers() throws {
        guard let dir = ProcessInfo.processInfo.environment["TJ_PROFILER_DUMP"] else {
            throw XCTSkip("set TJ_PROFILER_DUMP=dir to write sample exports")
        }
        let vm = FakeVM()
        vm.setStack([(0, 4), (1, 6), (2, 8)])
        var o = ProfileOptions()
        o.mode = .mixed
        o.reportPath = dir + "/report.txt"
        o.flamegraphPath = dir + "/mixed.svg"
        o.foldedPath = dir + "/mixed.folded"
        o.speedscopePath = dir + "/mixed.speedscope.json"
        o.pprofPath = dir + "/mixed.pb.gz"
        let session = ProfileSession(options: o, frameLayout: FakeVM.layout, vmState: vm.state)
        try session.start()
        let t0 = tj_thread_cpu_ns()
        var flip = false
        while tj_thread_cpu_ns() - t0 < 300_000_000 {
            flip.toggle()
            if flip { _ = tj_test_busy_loop(300_000) } else { _ = profilerTestSwiftSpin(100_000) }
        }
        let p = session.stop(luaNamer: FakeLuaNamer(), interpreterSymbols: ["testDumpExportsForExternalConsumers"])
        try session.writeOutputs(p)
        var lua = ProfileOptions()
        lua.reportPath = ""
        lua.foldedPath = dir + "/lua.folded"
        try ProfileSession(options: lua).writeOutputs(Fixture.profile())
        let diff = try differentialFlameGraph(beforeFolded: FoldedStacks.render(Fixture.profile()),
                                              afterFolded: String(contentsOfFile: dir + "/mixed.folded", encoding: .utf8))
        try Data(diff.utf8).write(to: URL(fileURLWithPath: dir + "/diff.svg"))
        try Data(TextReport(color: true).render(p).utf8).write(to: URL(fileURLWithPath: dir + "/report-color.txt"))
    }

    /// Runs a tool if it is installed; nil when it is not.
    func run(_ tool: String, _ args: [String]) throws -> (status: Int32, output: String)? {
        let path = ["/usr/bin/", "/usr/local/bin/", "/usr/lib/go/bin/"].map { $0 + tool }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let exe = path else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func temp(_ name: String, _ data: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tj-\(getpid())-\(name)").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// pprof's own reader (`go tool pprof`, Debian golang-go) accepts the file and sees our stacks.
    func testGoToolPprofReadsTheProfile() throws {
        let path = try temp("p.pb.gz", Pprof.render(Fixture.profile()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let r = try run("go", ["tool", "pprof", "-traces", path]) else { throw XCTSkip("go not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("Type: cpu"), r.output)
        XCTAssertTrue(r.output.contains("hot (prog.lua:10)"), r.output)
        XCTAssertTrue(r.output.contains("60ms") || r.output.contains("40ms"), r.output)
        guard let top = try run("go", ["tool", "pprof", "-top", "-sample_index=samples", path]) else { return }
        XCTAssertTrue(top.output.contains("Showing nodes accounting for 110, 100% of 110 total"), top.output)
    }

    /// libxml2's parser (xmllint, Debian libxml2-utils) finds both SVGs well-formed.
    func testXmllintAcceptsTheFlameGraphs() throws {
        let a = try temp("f.svg", Data(FlameGraphSVG().render(Fixture.profile()).utf8))
        let b = try temp("d.svg", Data(try differentialFlameGraph(beforeFolded: "a;b 3\n", afterFolded: "a;b 1\na;c 2\n").utf8))
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        guard let r = try run("xmllint", ["--noout", a, b]) else { throw XCTSkip("xmllint not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertEqual(r.output, "")
    }

    /// Runs the flame graph's own script under node with a minimal DOM stand-in: zoom, reset and
    /// search must change the frames as a browser would show them.
    func testFlameGraphScriptZoomSearchReset() throws {
        let svg = try temp("s.svg", Data(FlameGraphSVG(width: 1200).render(Fixture.profile()).utf8))
        let harness = try temp("h.js", Data(FlameGraphScriptHarness.source.utf8))
        defer { try? FileManager.default.removeItem(atPath: svg); try? FileManager.default.removeItem(atPath: harness) }
        guard let r = try run("node", [harness, svg]) else { throw XCTSkip("node not installed") }
        XCTAssertEqual(r.status, 0, r.output)
        let lines = Dictionary(uniqueKeysWithValues: r.output.split(separator: "\n").compactMap { l -> (String, String)? in
            guard let eq = l.firstIndex(of: "=") else { return nil }
            return (String(l[..<eq]), String(l[l.index(after: eq)...]))
        })
        XCTAssertEqual(lines["frames"], "7", r.output)
        // zoomed to work (85 of 110): it and its ancestors fill the width, its child scales, cold hides
        XCTAssertEqual(lines["zoom.work.width"], "1180.00", r.output)
        XCTAssertEqual(lines["zoom.main.width"], "1180.00", r.output)
        XCTAssertEqual(lines["zoom.hot.width"], String(format: "%.2f", 60.0 / 85.0 * 1180), r.output)
        XCTAssertEqual(lines["zoom.cold.class"], "f hide", r.output)
        XCTAssertEqual(lines["zoom.reset.class"], "btn", r.output)
        XCTAssertEqual(lines["hover.details"]?.hasPrefix("work (prog.lua:3) (85 samples"), true, r.output)
        // reset restores the whole profile
        XCTAssertEqual(lines["reset.cold.class"], "f", r.output)
        XCTAssertEqual(lines["reset.work.width"], String(format: "%.2f", 85.0 / 110.0 * 1180), r.output)
        XCTAssertEqual(lines["reset.reset.class"], "btn hide", r.output)
        // search: both hot frames (interpreted 60, JIT 10) highlighted, union share reported
        XCTAssertEqual(lines["search.matched"], "Matched: 63.6%", r.output)
        XCTAssertEqual(lines["search.hot.fill"], "rgb(230,0,230)", r.output)
        XCTAssertEqual(lines["search.cleared.fill.restored"], "true", r.output)
    }
}

enum FlameGraphScriptHarness {
    static let source = #"""
    const fs = require('fs');
    const svg = fs.readFileSync(process.argv[2], 'utf8');
    const script = svg.match(/<!\[CDATA\[([\s\S]*?)\]\]>/)[1];
    function unxml(s) { return s.replace(/&lt;/g,'<').replace(/&gt;/g,'>').replace(/&quot;/g,'"').replace(/&apos;/g,"'").replace(/&amp;/g,'&'); }
    function attrs(s) { const o = {}; s.replace(/([\w-]+)="([^"]*)"/g, (m, k, v) => { o[k] = unxml(v); }); return o; }
    function el(a) { return { attrs: a, kids: {}, textContent: '',
      getAttribute(k) { return this.attrs[k]; }, setAttribute(k, v) { this.attrs[k] = String(v); },
      getElementsByTagName(t) { return this.kids[t] || []; } }; }
    const gs = [];
    const re = /<g class="f" ([^>]*)><title>([^<]*)<\/title><rect ([^>]*)\/><text ([^>]*)>([^<]*)<\/text><\/g>/g;
    let m;
    while ((m = re.exec(svg))) {
      const g = el(Object.assign({ class: 'f' }, attrs(m[1])));
      const t = el({}); t.textContent = unxml(m[2]);
      const x = el(attrs(m[4])); x.textContent = unxml(m[5]);
      g.kids = { title: [t], rect: [el(attrs(m[3]))], text: [x] };
      gs.push(g);
    }
    const byId = { details: el({}), reset: el({ class: 'btn hide' }), matched: el({}), search: el({}) };
    global.document = { getElementsByTagName: t => t === 'g' ? gs : [], getElementById: id => byId[id], addEventListener() {} };
    global.prompt = () => null;
    (0, eval)(script);
    tjInit(null);
    const find = n => gs.find(g => g.attrs['data-n'] === n);
    const main = find('main chunk (prog.lua)'), work = find('work (prog.lua:3)'),
          hot = find('hot (prog.lua:10)'), cold = find('cold (prog.lua:20)');
    const w = g => g.kids.rect[0].attrs.width;
    const out = [];
    out.push('frames=' + gs.length);
    work.onmouseover(); out.push('hover.details=' + byId.details.textContent);
    work.onclick();
    out.push('zoom.work.width=' + w(work), 'zoom.main.width=' + w(main), 'zoom.hot.width=' + w(hot),
             'zoom.cold.class=' + cold.attrs.class, 'zoom.reset.class=' + byId.reset.attrs.class);
    tjReset();
    out.push('reset.cold.class=' + cold.attrs.class, 'reset.work.width=' + w(work), 'reset.reset.class=' + byId.reset.attrs.class);
    const before = hot.kids.rect[0].attrs.fill;
    tjSearch('hot');
    out.push('search.matched=' + byId.matched.textContent, 'search.hot.fill=' + hot.kids.rect[0].attrs.fill);
    tjSearch('');
    out.push('search.cleared.fill.restored=' + (hot.kids.rect[0].attrs.fill === before));
    console.log(out.join('\n'));
    """#
}
