// Debugging aid: `FRONTEND_DUMP=prog.lua swift test --filter DumpTool` prints the compiled code of
// a file (and its structural problems). Does nothing when the variable is unset.
import XCTest
import Bytecode
@testable import Frontend

final class DumpTool: XCTestCase {
    /// `FRONTEND_BENCH=big.lua` (best in a release build): compile throughput, printed, not asserted.
    func testCompileThroughputFromEnvironment() throws {
        guard let path = ProcessInfo.processInfo.environment["FRONTEND_BENCH"] else { return }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var best = Double.infinity
        var instructions = 0
        for _ in 0..<5 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let p = try Compiler.compile(bytes, chunkName: "@" + path)
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            best = min(best, dt)
            func count(_ q: Proto) -> Int { q.code.count + q.protos.reduce(0) { $0 + count($1) } }
            instructions = count(p)
        }
        print(String(format: "BENCH %@: %.1f MB in %.3f s = %.1f MB/s, %d instructions", path,
                     Double(bytes.count) / 1e6, best, Double(bytes.count) / 1e6 / best, instructions))
    }

    /// `FRONTEND_RUN=dir`: runs every dir/*.lua on the reference interpreter, writing dir/*.out
    /// (for differential runs against luajit).
    func testRunDirectoryFromEnvironment() throws {
        guard let dir = ProcessInfo.processInfo.environment["FRONTEND_RUN"] else { return }
        for f in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where f.hasSuffix(".lua") {
            let src = try String(contentsOfFile: dir + "/" + f, encoding: .utf8)
            try runLua(src).write(toFile: dir + "/" + f.dropLast(4) + ".out", atomically: true, encoding: .utf8)
        }
    }

    /// `FRONTEND_CHECK=dir`: compiles every dir/*.lua (chunk "=test"), writing dir/*.our with
    /// "SYNTAX: message" or "OK" (for comparing error messages with luajit's).
    func testCheckDirectoryFromEnvironment() throws {
        guard let dir = ProcessInfo.processInfo.environment["FRONTEND_CHECK"] else { return }
        for f in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() where f.hasSuffix(".lua") {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + f)))
            var result = "OK"
            do {
                let p = try Compiler.compile(bytes, chunkName: "=test")
                let problems = structuralProblems(p)
                if !problems.isEmpty { result = "STRUCTURE: \(problems)" }
            } catch let e as SyntaxError {
                result = "SYNTAX: " + e.message
            }
            try result.write(toFile: dir + "/" + f.dropLast(4) + ".our", atomically: true, encoding: .utf8)
        }
    }

    func testDumpFromEnvironment() throws {
        guard let path = ProcessInfo.processInfo.environment["FRONTEND_DUMP"] else { return }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            for f in try FileManager.default.contentsOfDirectory(atPath: path).sorted() where f.hasSuffix(".lua") {
                print("FILE", f)
                fflush(stdout)
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + f)))
                do {
                    let p = try Compiler.compile(bytes, chunkName: "@" + f)
                    for problem in structuralProblems(p) { print("PROBLEM", f, problem) }
                } catch {
                    print("ERROR", error)
                }
            }
            return
        }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        do {
            let p = try Compiler.compile(bytes, chunkName: "@" + path)
            dump(p, indent: "")
            for problem in structuralProblems(p) { print("PROBLEM", problem) }
        } catch {
            print("ERROR", error)
        }
    }

    private func dump(_ p: Proto, indent: String) {
        print("\(indent)-- proto lines \(p.lineDefined)-\(p.lastLineDefined) params \(p.numParams) vararg \(p.isVararg) frame \(p.frameSize) upvalues \(p.upvalues.map { "\($0.inParentFrame ? "L" : "U")\($0.index)" })")
        print("\(indent)   constants \(p.constants.map { c -> String in if case .number(let d) = c { return "\(d)" }; if case .string(let s) = c { return "\"\(String(decoding: s, as: UTF8.self))\"" }; return "" })")
        for (pc, s) in render(p).enumerated() { print("\(indent)\(pc)\t[\(p.line(at: pc) ?? 0)]\t\(s)") }
        for l in p.debug?.locals ?? [] { print("\(indent)   local \(l.name) r\(l.register) [\(l.startPC),\(l.endPC))") }
        for c in p.protos { dump(c, indent: indent + "    ") }
    }
}
