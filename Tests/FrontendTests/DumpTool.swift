// Debugging aid: `FRONTEND_DUMP=prog.lua swift test --filter DumpTool` prints the compiled code of
// a file (and its structural problems). Does nothing when the variable is unset.
import XCTest
import Bytecode
@testable import Frontend

final class DumpTool: XCTestCase {
    func testDumpFromEnvironment() throws {
        guard let path = ProcessInfo.processInfo.environment["FRONTEND_DUMP"] else { return }
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
