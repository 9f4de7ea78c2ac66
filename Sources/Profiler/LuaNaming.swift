// LuaNaming.swift: names Lua frames from the bytecode alone, for profiles.
//
// A profile wants one stable name per function, not the call-site name a traceback uses (the
// same function called through different variables would otherwise split). So functions are named
// where they are defined: the instruction after the FNEW that creates the closure says where it
// goes:
//   GSET  f            -> "f"          (function f() ... end)
//   TSETS T.f, T a global or local -> "T.f", or "T:f" when the first parameter is `self`
//   the FNEW's register is an active local at the next pc -> that local's name (local function f)
//   MOV into a register holding a local -> that local's name (f = function ... end, f local)
// Anything else (a function passed as an argument, stored in an array) is "(anonymous)"; the main
// chunk is "main chunk". With the source and defining line in every label, anonymous functions stay
// distinguishable. Stripped bytecode (no debug info) still gets global and field names.

import Bytecode

public final class BytecodeFrameNamer: LuaFrameNaming {
    private let protos: [UInt32: Proto]
    private var names: [ObjectIdentifier: String] = [:]
    private let builtins: [String]

    /// `protos`: the runtime's prototype ids (tj_proto.id) to their bytecode prototypes;
    /// `builtins`: library function names by builtin index (TJ_VMSTATE_LIBRARY samples).
    public init(protos: [UInt32: Proto], builtins: [String] = []) {
        self.protos = protos
        self.builtins = builtins
        var seen = Set<ObjectIdentifier>()
        for p in protos.values { nameChildren(of: p, seen: &seen) }
    }

    private func nameChildren(of p: Proto, seen: inout Set<ObjectIdentifier>) {
        guard seen.insert(ObjectIdentifier(p)).inserted else { return }
        for (pc, ins) in p.code.enumerated() where ins.opByte == Opcode.FNEW.rawValue {
            let d = ins.d
            guard d < p.protos.count else { continue }
            let child = p.protos[d]
            if names[ObjectIdentifier(child)] == nil, let n = BytecodeFrameNamer.definitionName(p, pc: pc, child: child) {
                names[ObjectIdentifier(child)] = n
            }
        }
        for c in p.protos { nameChildren(of: c, seen: &seen) }
    }

    public func luaFrame(proto: UInt32, pc: UInt32) -> LuaFrameInfo? {
        guard let p = protos[proto] else { return nil }
        return LuaFrameInfo(name: name(of: p), source: BytecodeFrameNamer.displaySource(p.source),
                            line: p.line(at: Int(pc)) ?? 0, definedLine: p.lineDefined)
    }

    /// A chunk name as profiles show it: "@prog.lua" -> "prog.lua", "=stdin" -> "stdin", source
    /// text -> [string "first line..."] (as Lua's messages abbreviate it).
    public static func displaySource(_ chunk: String) -> String {
        if chunk.hasPrefix("@") || chunk.hasPrefix("=") { return String(chunk.dropFirst()) }
        let first = chunk.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let cut = first.count > 40 || first.count < chunk.count
        return "[string \"" + String(first.prefix(40)) + (cut ? "..." : "") + "\"]"
    }

    public func builtinName(_ id: UInt32) -> String? { Int(id) < builtins.count ? builtins[Int(id)] : nil }

    public func name(of p: Proto) -> String {
        if let n = names[ObjectIdentifier(p)] { return n }
        return p.lineDefined == 0 ? "main chunk" : "(anonymous)"
    }

    static func string(_ p: Proto, _ k: Int) -> String? {
        guard k >= 0, k < p.constants.count, case .string(let b) = p.constants[k] else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    /// Name of the value in register `r` just before `pc`: an active local, or the global / upvalue
    /// most recently loaded into it.
    static func registerName(_ p: Proto, pc: Int, register r: Int) -> String? {
        if let n = p.localName(register: r, pc: pc) { return n }
        var i = pc - 1
        while i >= 0 {
            let ins = p.code[i]
            if let op = Opcode(rawValue: ins.opByte), op.info.a == .dst, ins.a == r {
                switch op {
                case .GGET: return string(p, ins.d)
                case .UGET:
                    if let names = p.debug?.upvalueNames, ins.d < names.count { return names[ins.d] }
                    return nil
                default: return nil
                }
            }
            i -= 1
        }
        return nil
    }

    static func definitionName(_ p: Proto, pc: Int, child: Proto) -> String? {
        let a = p.code[pc].a
        if pc + 1 < p.code.count, let op = Opcode(rawValue: p.code[pc + 1].opByte) {
            let next = p.code[pc + 1]
            switch op {
            case .GSET where next.a == a:
                return string(p, next.d)
            case .TSETS where next.a == a:
                guard let field = string(p, next.c) else { return nil }
                let method = child.numParams >= 1 && child.localName(register: 0, pc: 0) == "self"
                let table = registerName(p, pc: pc, register: next.b) ?? "?"
                return table + (method ? ":" : ".") + field
            case .MOV where next.d == a:
                if let n = p.localName(register: next.a, pc: pc + 2) { return n }
            default: break
            }
        }
        return p.localName(register: a, pc: pc + 1)
    }
}
