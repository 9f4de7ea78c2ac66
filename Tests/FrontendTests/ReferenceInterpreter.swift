// A small, slow reference interpreter for compiled prototypes, used only by the tests to check that
// the generated code means what the source means (outputs compared with luajit's). It follows
// docs/bytecode.md for the instructions the front end emits; metamethods, coroutines and most of
// the library are out of scope. Registers are boxes so that closures can share them while open;
// closing a slot (UCLO, or leaving the frame) gives the slot a fresh box.
import Foundation
import Bytecode
@testable import Frontend

final class LTable {
    var items: [LValue: LValue] = [:]
    func get(_ k: LValue) -> LValue { items[k.normalizedKey] ?? .nilV }
    func set(_ k: LValue, _ v: LValue) throws {
        if case .nilV = k { throw LuaRuntimeError.message("table index is nil") }
        if case .num(let d) = k, d.isNaN { throw LuaRuntimeError.message("table index is NaN") }
        if case .nilV = v { items[k.normalizedKey] = nil } else { items[k.normalizedKey] = v }
    }
    var border: Int {
        var n = 0
        while items[.num(Double(n + 1))] != nil { n += 1 }
        return n
    }
}

final class Box { var v: LValue; init(_ v: LValue) { self.v = v } }

final class LClosure {
    let proto: Proto
    var upvals: [Box]
    init(_ p: Proto, _ u: [Box]) { proto = p; upvals = u }
}

final class Builtin {
    let name: String
    let fn: ([LValue]) throws -> [LValue]
    init(_ n: String, _ f: @escaping ([LValue]) throws -> [LValue]) { name = n; fn = f }
}

enum LuaRuntimeError: Error { case message(String) }

enum LValue: Hashable {
    case nilV, bool(Bool), num(Double), str(String), table(LTable), closure(LClosure), builtin(Builtin)

    static func == (l: LValue, r: LValue) -> Bool {
        switch (l, r) {
        case (.nilV, .nilV): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.num(a), .num(b)): return a == b
        case let (.str(a), .str(b)): return a == b
        case let (.table(a), .table(b)): return a === b
        case let (.closure(a), .closure(b)): return a === b
        case let (.builtin(a), .builtin(b)): return a === b
        default: return false
        }
    }

    func hash(into h: inout Hasher) {
        switch self {
        case .nilV: h.combine(0)
        case .bool(let b): h.combine(b)
        case .num(let d): h.combine(d)
        case .str(let s): h.combine(s)
        case .table(let t): h.combine(ObjectIdentifier(t))
        case .closure(let c): h.combine(ObjectIdentifier(c))
        case .builtin(let b): h.combine(ObjectIdentifier(b))
        }
    }

    var normalizedKey: LValue { if case .num(let d) = self, d == 0 { return .num(0) }; return self }
    var truthy: Bool {
        switch self {
        case .nilV: return false
        case .bool(let b): return b
        default: return true
        }
    }
    var typeName: String {
        switch self {
        case .nilV: return "nil"
        case .bool: return "boolean"
        case .num: return "number"
        case .str: return "string"
        case .table: return "table"
        default: return "function"
        }
    }
}

func formatNumber(_ d: Double) -> String {
    if d.isNaN { return "nan" }  // luajit prints every NaN as "nan"
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    return String(format: "%.14g", d)
}

func toStr(_ v: LValue) -> String {
    switch v {
    case .nilV: return "nil"
    case .bool(let b): return b ? "true" : "false"
    case .num(let d): return formatNumber(d)
    case .str(let s): return s
    case .table: return "table"
    default: return "function"
    }
}

final class ReferenceInterpreter {
    var globals = LTable()
    var output = ""
    private var depth = 0
    var budget = 5_000_000  // instructions, so a looping program ends

