// Codegen checked at scale: a generator of random valid Lua programs (every statement and
// expression form, closures, varargs, gotos, nested loops), random bytes, and mutations of valid
// programs. Every program must either compile to structurally valid code or fail with a Lua-style
// syntax error; nothing may crash.
import XCTest
import Bytecode
@testable import Frontend

/// SplitMix64: deterministic, so a failure reproduces from its seed.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
}

/// Random valid programs.
struct ProgramGenerator {
    var rng: SplitMix
    var out = ""
    var indent = 0
    var scopes: [[String]] = [[]]
    var loopDepth = 0
    var labelCounter = 0
    var vararg = [true]

    init(seed: UInt64) { rng = SplitMix(state: seed) }

    var visible: [String] { scopes.flatMap { $0 } }

    mutating func line(_ s: String) { out += String(repeating: " ", count: indent) + s + "\n" }

    mutating func name() -> String {
        let v = visible
        if !v.isEmpty && rng.chance(70) { return rng.pick(v) }
        return rng.pick(["g1", "g2", "print", "t", "math", "x"])
    }

    mutating func newLocal() -> String {
        let n = "l\(rng.int(8))"
        return n
    }

    mutating func expr(_ d: Int) -> String {
        if d <= 0 { return atom() }
        switch rng.int(14) {
        case 0, 1: return atom()
        case 2: return "(\(expr(d - 1)) \(rng.pick(["+", "-", "*", "/", "%", "^", ".."])) \(expr(d - 1)))"
        case 3: return "\(expr(d - 1)) \(rng.pick(["==", "~=", "<", "<=", ">", ">="])) \(expr(d - 1))"
        case 4: return "\(expr(d - 1)) \(rng.pick(["and", "or"])) \(expr(d - 1))"
        case 5: return "\(rng.pick(["- ", "not ", "#"]))\(expr(d - 1))"
        case 6: return call(d - 1)
        case 7: return table(d - 1)
        case 8: return "\(name())\(rng.pick([".f", "[1]", "[k]", ".x.y", "[\"s\"]", "[300]"]))"
        case 9:
            let ps = params()
            vararg.append(ps.hasSuffix("..."))
            defer { vararg.removeLast() }
            return "function(\(ps)) \(inlineBody(d - 1)) end"
        case 10: return "(\(expr(d - 1)))"
        case 11: return vararg.last! ? "..." : atom()
        case 12: return "\(expr(d - 1)) \(rng.pick(["+", "*", "-"])) \(rng.pick(["1", "2.5", "0", "-3"]))"
        default: return "\(rng.pick(["1", "0.5", "'s'"])) \(rng.pick(["+", "-", "/", "==", "<", "..", "%", "^"])) \(expr(d - 1))"
        }
    }

    mutating func atom() -> String {
        switch rng.int(9) {
        case 0: return rng.pick(["nil", "true", "false"])
        case 1: return rng.pick(["0", "1", "-1", "255", "256", "32767", "32768", "1e300", "0x10", "0.1", "-0", "2^53"])
        case 2: return rng.pick(["'a'", "\"b\\n\"", "[[long]]", "'\\65\\x41\\u{41}'", "''"])
        default: return name()
        }
    }

    mutating func params() -> String {
        var ps = (0..<rng.int(3)).map { "p\($0)" }
        if rng.chance(30) { ps.append("...") }
        return ps.joined(separator: ", ")
    }

    mutating func call(_ d: Int) -> String {
        let args = (0..<rng.int(4)).map { _ in expr(d) }.joined(separator: ", ")
        switch rng.int(5) {
        case 0: return "\(name()):m(\(args))"
        case 1: return "\(name())\"str\""
        case 2: return "\(name()){\(args)}"
        default: return "\(name())(\(args))"
        }
    }

    mutating func table(_ d: Int) -> String {
        var items: [String] = []
        for _ in 0..<rng.int(6) {
            switch rng.int(4) {
            case 0: items.append("x\(rng.int(3)) = \(expr(d))")
            case 1: items.append("[ \(expr(d)) ] = \(expr(d))")
            default: items.append(expr(d))
            }
        }
        return "{" + items.joined(separator: rng.pick([", ", "; "])) + "}"
    }

    mutating func inlineBody(_ d: Int) -> String {
        "local q = \(expr(d)) return q, \(expr(d))"
    }

    mutating func block(_ d: Int, stmts: Int) {
        scopes.append([])
        indent += 2
        for _ in 0..<stmts { statement(d) }
        if rng.chance(25) { finalStatement(d) }
        indent -= 2
        scopes.removeLast()
    }

    mutating func finalStatement(_ d: Int) {
        if loopDepth > 0 && rng.chance(40) { line("break"); return }
        switch rng.int(4) {
        case 0: line("return")
        case 1: line("return \(call(d))")
        default: line("return \(expr(d)), \(expr(d))")
        }
    }

    mutating func statement(_ d: Int) {
        let e = max(d, 1)
        switch rng.int(d > 0 ? 16 : 4) {
        case 0:
            let n = 1 + rng.int(3)
            let names = (0..<n).map { _ in newLocal() }
            let vals = (0..<rng.int(4)).map { _ in expr(e) }
            line("local \(names.joined(separator: ", "))" + (vals.isEmpty ? "" : " = " + vals.joined(separator: ", ")))
            scopes[scopes.count - 1] += names
        case 1:
            let n = 1 + rng.int(3)
            let targets = (0..<n).map { _ in rng.chance(50) ? name() : "\(name())[ \(expr(0)) ]" }
            line("\(targets.joined(separator: ", ")) = \((0..<(1 + rng.int(3))).map { _ in expr(e) }.joined(separator: ", "))")
        case 2:
            line(call(e))
        case 3:
            line("\(name()).\(rng.pick(["a", "b"])) = \(expr(e))")
        case 4:
            line("if \(expr(e)) then")
            block(d - 1, stmts: rng.int(3))
            if rng.chance(50) { line("elseif \(expr(e)) then"); block(d - 1, stmts: rng.int(3)) }
            if rng.chance(50) { line("else"); block(d - 1, stmts: rng.int(3)) }
            line("end")
        case 5:
            line("while \(expr(e)) do")
            loopDepth += 1; block(d - 1, stmts: 1 + rng.int(3)); loopDepth -= 1
            line("end")
        case 6:
            line("for i = \(expr(e)), \(expr(e))\(rng.chance(50) ? ", \(expr(0))" : "") do")
            loopDepth += 1
            scopes.append(["i"]); block(d - 1, stmts: 1 + rng.int(3)); scopes.removeLast()
            loopDepth -= 1
            line("end")
        case 7:
            line("for k, v in \(rng.chance(50) ? "pairs(\(name()))" : "\(name()), \(expr(0))") do")
            loopDepth += 1
            scopes.append(["k", "v"]); block(d - 1, stmts: 1 + rng.int(3)); scopes.removeLast()
            loopDepth -= 1
            line("end")
        case 8:
            line("repeat")
            loopDepth += 1
            scopes.append([])
            indent += 2
            let n = newLocal()
            line("local \(n) = \(expr(e))")
            scopes[scopes.count - 1].append(n)
            if rng.chance(50) { line("f(function() return \(n) end)") }
            for _ in 0..<rng.int(3) { statement(d - 1) }
            indent -= 2
            line("until \(expr(e))")
            scopes.removeLast()
            loopDepth -= 1
        case 9:
            line("do")
            block(d - 1, stmts: 1 + rng.int(3))
            line("end")
        case 10:
            let ps = params()
            line(rng.pick(["local function lf(\(ps))", "function \(name()).m(\(ps))", "function obj:m(\(ps))", "function gf(\(ps))"]))
            let saveLoop = loopDepth
            loopDepth = 0
            vararg.append(ps.hasSuffix("..."))
            scopes.append(ps.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "..." })
            block(d - 1, stmts: 1 + rng.int(4))
            scopes.removeLast()
            vararg.removeLast()
            loopDepth = saveLoop
            line("end")
        case 11:
            // A loop with a captured local and a continue label.
            labelCounter += 1
            let lbl = "continue\(labelCounter)"
            line("for j = 1, \(expr(0)) do")
            loopDepth += 1
            scopes.append(["j"])
            indent += 2
            line("local c = j")
            line("f(function() c = c + 1 return c end)")
            line("if \(expr(e)) then goto \(lbl) end")
            for _ in 0..<rng.int(2) { statement(d - 1) }
            line("::\(lbl)::")
            indent -= 2
            scopes.removeLast()
            loopDepth -= 1
            line("end")
        case 12:
            labelCounter += 1
            let lbl = "top\(labelCounter)"
            line("do")
            line("::\(lbl)::")
            line("local z = \(expr(e))")
            line("f(function() return z end)")
            line("if \(expr(e)) then goto \(lbl) end")
            line("end")
        case 13:
            var items = (0..<rng.int(60)).map { _ in expr(0) }
            if rng.chance(50) { items.append(vararg.last! ? "f(...)" : "f()") }
            line("local tt = {\(items.joined(separator: ", "))}")
        case 14:
            line("local s = \((0..<(2 + rng.int(4))).map { _ in expr(0) }.joined(separator: " .. "))")
        default:
            line("\(name()), \(name()) = \(name()), \(name())")
        }
    }

    static func program(seed: UInt64) -> String {
        var g = ProgramGenerator(seed: seed)
        for _ in 0..<(3 + g.rng.int(8)) { g.statement(3) }
        return g.out
    }
}

