// The conformance corpus: Lua programs under Conformance/ with the output luajit gives for them
// (regenerate with Conformance/regen.sh after changing a program, and read the diff: luajit is the
// oracle). Each program runs in-process; stdout, the exit status and the first line of the error
// report must match. A subset also runs with a full collection at every GC safe point.
import Foundation
import XCTest
@testable import Runtime

final class ConformanceTests: XCTestCase {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Conformance")

    static func programs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".lua") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Runs one program and returns a list of mismatches (empty when it conforms).
    static func check(_ name: String, gcStress: Bool) throws -> [String] {
        let dir = directory
        let source = try [UInt8](Data(contentsOf: dir.appendingPathComponent("\(name).lua")))
        let expected = (try? String(contentsOf: dir.appendingPathComponent("\(name).expected"), encoding: .utf8)) ?? ""
        let status = Int32((try? String(contentsOf: dir.appendingPathComponent("\(name).status"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0
        let errorLine = (try? String(contentsOf: dir.appendingPathComponent("\(name).error"), encoding: .utf8))?
            .trimmingCharacters(in: .newlines)
        var o = VMOptions()
        o.captureOutput = true
        o.gcStress = gcStress
        let vm = LuaVM(options: o)
        let r = vm.runMain(bytes: source, chunkName: "@\(name).lua")
        if let rep = r.errorReport, rep.contains("front end not built yet") {
            throw XCTSkip("the front end is not merged yet")
        }
        var problems: [String] = []
        if vm.capturedOutput != expected {
            problems.append("\(name): stdout differs\n--- expected\n\(expected)--- got\n\(vm.capturedOutput)")
        }
        if r.status != status {
            problems.append("\(name): status \(r.status), expected \(status); report: \(r.errorReport ?? "-")")
        }
        let firstLine = r.errorReport.map { String($0.split(separator: "\n", omittingEmptySubsequences: false).first ?? "") }
        if firstLine != errorLine {
            problems.append("\(name): error report '\(firstLine ?? "-")', expected '\(errorLine ?? "-")'")
        }
        return problems
    }

    func testCorpus() throws {
        let names = ConformanceTests.programs()
        XCTAssertGreaterThan(names.count, 10)
        var problems: [String] = []
        for n in names { problems += try ConformanceTests.check(n, gcStress: false) }
        XCTAssert(problems.isEmpty, problems.joined(separator: "\n\n"))
    }

    func testCorpusUnderGCStress() throws {
        var problems: [String] = []
        for n in ["closures", "varargs", "metatables", "coroutines", "errors", "tailcalls", "loops"] {
            problems += try ConformanceTests.check(n, gcStress: true)
        }
        XCTAssert(problems.isEmpty, problems.joined(separator: "\n\n"))
    }

    func testUncaughtErrorHasTraceback() throws {
        let src = Array("local function helper(p)\n  return p.field\nend\nhelper(nil)\n".utf8)
        var o = VMOptions()
        o.captureOutput = true
        let vm = LuaVM(options: o)
        let r = vm.runMain(bytes: src, chunkName: "@prog.lua")
        if let rep = r.errorReport, rep.contains("front end not built yet") { throw XCTSkip("no front end yet") }
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.errorReport, """
            tracejit: prog.lua:2: attempt to index local 'p' (a nil value)
            stack traceback:
            \tprog.lua:2: in function 'helper'
            \tprog.lua:4: in main chunk
            """)
    }

    func testMaxMemoryRaisesCatchableError() throws {
        let src = Array("""
            local t = {}
            local ok, e = pcall(function() for i = 1, 1e8 do t[i] = {i} end end)
            t = nil
            collectgarbage()
            print(ok, e)
            local s = 0
            for i = 1, 100 do s = s + i end
            print(s)
            """.utf8)
        var o = VMOptions()
        o.captureOutput = true
        o.maxMemory = 8 << 20
        let vm = LuaVM(options: o)
        let r = vm.runMain(bytes: src, chunkName: "@mem.lua")
        if let rep = r.errorReport, rep.contains("front end not built yet") { throw XCTSkip("no front end yet") }
        XCTAssertEqual(r.status, 0, r.errorReport ?? "")
        XCTAssertEqual(vm.capturedOutput, "false\tnot enough memory\n5050\n")
    }
}
