// Mutation fuzzing of the reader and verifier: damaged copies of valid files must either load or
// be rejected with a BytecodeError; never trap, hang or allocate beyond the input's size. Whatever
// the reader accepts must write back to the very same bytes (every encoding is canonical).
import Foundation
import XCTest
@testable import Bytecode
import Frontend

/// Iterations per fuzz test; TRACEJIT_FUZZ_SCALE=100 runs a long campaign.
let fuzzScale = Int(ProcessInfo.processInfo.environment["TRACEJIT_FUZZ_SCALE"] ?? "") ?? 1

/// SplitMix64 (Steele, Lea, Flood 2014): a small, fast, well-mixed deterministic generator.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

final class FuzzTests: XCTestCase {
    func mutate(_ input: [UInt8], _ others: [[UInt8]], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        let interesting: [UInt8] = [0, 1, 0x7f, 0x80, 0xff, 0xfe, 0x40, 200, 250, 251]
        let rounds = Int.random(in: 1...3, using: &rng)
        for _ in 0..<rounds {
            guard !b.isEmpty else { break }
            let at = Int.random(in: 0..<b.count, using: &rng)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: b[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: b[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            case 2: b[at] = interesting.randomElement(using: &rng) ?? 0
            case 3: b.removeSubrange(at...)                                         // truncate
            case 4:                                                                 // insert
                let n = Int.random(in: 1...8, using: &rng)
                b.insert(contentsOf: (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
            case 5: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...16, using: &rng)))  // delete
            case 6:                                                                 // splice
                let other = others.randomElement(using: &rng) ?? input
                let from = Int.random(in: 0..<max(1, other.count), using: &rng)
                b = Array(b[..<at]) + Array(other[min(from, other.count)...])
            default:                                                                // duplicate a run
                let n = Int.random(in: 1...32, using: &rng)
                b.insert(contentsOf: b[at..<min(b.count, at + n)], at: at)
            }
        }
        return b
    }

    func testMutatedFilesNeverCrash() {
        // Hand-built trees plus real compiler output (closures, loops, varargs, tables).
        let compiled = [4, 7, 8, 10, 12, 19].compactMap {
            try? ProgramLoader.compile(source: Array(endToEndSnippets[$0].utf8), chunkName: "@s.lua")
        }
        XCTAssertEqual(compiled.count, 6)
        let seeds = ([richProgram(), richProgram(stripped: true), minimalMain(), mainWith([I(.MOV, 0, 1)])]
            + compiled + compiled.prefix(2).map { $0.stripped() })
            .map { BytecodeWriter.write($0) }
        var rng = SplitMix64(seed: 0x7261_6365_6a69_7421)
        var read = 0, verified = 0, rejected = 0
        for i in 0..<6000 * fuzzScale {
            let input = mutate(seeds[i % seeds.count], seeds, &rng)
            do {
                let p = try BytecodeReader.read(input)
                read += 1
                XCTAssertEqual(BytecodeWriter.write(p), input, "iteration \(i): read but does not write back")
                _ = Disassembler.listing(p)          // never traps, even unverified
                try Verifier.verify(p)
                verified += 1
            } catch let e as BytecodeError {
                rejected += 1
                XCTAssertFalse(e.message.isEmpty)
            } catch {
                XCTFail("iteration \(i): unexpected error \(error)")
            }
        }
        // The mutations reach past the reader into the verifier, and some survive both.
        XCTAssertGreaterThan(read, 100)
        XCTAssertGreaterThan(read - verified, 50)
        XCTAssertGreaterThan(verified, 10)
        XCTAssertGreaterThan(rejected, 1000)
    }