final class CorpusTests: XCTestCase {
    func testGeneratedProgramsCompileToWellFormedCode() {
        if let dir = ProcessInfo.processInfo.environment["CORPUS_DIR"] {  // for checking them with luajit
            for seed in 0..<300 {
                try? ProgramGenerator.program(seed: UInt64(seed)).write(toFile: "\(dir)/p\(seed).lua", atomically: true, encoding: .utf8)
            }
        }
        var instructions = 0
        for seed in 0..<1500 {
            let src = ProgramGenerator.program(seed: UInt64(seed))
            do {
                let p = try compileLua(src)
                let problems = structuralProblems(p)
                XCTAssert(problems.isEmpty, "seed \(seed): \(problems.prefix(3))\n\(src)")
                instructions += p.code.count
            } catch {
                XCTFail("seed \(seed): \(error)\n\(src)")
            }
        }
        XCTAssertGreaterThan(instructions, 50_000)
    }

    func testRandomBytesNeverCrash() {
        var rng = SplitMix(state: 42)
        let alphabet = Array("abcxyz_019.,;:=<>~+-*/%^#()[]{}'\"\\\n \t=[[]]--...".utf8) + [0, 0x80, 0xff, 13]
        let words = ["local ", "function ", "end ", "if ", "then ", "else ", "while ", "do ", "for ", "in ",
                     "repeat ", "until ", "return ", "break ", "goto ", "::", "and ", "or ", "not ", "nil ",
                     "...", "..", "[[", "]]", "--[==[", "0x1p4", "1e5", "\"\\z", "\\u{", "(", ")", "{", "}"]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<rng.int(120) {
                if rng.chance(40) { bytes += Array(rng.pick(words).utf8) } else { bytes.append(rng.pick(alphabet)) }
            }
            check(bytes)
        }
        for _ in 0..<500 {
            check((0..<rng.int(300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        }
    }

    func testMutatedProgramsNeverCrash() {
        var rng = SplitMix(state: 7)
        for seed in 0..<600 {
            let base = Array(ProgramGenerator.program(seed: UInt64(10_000 + seed)).utf8)
            for _ in 0..<5 {
                var b = base
                for _ in 0..<(1 + rng.int(3)) {
                    guard !b.isEmpty else { break }
                    let i = rng.int(b.count)
                    switch rng.int(4) {
                    case 0: b.removeSubrange(i..<min(b.count, i + 1 + rng.int(8)))
                    case 1: b.insert(rng.pick(Array("()[]{}=,.;:end do then local \"'".utf8)), at: i)
                    case 2: let j = rng.int(b.count); b.swapAt(i, j)
                    default: b.insert(contentsOf: b[i..<min(b.count, i + rng.int(20))], at: rng.int(b.count))
                    }
                }
                check(b)
            }
        }
    }

    private func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        do {
            let p = try Compiler.compile(bytes, chunkName: "=fuzz")
            let problems = structuralProblems(p)
            XCTAssert(problems.isEmpty, "\(problems.prefix(3))\n\(String(decoding: bytes, as: UTF8.self))", file: file, line: line)
        } catch let e as SyntaxError {
            XCTAssertTrue(e.message.hasPrefix("fuzz:"), e.message, file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }
}
