// NativeBackend: the x86-64 backend of the trace JIT (`--jit-backend=native`).
//
// compile(trace) = register allocation (RegAlloc.swift, linear scan) + code generation
// (CodeGen.swift, one pass, helpers from Helpers.swift for the complex instructions) + exit stubs
// (ExitStubs.swift), installed in a W^X CodeArena whose size is the `maxmcode` budget. A trace
// with anything the backend does not handle is refused with a reason (the engine then runs it on
// the IR interpreter), so every trace either runs as machine code with the IR interpreter's exact
// semantics or not at all. `flush()` drops all code at once.
import Runtime

public final class NativeBackend: NativeCompiler {
    var arena: CodeArena?
    var budget: Int
    var generation = 0
    /// CALLN results (count, then values), shared by every trace; lives as long as the backend.
    let callBuffer = UnsafeMutablePointer<UInt64>.allocate(capacity: NativeHelpers.callBufferResults + 1)
    /// SSE4.1 (roundsd) may be used; tests turn it off to check the fallback paths.
    public var useSSE41: Bool = X64CPU.hasSSE41

    /// `budgetKB`: the machine-code budget (the arena is reserved lazily at the first compile).
    public init(budgetKB: Int = 32768) {
        budget = max(64, budgetKB) * 1024
    }

    public func compile(_ t: Trace, engine: JITEngine) throws -> TraceCode {
        if arena == nil {
            arena = try CodeArena(capacity: max(budget, engine.params.maxmcode * 1024))
        }
        guard let arena = arena else { throw NativeUnsupported("no code arena") }
        if t.snapshots.isEmpty { throw NativeUnsupported("trace without snapshots") }
        let ra = LinearScan.allocate(t)
        let ctx = UInt64(UInt(bitPattern: Unmanaged.passUnretained(engine.vm).toOpaque()))
        let cg = CodeGen(t, ra, ctx: ctx, sse41: useSSE41,
                         callBuffer: UInt64(UInt(bitPattern: callBuffer)))
        let gen = try cg.generate()
        let piece = try arena.install(gen.asm)
        let code = arena.bytes(at: piece.address, size: piece.size) ?? []
        let tc = NativeTraceCode(piece: piece, code: code, gen: gen, generation: generation, arena: arena)
        tc.insOffsets = cg.insOffsets
        tc.commonExitOffset = cg.a.offset(of: cg.commonExit)
        return tc
    }

    deinit { callBuffer.deallocate() }

    public func flush() {
        arena?.reset()
        generation += 1
    }
}
