// Helpers for the front-end tests: compile a snippet, render its code as "OPNAME a b c" lines
// (jumps as "=>target"), and a structural self-check run on every compiled prototype.
import XCTest
import Bytecode
@testable import Frontend

func compileLua(_ src: String, chunk: String = "=test") throws -> Proto {
    try Compiler.compile(Array(src.utf8), chunkName: chunk)
}

/// One line per instruction: "OP a b c" (ABC) or "OP a d" (AD); jumps as "OP a =>target".
func render(_ p: Proto) -> [String] {
    p.code.enumerated().map { pc, i in
        guard let op = Opcode(rawValue: i.opByte) else { return "?\(i.opByte)" }
        let info = op.info
        if info.format == .ad && info.d == .jump { return "\(op.name) \(i.a) =>\(pc + 1 + i.jumpOffset)" }
        if info.format == .ad && info.d == .slit { return "\(op.name) \(i.a) \(i.sd)" }
        return i.description
    }
}

func ops(_ p: Proto) -> [String] { p.code.map { $0.op.name } }

/// Structural invariants of compiled code; returns the problems found (empty when fine).
func structuralProblems(_ p: Proto, path: String = "main") -> [String] {
    var out: [String] = []
    func bad(_ pc: Int, _ m: String) { out.append("\(path) pc \(pc): \(m) [\(p.code[pc])]") }
    let n = p.code.count
    if n == 0 { return ["\(path): empty code"] }
    if !p.code[n - 1].op.info.flags.contains(.terminator) { bad(n - 1, "last instruction falls through") }
    if p.frameSize > Limits.maxFrameSize { out.append("\(path): frameSize \(p.frameSize)") }
    if let d = p.debug {
        if d.lineInfo.count != n { out.append("\(path): lineInfo count") }
        for l in d.locals where l.register >= p.frameSize || l.startPC > l.endPC || l.endPC > n {
            out.append("\(path): bad local \(l)")
        }
        if d.upvalueNames.count != p.upvalues.count { out.append("\(path): upvalue names") }
    }
    var targets = Set<Int>()
    for (pc, i) in p.code.enumerated() {
        guard let op = Opcode(rawValue: i.opByte) else { bad(pc, "bad opcode"); continue }
        let info = op.info
        func reg(_ r: Int, _ what: String) { if r >= p.frameSize { bad(pc, "\(what) register \(r) >= frameSize \(p.frameSize)") } }
        func check(_ kind: OperandKind, _ v: Int, _ what: String) {
            switch kind {
            case .dst, .src, .base: reg(v, what)
            case .str:
                if v >= p.constants.count { bad(pc, "constant \(v)") } else if case .number = p.constants[v] { bad(pc, "not a string") }
            case .num:
                if v >= p.constants.count { bad(pc, "constant \(v)") } else if case .string = p.constants[v] { bad(pc, "not a number") }
            case .pri: if v > 2 { bad(pc, "pri") }
            case .upv: if v >= p.upvalues.count { bad(pc, "upvalue \(v)") }
            case .proto: if v >= p.protos.count { bad(pc, "proto \(v)") }
            case .jump:
                let t = pc + 1 + (v - Limits.jumpBias)
                if t < 0 || t >= n { bad(pc, "jump target \(t)") } else { targets.insert(t) }
            case .none: if v != 0 { bad(pc, "unused operand \(v)") }
            default: break
            }
        }
        if op == .EXTRAARG {
            if pc == 0 || p.code[pc - 1].op != .SETLIST || p.code[pc - 1].c != 0 { bad(pc, "stray EXTRAARG") }
            continue
        }
        if info.format == .abc {
            check(info.a, i.a, "A"); check(info.b, i.b, "B"); check(info.c, i.c, "C")
        } else {
            if !(op == .IST || op == .ISF) || info.a != .none { check(info.a, i.a, "A") }
            if op == .IST || op == .ISF, i.a != 0 { bad(pc, "IST/ISF A") }
            check(info.d, i.d, "D")
        }
        if info.flags.contains(.test) && (pc + 1 >= n || p.code[pc + 1].op != .JMP) { bad(pc, "test not followed by JMP") }
        switch op {
        case .KNIL: if i.a > i.d { bad(pc, "KNIL range") }
        case .CALL:
            if i.b > 0 { reg(i.a + i.b - 1, "arg") }
            if i.c > 1 { reg(i.a + i.c - 2, "result") }
        case .TAILCALL: if i.b > 0 { reg(i.a + i.b - 1, "arg") }
        case .RET: if i.b > 1 { reg(i.a + i.b - 2, "ret") }
        case .VARG: if i.b > 1 { reg(i.a + i.b - 2, "varg") }
        case .SETLIST: if i.b > 1 { reg(i.a + i.b - 1, "setlist") }
        case .CAT: if i.b >= i.c { bad(pc, "CAT range") }
        case .SELF: reg(i.a + 1, "self")
        case .FORPREP, .FORLOOP: reg(i.a + 3, "for")
        case .ITERC:
            if i.a < 3 || i.b != 3 { bad(pc, "ITERC shape") }
            reg(i.a + 2, "iterc")
            if i.c > 1 { reg(i.a + i.c - 2, "iterc results") }
            if pc + 1 >= n || p.code[pc + 1].op != .ITERL { bad(pc, "ITERC without ITERL") }
        case .LOOP:
            if pc + 1 + i.jumpOffset <= pc { bad(pc, "LOOP must point forward") }
        default: break
        }
        // Multiple values: producer immediately before its consumer.
        let producesTop = (op == .CALL && i.c == 0) || (op == .VARG && i.b == 0)
        if producesTop {
            let next = pc + 1 < n ? p.code[pc + 1] : Instruction(raw: 0)
            let ok = pc + 1 < n && [.CALL, .TAILCALL, .RET, .SETLIST].contains(next.op) && next.b == 0
            if !ok { bad(pc, "multi-value producer without consumer") }
        }
        let consumesTop = [.CALL, .TAILCALL, .RET, .SETLIST].contains(op) && i.b == 0
        if consumesTop {
            let prev = pc > 0 ? p.code[pc - 1] : Instruction(raw: 0)
            let ok = pc > 0 && ((prev.op == .CALL && prev.c == 0) || (prev.op == .VARG && prev.b == 0))
            if !ok { bad(pc, "B=0 consumer without producer") }
        }
    }
    for t in targets where p.code[t].op == .EXTRAARG { bad(t, "jump to EXTRAARG") }
    for (k, c) in p.protos.enumerated() { out += structuralProblems(c, path: "\(path)/\(k)") }
    return out
}

func assertWellFormed(_ p: Proto, _ src: String = "", file: StaticString = #filePath, line: UInt = #line) {
    let problems = structuralProblems(p)
    XCTAssert(problems.isEmpty, "\(problems.prefix(5).joined(separator: "\n"))\n--- source:\n\(src.prefix(500))",
              file: file, line: line)
}

/// Compiles, checks the structure, and returns the main prototype.
func compileChecked(_ src: String, file: StaticString = #filePath, line: UInt = #line) -> Proto? {
    do {
        let p = try compileLua(src)
        assertWellFormed(p, src, file: file, line: line)
        return p
    } catch {
        XCTFail("compile error: \(error)\n\(src)", file: file, line: line)
        return nil
    }
}

func syntaxError(_ src: String, chunk: String = "@t.lua") -> String? {
    do {
        _ = try Compiler.compile(Array(src.utf8), chunkName: chunk)
        return nil
    } catch let e as SyntaxError {
        return e.message
    } catch {
        return "unexpected error \(error)"
    }
}
