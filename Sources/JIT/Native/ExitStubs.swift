// Compiled traces and their exits.
//
// Every guard of a trace jumps to the stub of its snapshot (`mov eax, snapshot; jmp common`). The
// common exit stores all 16 GPRs and 16 XMM registers, then copies the spill slots, into the
// trace's exitState buffer (layout: GPR 0-15 at words 0-15, XMM 0-15 at words 16-31, spill slot k
// at word 32+k), restores the callee-saved registers and returns the snapshot number (ORed with
// `nativeEndFlag` when the trace simply reached its end). Because a value keeps one location for
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
    /// Arena generation the code belongs to (a flush invalidates it).
    let generation: Int
    /// Keeps the arena (and so the code) mapped while the trace exists.
    let arena: CodeArena
    /// Code offset of each IR instruction's code, then of the trace end (CodeGen.insOffsets).
    var insOffsets: [Int] = []
    /// Code offset of the common exit (after the stubs).
    var commonExitOffset: Int?

    init(piece: CodePiece, code: [UInt8], gen: GeneratedCode, generation: Int, arena: CodeArena) {
        self.piece = piece
        self.arena = arena
        self.code = code
        self.entry = unsafeBitCast(piece.pointer, to: TraceEntry.self)
        let words = 32 + gen.spillCount
        exitState = .allocate(capacity: words)
        exitState.initialize(repeating: 0, count: words)
        locations = gen.locations
        guardSites = gen.guardSites
        stubOffsets = gen.stubOffsets
        self.generation = generation
    }

    deinit { exitState.deallocate() }

    func run(base: UnsafeMutablePointer<Value>) -> TraceExit {
        let r = entry(UnsafeMutableRawPointer(base), UnsafeMutableRawPointer(exitState))
        if r & nativeEndFlag != 0 { return .end(snap: Int(r & ~nativeEndFlag)) }
        return .exit(snap: Int(r))
    }

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
