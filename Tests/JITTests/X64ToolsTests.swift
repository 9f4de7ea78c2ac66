// Assembler error paths, absolute fixups, the constant pool layout, nops, CPU detection and the
// objdump-based disassembly.
import Foundation
import XCTest
@testable import JIT

final class X64ToolsTests: XCTestCase {
    func testUnboundLabelThrows() {
        let a = X64Assembler()
        let l = a.newLabel()
        a.jmp(l)
        XCTAssertThrowsError(try a.finish()) { e in
            XCTAssertEqual(e as? X64AssemblerError, .unboundLabel(id: l.id))
        }
        let b = X64Assembler()
        b.movsd(.xmm0, .rip(b.newLabel()))
        XCTAssertThrowsError(try b.finish())
    }

    func testShortJumpOutOfRangeThrows() {
        let a = X64Assembler()
        let l = a.newLabel()
        a.jccShort(.ne, l)
        a.nop(200)
        a.bind(l)
        XCTAssertThrowsError(try a.finish()) { e in
            XCTAssertEqual(e as? X64AssemblerError, .rel8OutOfRange(offset: 1))
        }
        let ok = X64Assembler()
        let m = ok.newLabel()
        ok.jmpShort(m)
        ok.nop(127)
        ok.bind(m)
        XCTAssertEqual(try ok.finish()[0...1], [0xEB, 0x7F])
    }

    func testBackwardJumpPicksShortFormWhenInReach() throws {
        let a = X64Assembler()
        let top = a.here()
        a.nop(126)
        a.jmp(top)      // 126 + 2 = 128 back: rel8 -128
        a.jcc(.e, top)  // 130 back: rel32
        let code = try a.finish()
        XCTAssertEqual(Array(code[126...127]), [0xEB, 0x80])
        XCTAssertEqual(Array(code[128...133]), [0x0F, 0x84, 0x7A, 0xFF, 0xFF, 0xFF])  // -134
    }

    func testAbsoluteTargets() throws {
        let a = X64Assembler()
        a.call(absolute: 0x10100)
        let f = a.jmp(absolute: 0x0F000)
        a.jcc(.ne, absolute: 0x10000)
        XCTAssertEqual(f, 6)
        XCTAssertThrowsError(try a.finish()) { XCTAssertEqual($0 as? X64AssemblerError, .needsBaseAddress) }
        let code = try a.finish(baseAddress: 0x10000)
        XCTAssertEqual(code, [0xE8, 0xFB, 0x00, 0x00, 0x00,               // 0x10100 - 0x10005
                              0xE9, 0xF6, 0xEF, 0xFF, 0xFF,               // 0xF000 - 0x1000A
                              0x0F, 0x85, 0xF0, 0xFF, 0xFF, 0xFF])        // 0x10000 - 0x10010
        let far = X64Assembler()
        far.call(absolute: 0x1_0000_0000)
        XCTAssertThrowsError(try far.finish(baseAddress: 0x7000_0000_0000)) { e in
            XCTAssertEqual(e as? X64AssemblerError, .rel32OutOfRange(offset: 1))
        }
        XCTAssertEqual(X64Assembler.rel32(fieldAddress: 0x1000, target: 0x1004), [0, 0, 0, 0])
        XCTAssertEqual(X64Assembler.rel32(fieldAddress: 0x1000, target: 0x1000), [0xFC, 0xFF, 0xFF, 0xFF])
        XCTAssertNil(X64Assembler.rel32(fieldAddress: 0, target: 1 << 40))
    }

