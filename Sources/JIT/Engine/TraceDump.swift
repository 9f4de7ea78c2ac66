// Trace dumps (`--dump-traces[=b,i,s,m]`, docs/jit.md "Trace dumps"): for each trace its recorded
// bytecode (b), its IR (i) with snapshots (s), and its machine code (m). The text never contains
// addresses, so dumps of the same program are identical from run to run (the Traces/ goldens rely
// on it): object constants are shown by content (strings), by source position (functions) or by
// kind (tables).
import Bytecode
import CVM
import Runtime

public struct DumpOptions: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bytecode = DumpOptions(rawValue: 1)
    public static let ir = DumpOptions(rawValue: 2)
    public static let snapshots = DumpOptions(rawValue: 4)
    public static let machineCode = DumpOptions(rawValue: 8)
    public static let `default`: DumpOptions = [.bytecode, .ir, .snapshots]

    /// Parses "b,i,s,m" (any subset, in any order; empty means the default).
    public init?(letters: String) {
        if letters.isEmpty { self = .default; return }
        var o: DumpOptions = []
        for part in letters.split(separator: ",") {
            for ch in part {
                switch ch {
                case "b": o.insert(.bytecode)
                case "i": o.insert(.ir)
                case "s": o.insert(.snapshots)
                case "m": o.insert(.machineCode)
                default: return nil
                }
            }
        }
        self = o
    }
}

public enum TraceDump {
    public static func text(_ t: Trace, engine: JITEngine, options: DumpOptions) -> String {
        var out = "---- TRACE \(t.id) start \(engine.traceName(t))\n"
        if options.contains(.bytecode) {
            out += "---- TRACE \(t.id) bytecode\n"
            for (p, pc, depth) in t.bytecode {
                let proto = swiftProto(p)
                let ins = proto.map { Disassembler.instruction($0, pc: pc) } ?? "?"
                let line = proto?.line(at: pc).map(String.init) ?? "?"
                out += pad(String(pc), 4, zero: true) + " " + String(repeating: ". ", count: depth)
                    + ins + "  ; line " + line + "\n"
            }
        }
        if options.contains(.ir) {
            out += "---- TRACE \(t.id) IR\n"
            var snapAt: [Int: [Int]] = [:]
            for (i, s) in t.snapshots.enumerated() { snapAt[Int(s.ref), default: []].append(i) }
            for (i, ins) in t.ins.enumerated() {
                if options.contains(.snapshots), let ss = snapAt[i] {
                    for s in ss { out += snapshotLine(t, s, engine: engine) + "\n" }
                }
                out += insLine(t, i, ins, engine: engine) + "\n"
            }
            if options.contains(.snapshots), let ss = snapAt[t.ins.count] {
                for s in ss { out += snapshotLine(t, s, engine: engine) + "\n" }
            }
        }
        if options.contains(.machineCode), let mc = t.machineCode as? MachineCodeDumping {
            out += "---- TRACE \(t.id) mcode \(mc.codeSize) bytes\n"
            out += mc.dumpLines().joined(separator: "\n") + "\n"
        }
        out += "---- TRACE \(t.id) stop \(engine.linkText(t))\n"
        return out
    }

    static func swiftProto(_ p: ProtoRef) -> Proto? {
        guard let o = p.pointee.owner else { return nil }
        return Unmanaged<Proto>.fromOpaque(o).takeUnretainedValue()
    }

    static func pad(_ s: String, _ w: Int, zero: Bool = false) -> String {
        s.count >= w ? s : String(repeating: zero ? "0" : " ", count: w - s.count) + s
    }

    static func refText(_ t: Trace, _ r: IRRef, engine: JITEngine) -> String {
        if r == noRef { return "" }
        if r >= 0 { return pad(String(r), 4, zero: true) }
        return constText(t.consts[Int(~r)], engine: engine)
    }

    static func constText(_ k: IRConst, engine: JITEngine) -> String {
        switch k.type {
        case .num: return Disassembler.formatNumber(k.number)
        case .int: return "#" + String(k.intValue)
        case .nil: return "nil"
        case .false: return "false"
        case .true: return "true"
        case .str:
            let s = StringRef(OpaquePointer(UnsafeMutableRawPointer(bitPattern: UInt(k.bits)).unsafelyUnwrapped))
            return Disassembler.quote(Array(s.buffer))
        case .fn:
            let v = k.value
            if v.isLuaFunction, let p = v.luaFunction.pointee.proto {
                return "func:" + engine.location(p, 0).split(separator: ":").first.map(String.init)! + ":"
                    + String(swiftProto(p)?.lineDefined ?? 0)
            }
            if v.isNativeFunction {
                let id = Int(v.nativeFunction.pointee.builtin)
                return "builtin:" + (engine.fastFunctionNames[id] ?? engine.vm.jitBuiltin(v.nativeFunction).name)
            }
            return "func"
        case .tab: return "{table}"
        case .ptr: return k.bits == 0 ? "NULL" : "{ptr}"
        default: return "{\(k.type.name)}"
        }
    }

    static func insLine(_ t: Trace, _ i: Int, _ ins: IRIns, engine: JITEngine) -> String {
        var s = pad(String(i), 4, zero: true) + " " + (ins.isGuard ? ">" : " ") + " " + ins.type.name + " "
        s += ins.op.name + String(repeating: " ", count: max(1, 8 - ins.op.name.count))
        let info = ins.op.info
        var ops: [String] = []
        func add(_ mode: IROperandMode, _ v: IRRef, _ which: Int) {
            switch mode {
            case .none: break
            case .ref: ops.append(refText(t, v, engine: engine))
            case .lit:
                if ins.op == .FLOAD && which == 1 { ops.append(IRField(rawValue: v)?.name ?? "?") }
                else if ins.op == .FPMATH && which == 1 { ops.append(IRMathFn(rawValue: v)?.name ?? "?") }
                else if ins.op == .SLOAD { ops.append("#" + String(v)) }
                else { ops.append(String(v)) }
            }
        }
        add(info.a, ins.a, 0)
        add(info.b, ins.b, 1)
        add(info.c, ins.c, 2)
        s += ops.joined(separator: "  ")
        if ins.op == .LOOP { s = pad(String(i), 4, zero: true) + " ------ LOOP ------------" }
        return s.trailingSpacesTrimmed
    }

    static func snapshotLine(_ t: Trace, _ si: Int, engine: JITEngine) -> String {
        let s = t.snapshots[si]
        var parts: [String] = []
        var frameAt: [Int32: SnapFrame] = [:]
        for f in s.frames { frameAt[f.funcSlot] = f }
        for e in s.entries {
            parts.append("\(e.slot)=" + refText(t, e.ref, engine: engine))
        }
        var text = "....        SNAP   #\(si)   [ " + parts.joined(separator: " ") + " ]"
        if !s.frames.isEmpty {
            text += " frames " + s.frames.map { "\($0.funcSlot):" + refText(t, $0.closure, engine: engine) }.joined(separator: " ")
        }
        text += " pc=\(s.pc)"
        return text
    }
}

/// What a native backend's compiled trace offers the dumper.
public protocol MachineCodeDumping: AnyObject {
    var codeSize: Int { get }
    func dumpLines() -> [String]
}

extension String {
    var trailingSpacesTrimmed: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
