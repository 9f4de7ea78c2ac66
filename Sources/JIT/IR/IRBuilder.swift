// IRBuilder: how the recorder appends instructions. Every instruction goes through the emit-time
// passes first (constant folding and algebraic simplification in Fold.swift, then common-
// subexpression elimination in CSE.swift), so the recorder never needs to know whether its operands
// are constants or already computed.
import Runtime

public enum FoldResult: Equatable {
    /// Emit this instruction (possibly rewritten).
    case emit(IRIns)
    /// The instruction's value is this existing reference (a constant or an earlier instruction).
    case ref(IRRef)
    /// A guard that always holds (all operands constant and the condition true): nothing to emit.
    case dropGuard
}

public struct PassOptions: Sendable, Equatable {
    public var fold = true
    public var cse = true
    public var dce = true
    public var loop = true
    public init() {}
    public static let none: PassOptions = { var o = PassOptions(); o.fold = false; o.cse = false; o.dce = false; o.loop = false; return o }()
}

public final class IRBuilder {
    public let trace: Trace
    public var options: PassOptions
    var cse: CSEState

    public init(trace: Trace, options: PassOptions = PassOptions()) {
        self.trace = trace
        self.options = options
        self.cse = CSEState()
    }

    public func const(_ k: IRConst) -> IRRef { trace.const(k) }
    public func num(_ d: Double) -> IRRef { trace.const(.num(d)) }
    public func int(_ i: Int32) -> IRRef { trace.const(.int(i)) }
    /// The constant of a value of a singleton type (nil/false/true).
    public func singleton(_ t: IRType) -> IRRef { trace.const(IRConst(t, 0)) }

    /// Appends an instruction through the emit-time passes and returns the reference of its value.
    /// Guards refer to the current last snapshot.
    @discardableResult
    public func emit(_ ins0: IRIns) -> IRRef {
        var ins = ins0
        if ins.isGuard || ins.op.info.flags.contains(.alwaysGuard) {
            ins.flags |= IRIns.guardFlag
            ins.snap = Int32(trace.snapshots.count - 1)
        }
        if options.fold {
            switch Fold.simplify(ins, in: trace) {
            case .emit(let i): ins = i
            case .ref(let r): return r
            case .dropGuard: return noRef
            }
        }
        if options.cse, let r = cse.lookup(ins, in: trace) { return r }
        let r = IRRef(trace.ins.count)
        trace.ins.append(ins)
        if options.cse { cse.record(ins, ref: r, in: trace) }
        return r
    }

    /// Appends without any pass (LOOP markers, PHIs, copied instructions of later passes).
    @discardableResult
    public func emitRaw(_ ins: IRIns) -> IRRef {
        let r = IRRef(trace.ins.count)
        trace.ins.append(ins)
        return r
    }
}
