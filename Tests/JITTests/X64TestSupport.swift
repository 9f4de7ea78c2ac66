// Helpers for the x86-64 assembler tests: run GNU binutils, spell operands as Intel-syntax text.
import Foundation
import XCTest
@testable import JIT

enum Binutils {
    static func find(_ tool: String) -> String? {
        for d in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(d)/\(tool)") {
            return "\(d)/\(tool)"
        }
        return nil
    }

    /// Runs `path args`; returns (status, stdout, stderr).
    @discardableResult
    static func run(_ path: String, _ args: [String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes concurrently enough for our sizes: stderr is small.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("tj-x64-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }
}

/// A batch of instructions, each assembled by X64Assembler and written as GNU `as` text, compared
/// per instruction after one `as` run. Instruction i is preceded by the label `m<i>` in the text,
/// so `nm` gives GNU's offsets and a mismatch names the instruction.
final class GasBatch {
    let asm = X64Assembler(capacity: 1 << 20)
    private(set) var texts: [String] = []
    private(set) var ranges: [Range<Int>] = []

    /// Adds one instruction: `text` for GNU as, `emit` for ours.
    func add(_ text: String, _ emit: (X64Assembler) -> Void) {
        let start = asm.offset
        emit(asm)
        texts.append(text)
        ranges.append(start..<asm.offset)
    }

    /// Binds `label` where the next instruction will start and returns its name in the text.
    func bindHere(_ label: Label) -> String {
        asm.bind(label)
        return "m\(texts.count)"
    }
    /// The text name of the place where the next instruction will start (for forward targets,
    /// bound by `bindHere` later).
    var nextName: String { "m\(texts.count)" }

    struct Mismatch: CustomStringConvertible {
        var text: String, ours: [UInt8], gas: [UInt8]
        var description: String {
            "\(text): ours \(ours.map { String(format: "%02x", $0) }.joined(separator: " ")) gas \(gas.map { String(format: "%02x", $0) }.joined(separator: " "))"
        }
    }

    /// Assembles the text with GNU as and compares; throws XCTSkip when `as` is missing.
    func compare(file: StaticString = #filePath, line: UInt = #line) throws {
        guard let asPath = Binutils.find("as"), let nm = Binutils.find("nm"), let objcopy = Binutils.find("objcopy") else {
            throw XCTSkip("GNU binutils (as, nm, objcopy) not installed")
        }
        let ours = try asm.finish(baseAddress: 0)
        let dir = try Binutils.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var src = ".intel_syntax noprefix\n.text\n"
        for (i, t) in texts.enumerated() { src += "m\(i): \(t)\n" }
        src += "m\(texts.count):\n"
        let s = dir.appendingPathComponent("t.s"), o = dir.appendingPathComponent("t.o"), b = dir.appendingPathComponent("t.bin")
        try src.write(to: s, atomically: true, encoding: .utf8)
        let (st, _, err) = try Binutils.run(asPath, ["--64", "-o", o.path, s.path])
        guard st == 0 else {
            XCTFail("as failed: \(err.prefix(3000))", file: file, line: line)
            return
        }
        let (st2, syms, _) = try Binutils.run(nm, [o.path])
        XCTAssertEqual(st2, 0, file: file, line: line)
        var offsets = [Int](repeating: -1, count: texts.count + 1)
        for l in syms.split(separator: "\n") {
            let parts = l.split(separator: " ")
            guard parts.count == 3, parts[2].hasPrefix("m"), let i = Int(parts[2].dropFirst()), i < offsets.count,
                  let v = Int(parts[0], radix: 16) else { continue }
            offsets[i] = v
        }
        let (st3, _, err3) = try Binutils.run(objcopy, ["-O", "binary", "-j", ".text", o.path, b.path])
        XCTAssertEqual(st3, 0, err3, file: file, line: line)
        let gas = [UInt8](try Data(contentsOf: b))
        var mismatches: [Mismatch] = []
        for i in 0..<texts.count {
            let lo = offsets[i], hi = offsets[i + 1]
            guard lo >= 0, hi >= lo, hi <= gas.count else {
                XCTFail("no GNU offset for \(texts[i])", file: file, line: line)
                continue
            }
            let g = Array(gas[lo..<hi]), m = Array(ours[ranges[i]])
            if g != m { mismatches.append(Mismatch(text: texts[i], ours: m, gas: g)) }
        }
        print("GasBatch: \(texts.count - mismatches.count) of \(texts.count) encodings identical to GNU as")
        XCTAssertTrue(mismatches.isEmpty, "\(mismatches.count) of \(texts.count) encodings differ from GNU as:\n"
                      + mismatches.prefix(60).map(\.description).joined(separator: "\n"), file: file, line: line)
    }
}

/// Intel-syntax spelling of operands, as GNU as reads them.
enum Intel {
    static func ptr(_ w: Width) -> String {
        switch w { case .b: return "BYTE PTR"; case .w: return "WORD PTR"; case .d: return "DWORD PTR"; case .q: return "QWORD PTR" }
    }

    static func disp(_ d: Int32) -> String { d == 0 ? "" : d < 0 ? "-\(-Int64(d))" : "+\(d)" }

    /// `[base+index*scale+disp]` for a register-based operand; `rip` names for labels are given.
    static func mem(_ m: Mem, ripName: String? = nil) -> String {
        if let r = ripName { return "[rip+\(r)\(disp(m.disp))]" }
        var s = "[" + m.baseRegister!.name(.q)
        if let i = m.index { s += "+\(i.name(.q))*\(m.scale.factor)" }
        return s + disp(m.disp) + "]"
    }
}

/// Memory operands covering the ModRM/SIB special cases: bases rax, rsp, rbp, r12, r13, r15, with
/// and without an index (rcx, and r9 which needs REX.X; rbp and r13 as index too), disp 0, disp8
/// and disp32.
let allTestMems: [Mem] = {
    var ms: [Mem] = []
    let bases: [GPR] = [.rax, .rsp, .rbp, .r12, .r13, .r15]
    let indexes: [(GPR, Scale)?] = [nil, (.rcx, .x1), (.r9, .x8), (.rbp, .x2), (.r13, .x4)]
    let disps: [Int32] = [0, 8, -128, 127, 0x1234_5678, -0x100, Int32.min]
    for b in bases { for i in indexes { for d in disps { ms.append(Mem(base: b, index: i?.0, scale: i?.1 ?? .x1, disp: d)) } } }
    return ms
}()

/// A smaller set with each special case once, for forms that only differ in the opcode.
let someTestMems: [Mem] = [
    Mem(.rax), Mem(.rsp), Mem(.rbp), Mem(.r12), Mem(.r13), Mem(.r15, 8),
    Mem(.rsp, -8), Mem(.rbp, 0x1000), Mem(.r13, -0x12345),
    Mem(base: .rax, index: .rcx, scale: 8, disp: 0), Mem(base: .rsp, index: .r9, scale: 4, disp: 16),
    Mem(base: .rbp, index: .r12, scale: 2, disp: 0), Mem(base: .r13, index: .r15, scale: 1, disp: -0x80000),
    Mem(base: .r12, index: .rbp, scale: 8, disp: 127),
]
