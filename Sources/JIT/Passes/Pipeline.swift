// The pass pipeline, written down in one place (docs/jit.md, "Optimization passes").
//
//   while recording, per instruction (IRBuilder.emit):  Fold -> CSE -> append
//   when the trace is closed:                            LoopOpt (link == .loop) -> DCE
//
// With `verify` (the default in debug builds) the IR verifier runs on the recorded trace and after
// each end-of-trace pass; the problems come back prefixed by the stage that produced them, and an
// empty list means the trace is fine. The caller decides what a problem means (the engine should
// drop the trace rather than run it).
public enum PassPipeline {
    #if DEBUG
    public static let verifyByDefault = true
    #else
    public static let verifyByDefault = false
    #endif

    /// Runs the end-of-trace passes. Returns the verifier's problems (empty when not verifying).
    @discardableResult
    public static func finish(_ t: Trace, builder: IRBuilder, options: PassOptions,
                              verify: Bool = verifyByDefault) -> [String] {
        var problems: [String] = []
        func check(_ stage: String) {
            guard verify else { return }
            problems += IRVerifier.verify(t).map { "after \(stage): \($0)" }
        }
        check("recording")
        if options.loop && t.link == .loop {
            LoopOpt.run(t, builder: builder)
            check("loop")
        }
        if options.dce {
            DCE.run(t)
            check("dce")
        }
        return problems
    }
}