    init() {
        func reg(_ n: String, _ f: @escaping ([LValue]) throws -> [LValue]) {
            try? globals.set(.str(n), .builtin(Builtin(n, f)))
        }
        reg("print") { [unowned self] a in
            self.output += a.map(toStr).joined(separator: "\t") + "\n"
            return []
        }
        reg("tostring") { a in [.str(toStr(a.first ?? .nilV))] }
        reg("type") { a in [.str((a.first ?? .nilV).typeName)] }
        reg("select") { a in
            guard let first = a.first else { return [] }
            if case .str("#") = first { return [.num(Double(a.count - 1))] }
            guard case .num(let n) = first else { throw LuaRuntimeError.message("bad argument to select") }
            let i = Int(n)
            return i < a.count ? Array(a[i...]) : []
        }
        reg("error") { a in throw LuaRuntimeError.message(toStr(a.first ?? .nilV)) }
        reg("ipairs") { a in
            let iter = Builtin("ipairs_iter") { s in
                guard case .table(let t) = s[0], case .num(let i) = s[1] else { return [.nilV] }
                let v = t.get(.num(i + 1))
                if case .nilV = v { return [.nilV] }
                return [.num(i + 1), v]
            }
            return [.builtin(iter), a.first ?? .nilV, .num(0)]
        }
        reg("pairs") { a in
            guard case .table(let t) = a.first ?? .nilV else { throw LuaRuntimeError.message("pairs: not a table") }
            // Deterministic order: array part, then other keys sorted by their text.
            let n = t.border
            var keys: [LValue] = (0..<n).map { .num(Double($0 + 1)) }
            let rest = t.items.keys.filter { k in
                if case .num(let d) = k, d >= 1, d <= Double(n), d == d.rounded() { return false }
                return true
            }.sorted { toStr($0) < toStr($1) }
            keys += rest
            var i = 0
            let iter = Builtin("pairs_iter") { _ in
                guard i < keys.count else { return [.nilV] }
                defer { i += 1 }
                return [keys[i], t.get(keys[i])]
            }
            return [.builtin(iter), a[0], .nilV]
        }
        reg("unpack") { a in
            guard case .table(let t) = a.first ?? .nilV else { return [] }
            return (0..<t.border).map { t.get(.num(Double($0 + 1))) }
        }
    }

    func run(_ p: Proto) throws -> String {
        _ = try call(.closure(LClosure(p, [])), [])
        return output
    }

    func call(_ f: LValue, _ args: [LValue]) throws -> [LValue] {
        switch f {
        case .builtin(let b): return try b.fn(args)
        case .closure(let c):
            depth += 1
            defer { depth -= 1 }
            if depth > 180 { throw LuaRuntimeError.message("stack overflow") }
            return try execute(c, args)
        default:
            throw LuaRuntimeError.message("attempt to call a \(f.typeName) value")
        }
    }

    private func arith(_ op: Int, _ a: LValue, _ b: LValue) throws -> LValue {
        func num(_ v: LValue) throws -> Double {
            switch v {
            case .num(let d): return d
            case .str(let s): if let d = Double(s.trimmingCharacters(in: .whitespaces)) { return d }
            default: break
            }
            throw LuaRuntimeError.message("attempt to perform arithmetic on a \(v.typeName) value")
        }
        let x = try num(a), y = try num(b)
        switch op {
        case 0: return .num(x + y)
        case 1: return .num(x - y)
        case 2: return .num(x * y)
        case 3: return .num(x / y)
        case 4: return .num(x - (x / y).rounded(.down) * y)
        default: return .num(pow(x, y))
        }
    }

