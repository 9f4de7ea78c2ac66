// Shared by the JIT's program-level tests: the repository root, and running a Lua program in-process
// with a JITEngine attached (its log and dumps collected in one string, in the order the engine
// emits them, exactly as `tracejit run --jit-out FILE` writes them).
import Foundation
import JIT
@testable import Runtime
import XCTest

enum JITTestSupport {
    /// JIT parameters for a test run: a backend, a hotness mode (eager: every loop and function
    /// hot at once) and `name=value` settings.
    static func params(_ backend: JITBackend, hotness: HotnessMode = .eager, _ settings: [String] = []) -> JITParams {
        var p = JITParams()
        p.hotness = hotness
        p.backend = backend
        for s in settings { try! p.set(s) }
        return p
    }

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func readBytes(_ rel: String) -> [UInt8]? {
        (try? Data(contentsOf: root.appendingPathComponent(rel))).map { [UInt8]($0) }
    }

    static func read(_ rel: String) -> String? {
        try? String(contentsOf: root.appendingPathComponent(rel), encoding: .utf8)
    }

    struct Run {
        var stdout: [UInt8]
        var stderr: [UInt8]
        var status: Int32
        var errorReport: String?
        /// The `--jit-log` lines and dumps, in order (empty without the JIT).
        var jitText: String
        var stats: JITStats?
        /// Just the `--jit-log` lines, in order (whether or not `log` was asked for).
        var logLines: [String] = []
        /// Traces the native backend compiled (only with backend native).
        var nativeTraces = 0
        /// Log lines of traces the native backend refused (they ran on the IR interpreter).
        var refused: [String] = []
        /// The engine, for looking at its traces after the run (nil without the JIT).
        var engine: JITEngine?
    }

    /// Runs `bytes` as the main program named `path` (repository-relative; the chunk name is
    /// "@" + path, as `tracejit run path` from the repository root). `params` nil: no JIT. With
    /// backend native the engine gets a NativeBackend with the `maxmcode` budget, as the CLI does.
    static func run(_ bytes: [UInt8], path: String, args: [String] = [], params: JITParams?, log: Bool = false,
                    dump: DumpOptions? = nil, gcStress: Bool = false, maxMemory: Int? = nil) -> Run {
        var o = VMOptions()
        o.captureOutput = true
        o.gcStress = gcStress
        o.maxMemory = maxMemory
        let vm = LuaVM(options: o)
        vm.setScriptArguments(scriptName: path, args: args)
        var text = ""
        var lines: [String] = [], refused: [String] = []
        var native = 0
        var engine: JITEngine?
        if let params {
            let e = JITEngine(vm: vm, params: params)
            if params.backend == .native { e.nativeCompiler = NativeBackend(budgetKB: params.maxmcode) }
            e.log = { line in
                if log { text += line + "\n" }
                lines.append(line)
                if line.contains("-- native backend:") { refused.append(line) }
            }
            e.dump = { [unowned e] t in
                if t.code != nil { native += 1 }
                if let dump { text += TraceDump.text(t, engine: e, options: dump) }
            }
            e.attach()
            engine = e
        }
        let r = vm.runMain(bytes: bytes, chunkName: "@" + path)
        engine?.detach()
        return Run(stdout: vm.outputBuffer, stderr: vm.capturedStderr, status: r.status, errorReport: r.errorReport,
                   jitText: text, stats: engine?.stats, logLines: lines, nativeTraces: native, refused: refused,
                   engine: engine)
    }

    /// Runs `src` on the interpreter, the IR backend and the native backend: all three must print the
    /// same (stdout, status, error report) and the backends must make the same decisions. Returns
    /// the native run.
    @discardableResult
    static func differential(_ src: String, hotness: HotnessMode = .eager, _ settings: [String] = [],
                      file: StaticString = #filePath, line: UInt = #line) -> Run {
        let bytes = Array(src.utf8)
        let plain = run(bytes, path: "t.lua", params: nil)
        let ir = run(bytes, path: "t.lua", params: params(.ir, hotness: hotness, settings))
        let nat = run(bytes, path: "t.lua", params: params(.native, hotness: hotness, settings))
        let want = String(decoding: plain.stdout, as: UTF8.self)
        XCTAssertFalse(want.isEmpty, "the program printed nothing", file: file, line: line)
        XCTAssertEqual(String(decoding: ir.stdout, as: UTF8.self), want, "ir: stdout", file: file, line: line)
        XCTAssertEqual(String(decoding: nat.stdout, as: UTF8.self), want, "native: stdout", file: file, line: line)
        XCTAssertEqual(ir.status, plain.status, "ir: status", file: file, line: line)
        XCTAssertEqual(nat.status, plain.status, "native: status", file: file, line: line)
        XCTAssertEqual(ir.errorReport, plain.errorReport, "ir: error report", file: file, line: line)
        XCTAssertEqual(nat.errorReport, plain.errorReport, "native: error report", file: file, line: line)
        XCTAssertEqual(nat.logLines, ir.logLines, "the backends' JIT logs differ", file: file, line: line)
        XCTAssertEqual(nat.refused, [], "traces the native backend refused", file: file, line: line)
        if let a = ir.stats, let n = nat.stats {
            XCTAssertEqual(n.tracesMade, a.tracesMade, "traces", file: file, line: line)
            XCTAssertEqual(n.sideTraces, a.sideTraces, "side traces", file: file, line: line)
            XCTAssertEqual(n.traceEntries, a.traceEntries, "trace entries", file: file, line: line)
        }
        return nat
    }
}
