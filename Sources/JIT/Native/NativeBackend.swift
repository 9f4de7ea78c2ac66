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
    /// Memory every trace's code uses (kept alive by each trace's code as well).
    let shared = NativeShared()
    var callBuffer: UnsafeMutablePointer<UInt64> { shared.callBuffer }
    var exitState: UnsafeMutablePointer<UInt64> { shared.exitState }
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
        let cg = codeGen(t, ra, engine: engine)
        if case .trace(let n) = t.link, let target = engine.trace(n)?.code as? NativeTraceCode,
           target.generation == generation {
            cg.linkTarget = target.transferTarget
        }
        let gen = try cg.generate()
        let piece = try arena.install(gen.asm)
        let code = arena.bytes(at: piece.address, size: piece.size) ?? []
        let tc = NativeTraceCode(piece: piece, code: code, gen: gen, allocation: ra, generation: generation,
                                 arena: arena, shared: shared)
        tc.insOffsets = cg.insOffsets
        tc.commonExitOffset = cg.a.offset(of: cg.commonExit)
        return tc
    }

    func codeGen(_ t: Trace, _ ra: RegAllocation, engine: JITEngine) -> CodeGen {
        let ctx = UInt64(UInt(bitPattern: Unmanaged.passUnretained(engine.vm).toOpaque()))
        return CodeGen(t, ra, ctx: ctx, sse41: useSSE41, callBuffer: UInt64(UInt(bitPattern: callBuffer)))
    }

    /// Makes exit `exit` of `parent` jump straight into `side` (both compiled): installs the
    /// snapshot's slot writes, its inlined frames' call records and a transfer, and patches the
    /// exit stub's jump to them. Exits handing over multiple results keep going through the
    /// interpreter's state restore.
    public func attachSideTrace(_ side: Trace, parent: Trace, exit: Int, engine: JITEngine) {
        guard let arena = arena,
              let pc = parent.code as? NativeTraceCode, pc.generation == generation,
              let sc = side.code as? NativeTraceCode, sc.generation == generation,
              exit < parent.snapshots.count, CodeGen.canTransfer(parent.snapshots[exit]),
              let jumpOffset = pc.stubJumps[exit], let commonExit = pc.commonExitOffset else { return }
        do {
            let cg = codeGen(parent, pc.allocation, engine: engine)
            let asm = try cg.generateSideEntry(snap: exit, target: sc.transferTarget,
                                               commonExit: pc.piece.address + UInt64(commonExit))
            let piece = try arena.install(asm)
            try arena.patchRel32(at: pc.piece.address + UInt64(jumpOffset + 1), target: piece.address)
        } catch {
            // Out of code space or range: the exit keeps going through the interpreter.
        }
    }

    public func flush() {
        arena?.reset()
        generation += 1
    }
}

/// Buffers shared by all compiled traces of a backend: CALLN results (count, then values) and the
/// registers and spill slots at an exit (one trace may jump into another, so they share it).
final class NativeShared {
    let callBuffer = UnsafeMutablePointer<UInt64>.allocate(capacity: NativeHelpers.callArgsOffset + NativeHelpers.callnMaxArgs)
    let exitState: UnsafeMutablePointer<UInt64>
    init() {
        exitState = .allocate(capacity: 32 + nativeMaxSpills)
        exitState.initialize(repeating: 0, count: 32 + nativeMaxSpills)
    }
    deinit {
        callBuffer.deallocate()
        exitState.deallocate()
    }
}
