// Common-subexpression elimination at emit time.
struct CSEState {
    func lookup(_ ins: IRIns, in trace: Trace) -> IRRef? { nil }
    mutating func record(_ ins: IRIns, ref: IRRef, in trace: Trace) {}
}
