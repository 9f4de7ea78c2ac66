// Names for values in error messages, derived from the bytecode and its debug information the way
// Lua's getobjname does it: "local 'x'", "global 'x'", "field 'x'", "method 'x'", "upvalue 'x'".
//
// The question is "where did register r get the value it holds at pc?". When r holds an active local
// variable at pc, the answer is its name. Otherwise the instruction that last wrote r is found by
// scanning backwards from pc (straight-line, ignoring jumps, as LuaJIT does: temporaries are written
// just before they are used, so the nearest writer is the right one). A MOV from a local forwards
// the question to that local; GGET, TGETS, SELF and UGET name the value; anything else (a call, a
// range instruction covering r) makes the value anonymous.
import Bytecode

enum DebugNames {
    /// (kind, name), e.g. ("global", "print"), or nil when the value has no name.
    static func slotName(_ p: Proto, pc: Int, slot: Int) -> (String, String)? {
        guard p.debug != nil, pc >= 0, pc <= p.code.count else { return nil }
        var slot = slot
        var pos = pc
        while true {
            if let n = p.localName(register: slot, pc: pos) { return ("local", n) }
            var found = false
            var i = pos - 1
            scan: while i >= 0 {
                let ins = p.code[i]
                guard let op = Opcode(rawValue: ins.opByte) else { return nil }
                let info = op.info
                let a = ins.a
                if op == .SELF {
                    if slot == a { return ("method", constString(p, ins.c)) }
                    if slot == a + 1 { return nil }
                    i -= 1
                    continue
                }
                switch info.a {
                case .base:
                    if op == .KNIL {
                        if slot >= a && slot <= ins.d { return nil }
                    } else if op == .LOOP || op == .FORLOOP || op == .ITERL || op == .UCLO || op == .SETLIST || op == .RET {
                        // do not write registers at or above A (FORLOOP writes A..A+3 only)
                        if op == .FORLOOP && slot >= a && slot <= a + 3 { return nil }
                    } else if slot >= a {
                        return nil
                    }
                case .dst:
                    if a == slot {
                        switch op {
                        case .MOV:
                            slot = ins.d
                            pos = i
                            found = true
                            break scan
                        case .GGET:
                            return ("global", constString(p, ins.d))
                        case .TGETS:
                            return ("field", constString(p, ins.c))
                        case .UGET:
                            return ("upvalue", upvalueName(p, ins.d))
                        default:
                            return nil
                        }
                    }
                    if op == .ISTC || op == .ISFC { /* conditional write of A */ }
                default:
                    if op == .SELF {
                        if slot == a { return ("method", constString(p, ins.c)) }
                        if slot == a + 1 { return nil }
                    }
                }
                i -= 1
            }
            if !found { return nil }
        }
    }

    static func constString(_ p: Proto, _ i: Int) -> String {
        if i < p.constants.count, case .string(let s) = p.constants[i] {
            return String(decoding: s, as: UTF8.self)
        }
        return "?"
    }

    static func upvalueName(_ p: Proto, _ i: Int) -> String {
        if let d = p.debug, i < d.upvalueNames.count { return d.upvalueNames[i] }
        return "?"
    }

    /// " local 'x'" style suffix for messages ("attempt to index local 'x' (a nil value)").
    static func describe(_ p: Proto, pc: Int, slot: Int) -> String? {
        guard let (kind, name) = slotName(p, pc: pc, slot: slot) else { return nil }
        return "\(kind) '\(name)'"
    }

    /// Display form of a chunk name: "@prog.lua" -> "prog.lua", "=stdin" -> "stdin",
    /// source text -> [string "first line..."].
    static func shortSource(_ source: String) -> String {
        if source.hasPrefix("@") || source.hasPrefix("=") { return String(source.dropFirst()) }
        let firstLine = source.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var s = firstLine
        let max = 60 - 15
        var truncated = firstLine.count < source.count
        if s.count > max { s = String(s.prefix(max)); truncated = true }
        return truncated ? "[string \"\(s)...\"]" : "[string \"\(s)\"]"
    }
}