    private func less(_ a: LValue, _ b: LValue, orEqual: Bool) throws -> Bool {
        switch (a, b) {
        case let (.num(x), .num(y)): return orEqual ? x <= y : x < y
        case let (.str(x), .str(y)): return orEqual ? Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) || x == y
                                                    : Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        default: throw LuaRuntimeError.message("attempt to compare \(a.typeName) with \(b.typeName)")
        }
    }

    private func index(_ t: LValue, _ k: LValue) throws -> LValue {
        guard case .table(let tt) = t else { throw LuaRuntimeError.message("attempt to index a \(t.typeName) value") }
        return tt.get(k)
    }

    private func setIndex(_ t: LValue, _ k: LValue, _ v: LValue) throws {
        guard case .table(let tt) = t else { throw LuaRuntimeError.message("attempt to index a \(t.typeName) value") }
        try tt.set(k, v)
    }

    private func execute(_ cl: LClosure, _ args: [LValue]) throws -> [LValue] {
        let p = cl.proto
        let code = p.code
        var r = (0..<max(p.frameSize, 1)).map { _ in Box(.nilV) }
        for i in 0..<min(p.numParams, args.count) { r[i].v = args[i] }
        let varargs = args.count > p.numParams ? Array(args[p.numParams...]) : []
        var top = 0
        var multi: [LValue] = []  // values "up to top" (from a CALL C=0 / VARG B=0)
        func k(_ i: Int) -> LValue {
            switch p.constants[i] {
            case .number(let d): return .num(d)
            case .string(let s): return .str(String(decoding: s, as: UTF8.self))
            }
        }
        func close(_ from: Int) { for i in from..<r.count { r[i] = Box(r[i].v) } }
        func rangeArgs(_ a: Int, _ b: Int) -> [LValue] {
            if b == 0 { return (a..<top).map { r[$0].v } + multi }
            return (a..<(a + b - 1)).map { r[$0].v }
        }
        func place(_ a: Int, _ c: Int, _ res: [LValue]) {
            if c == 0 {
                // Results into registers while they fit; the rest kept aside as "up to top".
                let fit = max(0, min(res.count, r.count - a))
                for i in 0..<fit { r[a + i].v = res[i] }
                top = a + fit
                multi = Array(res[fit...])
            } else {
                for i in 0..<(c - 1) { r[a + i].v = i < res.count ? res[i] : .nilV }
            }
        }
        var pc = 0
        while true {
            let i = code[pc]
            pc += 1
            budget -= 1
            if budget < 0 { throw LuaRuntimeError.message("instruction budget exhausted") }
            let a = i.a
            switch i.op {
            case .ISLT, .ISNLT, .ISLE, .ISNLE:
                let lt = try less(r[a].v, r[i.d].v, orEqual: i.op == .ISLE || i.op == .ISNLE)
                let holds = (i.op == .ISLT || i.op == .ISLE) ? lt : !lt
                if holds { pc += 1 + code[pc].jumpOffset } else { pc += 1 }
            case .ISEQV, .ISNEV, .ISEQS, .ISNES, .ISEQN, .ISNEN, .ISEQP, .ISNEP:
                let rhs: LValue
                switch i.op {
                case .ISEQV, .ISNEV: rhs = r[i.d].v
                case .ISEQS, .ISNES, .ISEQN, .ISNEN: rhs = k(i.d)
                default: rhs = i.d == 0 ? .nilV : .bool(i.d == 2)
                }
                let eq = r[a].v == rhs
                let holds = (i.op.rawValue & 1) == 0 ? eq : !eq
                if holds { pc += 1 + code[pc].jumpOffset } else { pc += 1 }
            case .IST, .ISF, .ISTC, .ISFC:
                let v = r[i.d].v
                let holds = (i.op == .IST || i.op == .ISTC) ? v.truthy : !v.truthy
                if holds {
                    if i.op == .ISTC || i.op == .ISFC { r[a].v = v }
                    pc += 1 + code[pc].jumpOffset
                } else { pc += 1 }
            case .MOV: r[a].v = r[i.d].v
            case .NOT: r[a].v = .bool(!r[i.d].v.truthy)
            case .UNM:
                let v = r[i.d].v
                if case .num(let d) = v { r[a].v = .num(-d) } else { r[a].v = try arith(1, .num(0), v) }
            case .LEN:
                switch r[i.d].v {
                case .str(let s): r[a].v = .num(Double(s.utf8.count))
                case .table(let t): r[a].v = .num(Double(t.border))
                default: throw LuaRuntimeError.message("attempt to get length")
                }
            case .ADDVN, .SUBVN, .MULVN, .DIVVN, .MODVN, .POWVN:
                r[a].v = try arith(Int(i.op.rawValue - Opcode.ADDVN.rawValue), r[i.b].v, k(i.c))
            case .ADDNV, .SUBNV, .MULNV, .DIVNV, .MODNV, .POWNV:
                r[a].v = try arith(Int(i.op.rawValue - Opcode.ADDNV.rawValue), k(i.c), r[i.b].v)
            case .ADDVV, .SUBVV, .MULVV, .DIVVV, .MODVV, .POWVV:
                r[a].v = try arith(Int(i.op.rawValue - Opcode.ADDVV.rawValue), r[i.b].v, r[i.c].v)
            case .CAT:
                var s = ""
                for j in i.b...i.c {
                    switch r[j].v {
                    case .str(let x): s += x
                    case .num(let d): s += formatNumber(d)
                    default: throw LuaRuntimeError.message("attempt to concatenate a \(r[j].v.typeName) value")
                    }
                }
                r[a].v = .str(s)
            case .KSTR, .KNUM: r[a].v = k(i.d)
            case .KSHORT: r[a].v = .num(Double(i.sd))
            case .KPRI: r[a].v = i.d == 0 ? .nilV : .bool(i.d == 2)
            case .KNIL: for j in a...i.d { r[j].v = .nilV }
            case .UGET: r[a].v = cl.upvals[i.d].v
            case .USET: cl.upvals[a].v = r[i.d].v
            case .UCLO:
                close(a)
                pc += i.jumpOffset
            case .FNEW:
                let child = p.protos[i.d]
                let ups = child.upvalues.map { $0.inParentFrame ? r[$0.index] : cl.upvals[$0.index] }
                r[a].v = .closure(LClosure(child, ups))
            case .TNEW: r[a].v = .table(LTable())
            case .GGET: r[a].v = globals.get(k(i.d))
            case .GSET: try globals.set(k(i.d), r[a].v)
            case .TGETV: r[a].v = try index(r[i.b].v, r[i.c].v)
            case .TGETS: r[a].v = try index(r[i.b].v, k(i.c))
            case .TGETB: r[a].v = try index(r[i.b].v, .num(Double(i.c)))
            case .TSETV: try setIndex(r[i.b].v, r[i.c].v, r[a].v)
            case .TSETS: try setIndex(r[i.b].v, k(i.c), r[a].v)
            case .TSETB: try setIndex(r[i.b].v, .num(Double(i.c)), r[a].v)
            case .SETLIST:
                var batch = i.c
                if batch == 0 { batch = code[pc].a << 16 | code[pc].d; pc += 1 }
                let vals = rangeArgs(a + 1, i.b)
                guard case .table(let t) = r[a].v else { throw LuaRuntimeError.message("SETLIST on non-table") }
                for (j, v) in vals.enumerated() { try t.set(.num(Double((batch - 1) * 50 + j + 1)), v) }
            case .CALL:
                let res = try call(r[a].v, rangeArgs(a + 1, i.b))
                place(a, i.c, res)
            case .TAILCALL:
                return try call(r[a].v, rangeArgs(a + 1, i.b))
            case .ITERC:
                r[a].v = r[a - 3].v; r[a + 1].v = r[a - 2].v; r[a + 2].v = r[a - 1].v
                let res = try call(r[a].v, [r[a + 1].v, r[a + 2].v])
                place(a, i.c, res)
            case .ITERL:
                if case .nilV = r[a].v {} else { r[a - 1].v = r[a].v; pc += i.jumpOffset }
            case .VARG:
                place(a, i.b, varargs)
            case .SELF:
                let o = r[i.b].v
                r[a + 1].v = o
                r[a].v = try index(o, k(i.c))
            case .RET: return rangeArgs(a, i.b)
            case .RET0: return []
            case .RET1: return [r[a].v]
            case .FORPREP:
                guard case .num(let start) = r[a].v, case .num(let limit) = r[a + 1].v, case .num(let step) = r[a + 2].v else {
                    throw LuaRuntimeError.message("'for' value must be a number")
                }
                if step > 0 ? start <= limit : start >= limit { r[a + 3].v = .num(start) } else { pc += i.jumpOffset }
            case .FORLOOP:
                guard case .num(let idx) = r[a].v, case .num(let limit) = r[a + 1].v, case .num(let step) = r[a + 2].v else { break }
                let n = idx + step
                r[a].v = .num(n)
                if step > 0 ? n <= limit : n >= limit { r[a + 3].v = .num(n); pc += i.jumpOffset }
            case .LOOP: break
            case .JMP: pc += i.jumpOffset
            case .EXTRAARG: break
            }
        }
    }
}

/// Compiles and runs a program with the reference interpreter; returns its output (or the error).
func runLua(_ src: String) -> String {
    do {
        let p = try compileLua(src)
        let problems = structuralProblems(p)
        if !problems.isEmpty { return "STRUCTURE: \(problems)" }
        return try ReferenceInterpreter().run(p)
    } catch let e as SyntaxError {
        return "SYNTAX: \(e.message)"
    } catch let LuaRuntimeError.message(m) {
        return "RUNTIME: \(m)"
    } catch {
        return "ERROR: \(error)"
    }
}