    func testBufferGrows() throws {
        let a = X64Assembler(capacity: 1)
        for i in 0..<5000 { a.movabs(.r9, UInt64(i)) }
        let code = try a.finish()
        XCTAssertEqual(code.count, 50000)
        XCTAssertEqual(Array(code[49990..<50000]), [0x49, 0xB9, 0x87, 0x13, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(a.bytes, code)
    }

    func testResetReusesTheAssembler() throws {
        let a = X64Assembler()
        let l = a.newLabel()
        a.jmp(l)
        _ = a.constant(7)
        a.reset()
        XCTAssertEqual(a.offset, 0)
        XCTAssertEqual(a.finishedSize, 0)
        let m = a.newLabel()
        XCTAssertEqual(m.id, 0)
        a.bind(m)
        a.ret()
        a.jmp(m)
        XCTAssertEqual(try a.finish(), [0xC3, 0xEB, 0xFD])
    }

    func testConstantPoolLayout() throws {
        let a = X64Assembler()
        let c1 = a.constant(double: 1.0)
        let m = a.constant128(0x8000_0000_0000_0000, 0)
        XCTAssertEqual(a.constant(double: 1.0), c1, "deduplicated")
        XCTAssertEqual(a.constant128(0x8000_0000_0000_0000, 0), m)
        a.movsd(.xmm0, .rip(c1))  // f2 0f 10 05 rel32: 8 bytes
        a.ret()
        XCTAssertEqual(a.finishedSize, 16 + 16 + 8)
        let code = try a.finish()
        XCTAssertEqual(code.count, 40)
        XCTAssertEqual(Array(code[9..<16]), [UInt8](repeating: 0xCC, count: 7))
        XCTAssertEqual(Array(code[16..<24]), [0, 0, 0, 0, 0, 0, 0, 0x80])  // 128-bit entries first
        XCTAssertEqual(Array(code[32..<40]), [0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        XCTAssertEqual(Array(code[4..<8]), [24, 0, 0, 0])  // 32 - 8
        XCTAssertEqual(a.offset(of: c1), 32)
    }

    func testNopsAndAlignmentDecodeAsNops() throws {
        guard X64Disassembly.objdumpPath != nil else { throw XCTSkip("objdump not installed") }
        for n in 1...9 {
            let a = X64Assembler()
            a.nop(n)
            XCTAssertEqual(a.offset, n)
            let lines = try XCTUnwrap(X64Disassembly.lines(code: try a.finish(), address: 0))
            XCTAssertEqual(lines.count, 1, "nop(\(n)): \(lines)")
            XCTAssertTrue(lines[0].contains("nop") || lines[0].contains("xchg ax,ax"), lines[0])
        }
        let a = X64Assembler()
        a.ret()
        a.align(16)
        XCTAssertEqual(a.offset, 16)
        a.align(16)
        XCTAssertEqual(a.offset, 16)
        a.int3()
        a.align(32)
        XCTAssertEqual(a.offset, 32)
        a.nop(25)
        XCTAssertEqual(a.offset, 57)
    }

    func testDisassembly() throws {
        guard X64Disassembly.objdumpPath != nil else {
            XCTAssertNil(X64Disassembly.lines(code: [0xC3], address: 0))
            return
        }
        let a = X64Assembler()
        let top = a.here()
        a.mov(.rax, .rcx)
        a.addsd(.xmm1, Mem(base: .r13, index: .r12, scale: 8, disp: -8))
        a.jcc(.ne, top)
        a.ret()
        let lines = try XCTUnwrap(X64Disassembly.lines(code: try a.finish(), address: 0x7f00_1000))
        XCTAssertEqual(lines.count, 4, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("7f001000:"), lines[0])
        XCTAssertTrue(lines[0].contains("48 89 c8") && lines[0].hasSuffix("mov rax,rcx"), lines[0])
        XCTAssertTrue(lines[1].contains("addsd xmm1,QWORD PTR [r13+r12*8-0x8]"), lines[1])
        XCTAssertTrue(lines[2].contains("jne 0x7f001000"), lines[2])
        XCTAssertTrue(lines[3].hasSuffix("ret"), lines[3])
        XCTAssertEqual(X64Disassembly.lines(code: [], address: 0), [])
    }

    func testCPUDetection() throws {
        let cpu = X64CPU.current
        XCTAssertEqual(cpu.source, "cpuid")
        let l0 = try XCTUnwrap(X64CPU.cpuid(leaf: 0))
        XCTAssertGreaterThanOrEqual(l0.eax, 1)
        // Vendor string is ebx, edx, ecx.
        var vendor = [UInt8]()
        for r in [l0.ebx, l0.edx, l0.ecx] { for i in 0..<4 { vendor.append(UInt8(truncatingIfNeeded: r >> (8 * UInt32(i)))) } }
        XCTAssertTrue(vendor.allSatisfy { $0 >= 0x20 && $0 < 0x7F }, "\(vendor)")
        if let flags = X64CPU.procCPUInfoFlags() {
            XCTAssertEqual(cpu.hasSSE41, flags.contains("sse4_1"))
            XCTAssertEqual(cpu.hasSSE42, flags.contains("sse4_2"))
            XCTAssertEqual(cpu.hasPOPCNT, flags.contains("popcnt"))
            XCTAssertEqual(cpu.hasAVX, flags.contains("avx"))
            XCTAssertEqual(X64CPU(flags: flags).hasSSE41, cpu.hasSSE41)
        }
        XCTAssertFalse(X64CPU(flags: []).hasSSE41)
    }

    func testConditionTable() {
        XCTAssertEqual(Cond.allCases.count, 16)
        for c in Cond.allCases { XCTAssertEqual(c.negated.negated, c); XCTAssertNotEqual(c.negated, c) }
        XCTAssertEqual(Cond.z, .e)
        XCTAssertEqual(Cond.nc, .ae)
        XCTAssertEqual(Cond.l.negated, .ge)
        XCTAssertEqual(Cond.a.negated, .be)
    }
}
