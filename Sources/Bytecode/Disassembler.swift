// A readable listing of a prototype tree, in the spirit of `luajit -bl`:
//
//     -- BYTECODE -- main>0 prog.lua:1-5
//     -- 1 param, vararg, frame 10, 13 instructions, 3 constants, 1 upvalue, 0 functions
//     -- upvalues: 0 up (slot 1)
//     -- locals: 0 a [0000, 0013)  1 t [0001, 0013)
//     0000     2    TNEW       1   0   0      ; 1=t
//     0006     3 => GGET       6   1          ; "print"
//     0011     3    FORLOOP    2 => 0008
//
// Columns: pc (0-based, 4 digits), source line (absent when stripped), "=>" when some instruction
// jumps here, opcode, operands (jump operands as their absolute target), then a comment: constants
// (strings quoted and escaped, numbers as %.14g), primitives as nil/false/true, upvalue names,
// nested functions, and `reg=name` for registers that hold a named local at that pc. Each
// prototype is followed by its nested ones, in index order (pre-order), so `main` comes first.
//
// The disassembler never traps, even on unverified prototypes: it prints what it cannot decode.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum Disassembler {
    /// The listing of `main` and every nested prototype.
    public static func listing(_ main: Proto) -> String {
        var out = ""
        var first = true
        func visit(_ p: Proto, _ path: String) {
            if !first { out += "\n" }
            first = false
            out += listing(of: p, path: path)
            for (i, child) in p.protos.enumerated() { visit(child, "\(path)>\(i)") }
        }
        visit(main, "main")
        return out
    }

    /// The listing of one prototype (without its nested ones). `path` names it in the header.
    public static func listing(of p: Proto, path: String = "main") -> String {
        var out = "-- BYTECODE -- \(path) \(shortSourceName(p.source)):\(p.lineDefined)-\(p.lastLineDefined)\n"
        var facts = [plural(p.numParams, "param")]
        if p.isVararg { facts.append("vararg") }
        facts.append("frame \(p.frameSize)")
        facts.append(plural(p.code.count, "instruction"))
        facts.append(plural(p.constants.count, "constant"))
        facts.append(plural(p.upvalues.count, "upvalue"))
        facts.append(plural(p.protos.count, "function"))
        if p.debug == nil { facts.append("stripped") }
        out += "-- " + facts.joined(separator: ", ") + "\n"
        if !p.upvalues.isEmpty {
            let names = p.debug?.upvalueNames ?? []
            let items = p.upvalues.enumerated().map { i, uv -> String in
                let name = i < names.count ? " " + names[i] : ""
                return "\(i)\(name) (\(uv.inParentFrame ? "slot" : "upvalue") \(uv.index))"
            }
            out += "-- upvalues: " + items.joined(separator: "  ") + "\n"
        }
        if let locals = p.debug?.locals, !locals.isEmpty {
            let items = locals.map { "\($0.register) \($0.name) [\(pad4($0.startPC)), \(pad4($0.endPC)))" }
            out += "-- locals: " + items.joined(separator: "  ") + "\n"
        }
        let targets = jumpTargets(p)
        let locals = LocalIndex(p)
        for pc in p.code.indices {
            out += line(p, pc: pc, isTarget: targets.contains(pc), locals: locals) + "\n"
        }
        return out
    }

    /// One instruction as the listing shows it (without the trailing newline).
    public static func line(_ p: Proto, pc: Int, isTarget: Bool = false) -> String {
        line(p, pc: pc, isTarget: isTarget, locals: LocalIndex(p))
    }

    static func line(_ p: Proto, pc: Int, isTarget: Bool, locals: LocalIndex) -> String {
        var s = pad4(pc)
        if p.debug != nil {
            let l = p.line(at: pc).map(String.init) ?? "?"
            s += " " + leftPad(l, 5)
        }
        s += isTarget ? " => " : "    "
        s += instruction(p, pc: pc, locals: locals)
        return s
    }

    /// Opcode, operands and comment of the instruction at `pc`.
    public static func instruction(_ p: Proto, pc: Int) -> String {
        instruction(p, pc: pc, locals: LocalIndex(p))
    }

    static func instruction(_ p: Proto, pc: Int, locals: LocalIndex) -> String {
        guard pc >= 0 && pc < p.code.count else { return "?" }
        let ins = p.code[pc]
        guard let op = Opcode(rawValue: ins.opByte) else {
            return rightPad("???", 10) + "0x" + String(ins.raw, radix: 16)
        }
        let info = op.info
        var s = rightPad(op.name, 10)
        var comment: [String] = []
        var namedRegs = Set<Int>()

        func operand(_ kind: OperandKind, _ v: Int, first: Bool) -> String {
            let text: String
            switch kind {
            case .jump:
                text = "=> " + pad4(pc + 1 + v - Limits.jumpBias)
            case .slit:
                text = leftPad(String(Int(Int16(truncatingIfNeeded: v))), 3)
            default:
                text = leftPad(String(v), 3)
            }
            annotate(kind, v)
            return (first ? "" : " ") + text
        }

        func annotate(_ kind: OperandKind, _ v: Int) {
            switch kind {
            case .str, .num:
                if v < p.constants.count {
                    switch p.constants[v] {
                    case .string(let bytes): comment.append(quote(bytes))
                    case .number(let x): comment.append(formatNumber(x))
                    }
                } else {
                    comment.append("<bad constant>")
                }
            case .pri:
                comment.append(v == 0 ? "nil" : v == 1 ? "false" : v == 2 ? "true" : "<bad primitive>")
            case .upv:
                if let names = p.debug?.upvalueNames, v < names.count { comment.append(names[v]) }
            case .proto:
                if v < p.protos.count {
                    let child = p.protos[v]
                    comment.append("\(shortSourceName(child.source)):\(child.lineDefined)")
                }
            case .dst, .src, .base:
                guard !namedRegs.contains(v) else { return }
                // A destination often starts a local's life: its range begins just after.
                let name = locals.name(register: v, pc: pc)
                    ?? (kind == .src ? nil : locals.name(register: v, pc: pc + 1))
                if let name {
                    namedRegs.insert(v)
                    comment.append("\(v)=\(name)")
                }
            default:
                break
            }
        }

        switch info.format {
        case .abc:
            s += operand(info.a, ins.a, first: true)
            if info.b != .none || info.c != .none { s += operand(info.b, ins.b, first: false) }
            if info.c != .none { s += operand(info.c, ins.c, first: false) }
        case .ad:
            s += operand(info.a, ins.a, first: true)
            if info.d != .none { s += operand(info.d, ins.d, first: false) }
        }
        if op == .EXTRAARG { comment.append("batch \(ins.a << 16 | ins.d)") }
        if op == .SETLIST && ins.c != 0 { comment.append("batch \(ins.c)") }
        if comment.isEmpty { return s }
        return rightPad(s, 27) + "; " + comment.joined(separator: "  ")
    }

    /// The locals of a prototype grouped by register, so naming a register is not a scan of all.
    struct LocalIndex {
        var byRegister: [[LocalVarInfo]] = []

        init(_ p: Proto) {
            guard let locals = p.debug?.locals, !locals.isEmpty else { return }
            byRegister = Array(repeating: [], count: 256)
            for l in locals where l.register >= 0 && l.register < 256 { byRegister[l.register].append(l) }
        }

        /// As `Proto.localName`: the last local declared in `register` that is live at `pc`.
        func name(register: Int, pc: Int) -> String? {
            guard register >= 0 && register < byRegister.count else { return nil }
            var found: String?
            for l in byRegister[register] where l.startPC <= pc && pc < l.endPC { found = l.name }
            return found
        }
    }

    /// Executed jump targets and LOOP exits of `p` (for the "=>" marks).
    static func jumpTargets(_ p: Proto) -> Set<Int> {
        var t = Set<Int>()
        for (pc, ins) in p.code.enumerated() {
            guard let op = Opcode(rawValue: ins.opByte), op.info.flags.contains(.branch) else { continue }
            if op == .UCLO && ins.d == Limits.jumpBias { continue }
            t.insert(pc + 1 + ins.jumpOffset)
        }
        return t
    }

    /// A string constant as Lua source: quoted, with escapes; long strings are cut at 60 bytes.
    public static func quote(_ bytes: [UInt8], limit: Int = 60) -> String {
        var s = "\""
        for b in bytes.prefix(limit) {
            switch b {
            case 0x22: s += "\\\""
            case 0x5c: s += "\\\\"
            case 0x0a: s += "\\n"
            case 0x0d: s += "\\r"
            case 0x09: s += "\\t"
            case 0x20...0x7e: s.unicodeScalars.append(Unicode.Scalar(b))
            default: s += "\\" + String(b)
            }
        }
        s += "\""
        if bytes.count > limit { s += "..." }
        return s
    }

    /// A number as Lua 5.1 prints it (`%.14g`).
    public static func formatNumber(_ x: Double) -> String {
        var buf = [CChar](repeating: 0, count: 64)
        let n = buf.withUnsafeMutableBufferPointer { p in
            withVaList([x]) { vsnprintf(p.baseAddress, 64, "%.14g", $0) }
        }
        guard n > 0 else { return "\(x)" }
        return String(decoding: buf.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    private static func pad4(_ n: Int) -> String {
        n < 0 ? String(n) : leftPad(String(n), 4, with: "0")
    }

    private static func leftPad(_ s: String, _ w: Int, with c: Character = " ") -> String {
        s.utf8.count >= w ? s : String(repeating: c, count: w - s.utf8.count) + s
    }

    private static func rightPad(_ s: String, _ w: Int) -> String {
        s.utf8.count >= w ? s : s + String(repeating: " ", count: w - s.utf8.count)
    }
}