    func testRandomInstructionsNeverCrashTheVerifier() {
        // Random words in an otherwise valid prototype exercise every operand rule.
        var rng = SplitMix64(seed: 42)
        var accepted = 0
        for _ in 0..<3000 * fuzzScale {
            let n = Int.random(in: 1...6, using: &rng)
            var code = (0..<n).map { _ -> Instruction in
                var raw = UInt32.random(in: 0...UInt32.max, using: &rng)
                raw = (raw & ~0xff) | UInt32.random(in: 0...UInt32(Opcode.allCases.count), using: &rng)
                if Bool.random(using: &rng) { raw &= 0x0f0f_0fff }          // small operands
                if Bool.random(using: &rng) { raw = (raw & 0xffff) | 0x8000_0000 | (raw & 0x0003_0000) }  // short jumps
                return Instruction(raw: raw)
            }
            if Bool.random(using: &rng) { code.append(I(.RET0, 0, 0)) }
            let p = mainWith(code, frame: Int.random(in: 0...20, using: &rng), terminate: false)
            do {
                try Verifier.verify(p)
                accepted += 1
                _ = try BytecodeFile.load(BytecodeWriter.write(p))
            } catch is BytecodeError {
            } catch {
                XCTFail("unexpected error \(error)")
            }
            _ = Disassembler.listing(p)
        }
        XCTAssertGreaterThan(accepted, 3)
    }

    /// Structural damage to hand-built trees (negative or huge fields, mismatched debug info):
    /// the verifier and the disassembler must cope with any Proto, not only with what the reader builds.
    func testDamagedTreesNeverCrashTheVerifier() {
        var rng = SplitMix64(seed: 7)
        func r(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
        func damage(_ p: Proto, depth: Int) -> Proto {
            var frame = p.frameSize, params = p.numParams, line = p.lineDefined, last = p.lastLineDefined
            var code = p.code, upvalues = p.upvalues, constants = p.constants, debug = p.debug
            switch r(0...9) {
            case 0: frame = r(-3...300)
            case 1: params = r(-3...300)
            case 2: line = r(-3...30); last = r(-3...30)
            case 3: if !upvalues.isEmpty { upvalues[r(0...upvalues.count - 1)].index = r(-3...300) }
            case 4: if !constants.isEmpty { constants[r(0...constants.count - 1)] = Bool.random(using: &rng) ? .number(1) : .string([]) }
            case 5: if !code.isEmpty { code[r(0...code.count - 1)].raw ^= UInt32(1) << UInt32(r(0...31)) }
            case 6: if !code.isEmpty { code.remove(at: r(0...code.count - 1)) }
            case 7:
                if var d = debug {
                    if !d.locals.isEmpty {
                        let i = r(0...d.locals.count - 1)
                        d.locals[i].register = r(-3...300); d.locals[i].startPC = r(-3...60); d.locals[i].endPC = r(-3...60)
                    }
                    if !d.lineInfo.isEmpty { d.lineInfo[r(0...d.lineInfo.count - 1)] = Int32(r(-3...5)) }
                    debug = d
                }
            case 8: debug = debug == nil ? DebugInfo(lineInfo: [1], locals: [], upvalueNames: ["?"]) : nil
            default: break
            }
            let kids = p.protos.map { r(0...2) == 0 ? damage($0, depth: depth + 1) : $0 }
            return Proto(source: r(0...30) == 0 ? "x" : p.source, lineDefined: line, lastLineDefined: last,
                         numParams: params, isVararg: r(0...10) == 0 ? !p.isVararg : p.isVararg, frameSize: frame,
                         code: code, constants: constants, upvalues: upvalues, protos: kids, debug: debug)
        }
        var accepted = 0
        for _ in 0..<2000 * fuzzScale {
            let p = damage(richProgram(stripped: r(0...1) == 0), depth: 0)
            _ = Disassembler.listing(p)
            do {
                try Verifier.verify(p)
                accepted += 1
                XCTAssertEqual(try BytecodeFile.load(BytecodeWriter.write(p)), p)
            } catch is BytecodeError {
            } catch {
                XCTFail("unexpected error \(error)")
            }
        }
        XCTAssertGreaterThan(accepted, 10)
    }
}
