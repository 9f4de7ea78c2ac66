// Lua errors: the Swift error type that carries a Lua value, runtime error messages with positions
// and variable names, and stack tracebacks in Lua's style.
import Bytecode
import CVM

/// A Lua error in flight: any Lua value (usually a message string with a "chunk:line:" prefix).
public struct LuaError: Error, CustomStringConvertible {
    public var value: Value
    /// The message as text (for strings and numbers; other values print as "(error object is a X value)").
    public var message: String
    public init(value: Value, message: String) {
        self.value = value
        self.message = message
    }
    public var description: String { message }
}

/// os.exit: unwinds everything (not catchable by pcall).
public struct LuaExit: Error {
    public var status: Int32
}

extension LuaVM {
    /// Source position "chunk:line:" of a Lua frame's current instruction, or nil for natives.
    func position(of ci: UnsafeMutablePointer<CallInfo>) -> String? {
        guard let cl = ci.pointee.closure, let p = cl.pointee.proto else { return nil }
        guard let proto = swiftProto(p) else { return nil }
        let code = p.pointee.code.unsafelyUnwrapped
        let pcIndex = ci.pointee.pc - code - 1
        let line = proto.line(at: pcIndex).map(String.init) ?? "?"
        return "\(DebugNames.shortSource(proto.source)):\(line):"
    }

    func makeError(_ msg: String) -> LuaError {
        let v = internString(msg)
        return LuaError(value: v, message: msg)
    }

    /// A runtime error raised at the current instruction of frame `ci` (or of the innermost Lua
    /// frame when ci is nil or native).
    func runtimeError(_ msg: String, ci: UnsafeMutablePointer<CallInfo>?) -> LuaError {
        var frame = ci
        if frame == nil {
            let co = coState(currentThread)
            if co.pointee.ciCount > 0 { frame = co.pointee.cis + (co.pointee.ciCount - 1) }
        }
        if let f = frame, let pos = position(of: f) {
            return makeError("\(pos) \(msg)")
        }
        // A native frame: the position of its caller when that is a Lua frame (as luaL_error's
        // level 1); none when called from a native (pcall) or by a tail call.
        if let f = frame, f.pointee.flags & CIFlag.tail == 0 {
            let co = coState(currentThread)
            let i = f - co.pointee.cis - 1
            if i >= 0, let pos = position(of: co.pointee.cis + i) { return makeError("\(pos) \(msg)") }
        }
        return makeError(msg)
    }

    /// "attempt to <op> <name> (a <type> value)" with the value's name derived from the bytecode.
    func typeError(_ v: Value, _ op: String, ci: UnsafeMutablePointer<CallInfo>, slot: Int) -> LuaError {
        if slot >= 0, let name = slotDescription(ci: ci, slot: slot) {
            return runtimeError("attempt to \(op) \(name) (a \(v.typeName) value)", ci: ci)
        }
        return runtimeError("attempt to \(op) a \(v.typeName) value", ci: ci)
    }

    func slotDescription(ci: UnsafeMutablePointer<CallInfo>, slot: Int) -> String? {
        guard let cl = ci.pointee.closure, let p = cl.pointee.proto, let proto = swiftProto(p) else { return nil }
        let pcIndex = ci.pointee.pc - p.pointee.code.unsafelyUnwrapped - 1
        return DebugNames.describe(proto, pc: pcIndex, slot: slot)
    }

    /// The error message for values that are not strings or numbers.
    func errorText(_ v: Value) -> String {
        if v.isString { return v.string.string }
        if v.isNumber { return NumberText.format(v.number) }
        let mm = metamethod(of: v, .tostring)
        if !mm.isNil, let r = try? call(mm, [v], wanted: 1), let s = r.first, s.isString {
            return s.string.string
        }
        if v.isNil { return "nil" }
        return "(error object is a \(v.typeName) value)"
    }

    /// The call record `level` levels below the running native (1 = its caller), counting the
    /// pcall/xpcall native that an in-loop protected frame stands for; nil for a native level.
    func frame(atLevel level: Int, _ co: CoPtr) -> UnsafeMutablePointer<CallInfo>? {
        var i = co.pointee.ciCount - 1
        var l = 0
        while i >= 0 {
            if co.pointee.cis[i].flags & (CIFlag.pcall | CIFlag.xpcall) != 0 {
                l += 1  // the pcall native this protected frame stands for
                if l == level { return nil }
            }
            i -= 1
            if i < 0 { return nil }
            l += 1
            if l == level { return co.pointee.cis + i }
        }
        return nil
    }

    // MARK: tracebacks

    /// "stack traceback:\n\t..." for the frames of coroutine L from the top down.
    func traceback(_ L: ThreadRef, from top: Int? = nil) -> String {
        let co = coState(L)
        var lines = ["stack traceback:"]
        var i = (top ?? co.pointee.ciCount) - 1
        var entries: [String] = []
        while i >= 0 {
            let ci = co.pointee.cis + i
            entries.append(describeFrame(co, ci))
            if ci.pointee.flags & CIFlag.tail != 0 { entries.append("(tail call): ?") }
            i -= 1
        }
        if entries.count > 22 {
            entries = Array(entries.prefix(11)) + ["..."] + Array(entries.suffix(10))
        }
        lines += entries.map { "\t" + $0 }
        return lines.joined(separator: "\n")
    }

    func describeFrame(_ co: CoPtr, _ ci: UnsafeMutablePointer<CallInfo>) -> String {
        if let cl = ci.pointee.closure, let p = cl.pointee.proto, let proto = swiftProto(p) {
            let pos = position(of: ci) ?? "?:"
            if proto.lineDefined == 0 { return "\(pos) in main chunk" }
            if let name = calledName(co, ci) { return "\(pos) in function '\(name)'" }
            return "\(pos) in function <\(DebugNames.shortSource(proto.source)):\(proto.lineDefined)>"
        }
        let f = ci.pointee.fn.pointee
        if f.isNativeFunction {
            let id = Int(f.nativeFunction.pointee.builtin)
            if id < builtins.count { return "[C]: in function '\(builtins[id].name)'" }
        }
        return "[C]: ?"
    }

    /// How the caller named the function of frame `ci` ("f", "t.m" style is reduced to the last name
    /// as Lua 5.1 does), from the CALL instruction in the calling frame.
    func calledName(_ co: CoPtr, _ ci: UnsafeMutablePointer<CallInfo>) -> String? {
        if ci.pointee.flags & CIFlag.tail != 0 { return nil }
        let idx = ci - co.pointee.cis
        guard idx > 0 else { return nil }
        let caller = co.pointee.cis + (idx - 1)
        guard let cl = caller.pointee.closure, let p = cl.pointee.proto, let proto = swiftProto(p) else { return nil }
        let pcIndex = caller.pointee.pc - p.pointee.code.unsafelyUnwrapped - 1
        guard pcIndex >= 0, pcIndex < proto.code.count else { return nil }
        let ins = proto.code[pcIndex]
        guard ins.op == .CALL || ins.op == .TAILCALL || ins.op == .ITERC else { return nil }
        if ins.op == .ITERC { return nil }
        if ci.pointee.flags & (CIFlag.pcall | CIFlag.xpcall) != 0 { return nil }
        return DebugNames.slotName(proto, pc: pcIndex, slot: ins.a)?.1
    }
}
