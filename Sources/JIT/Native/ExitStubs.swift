// Compiled traces and their exits.
//
// Every guard of a trace jumps to the stub of its snapshot (`jmp next; mov eax, id<<16|snapshot;
// jmp common`). The common exit stores all 16 GPRs and 16 XMM registers, then copies the spill
// slots, into the exitState buffer shared by all traces (layout: GPR 0-15 at words 0-15, XMM 0-15
// at words 16-31, spill slot k at word 32+k), restores the callee-saved registers and returns the
// trace id and snapshot number (ORed with `nativeEndFlag` when the trace simply reached its end).
//
// Traces continue in other traces without the interpreter when the state allows it (no multiple
// results to hand over): a trace linked to another ends by writing its last snapshot's slots,
// pushing the call records of its inlined frames (in machine code) and jumping past the other's
// prologue with its frame size set (CodeGen.emitTransfer); when a side trace is attached to an exit, a small piece of code doing the
// same for the exit's snapshot is installed and the stub's first jump is patched to it. When the
// frames do not fit (stack overflow) the piece exits with `nativeSlotsWrittenFlag`: the slots are
// on the stack already and the registers are no longer the exit's. The trace that finally exits names itself in the exit
// code, so the engine restores the state from *its* snapshot (`exitTraceID`). Because a value keeps one location for
// its whole life (RegAlloc.swift), `exitValue(ref)` is a lookup of that location in exitState;
// ExitRestore then boxes the values and rebuilds frames exactly as for the IR interpreter.
import Foundation
import Runtime

typealias TraceEntry = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32

final class NativeTraceCode: TraceCode, MachineCodeDumping {
    let piece: CodePiece
    let entry: TraceEntry
    let exitState: UnsafeMutablePointer<UInt64>
    let locations: [Loc]
    let code: [UInt8]
    let guardSites: [(offset: Int, snap: Int)]
    let stubOffsets: [(offset: Int, snap: Int)]
    let stubJumps: [Int: Int]
    /// Keeps the exit state and call buffer alive as long as the code.
    let shared: NativeShared
    /// What the side-trace entries need to write a snapshot from this trace's registers.
    let allocation: RegAllocation
    /// The trace that exited at the last run (this one or one it jumped to).
    private(set) var exitTraceID = 0
    private(set) var exitSlotsWritten = false
    /// Arena generation the code belongs to (a flush invalidates it).
    let generation: Int
    /// Keeps the arena (and so the code) mapped while the trace exists.
    let arena: CodeArena
    /// Code offset of each IR instruction's code, then of the trace end (CodeGen.insOffsets).
    var insOffsets: [Int] = []
    /// Code offset of the common exit (after the stubs).
    var commonExitOffset: Int?
    /// Where other traces continue in this one (CodeGen.emitTransfer).
    let transferTarget: TransferTarget

    init(piece: CodePiece, code: [UInt8], gen: GeneratedCode, allocation: RegAllocation, generation: Int,
         arena: CodeArena, shared: NativeShared) {
        self.piece = piece
        self.arena = arena
        self.code = code
        self.entry = unsafeBitCast(piece.pointer, to: TraceEntry.self)
        self.shared = shared
        self.exitState = shared.exitState
        self.allocation = allocation
        stubJumps = gen.stubJumps
        locations = gen.locations
        guardSites = gen.guardSites
        stubOffsets = gen.stubOffsets
        transferTarget = TransferTarget(body: piece.address + UInt64(gen.bodyOffset), frameSize: gen.frameSize)
        self.generation = generation
    }

    func run(base: UnsafeMutablePointer<Value>) -> TraceExit {
        let r = entry(UnsafeMutableRawPointer(base), UnsafeMutableRawPointer(exitState))
        exitTraceID = Int((r >> 16) & Int32(nativeMaxTraceID))
        exitSlotsWritten = r & nativeSlotsWrittenFlag != 0
        let snap = Int(r & Int32(nativeMaxSnapshot))
        if r & nativeEndFlag != 0 { return .end(snap: snap) }
        return .exit(snap: snap)
    }

    /// The base register at the last exit (RETF and transfers into inlined frames move it).
    var exitBase: UnsafeMutablePointer<Value>? { UnsafeMutablePointer<Value>(bitPattern: UInt(exitState[3])) }

    func exitValue(_ r: IRRef) -> UInt64 {
        if r < 0 || Int(r) >= locations.count { return 0 }
        switch locations[Int(r)] {
        case .gpr(let g): return exitState[Int(g.number)]
        case .xmm(let x): return exitState[16 + Int(x.number)]
        case .spill(let k): return exitState[32 + k]
        case .none: return 0
        }
    }

    var codeSize: Int { code.count }

    /// The disassembly (offsets from the trace start, so dumps carry no addresses), with each
    /// guard jump and exit stub marked with its snapshot.
    func dumpLines() -> [String] {
        guard let lines = X64Disassembly.lines(code: code, address: 0) else {
            return ["(objdump not available: \(code.count) bytes)"]
        }
        var guards: [Int: Int] = [:]
        for g in guardSites { guards[g.offset] = g.snap }
        var stubs: [Int: Int] = [:]
        for s in stubOffsets { stubs[s.offset] = s.snap }
        return lines.map { line in
            guard let colon = line.firstIndex(of: ":"), let off = Int(line[..<colon], radix: 16) else { return line }
            if let s = guards[off] { return line + "    ; -> exit \(s)" }
            if let s = stubs[off] { return line + "    ; exit \(s)" }
            return line
        }
    }
}
