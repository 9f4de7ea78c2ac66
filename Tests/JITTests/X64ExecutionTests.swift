// Code assembled by X64Assembler, installed in a CodeArena and called through @convention(c)
// function pointers; plus the arena's W^X, budget, reset and patching.
import Foundation
import XCTest
@testable import JIT

typealias DD_D = @convention(c) (Double, Double) -> Double
typealias D_D = @convention(c) (Double) -> Double
typealias II_I = @convention(c) (Int64, Int64) -> Int64
typealias V_I = @convention(c) () -> Int64
typealias PN_D = @convention(c) (UnsafePointer<Double>, Int64) -> Double

/// Mappings of /proc/self/maps overlapping [lo, hi): (start, end, perms).
func mappings(overlapping lo: UInt64, _ hi: UInt64) -> [(UInt64, UInt64, String)] {
    // Read with stdio: /proc files report size 0, which whole-file readers may trust.
    guard let f = fopen("/proc/self/maps", "r") else { return [] }
    defer { fclose(f) }
    var lines: [String] = []
    var buf: UnsafeMutablePointer<CChar>? = nil
    var cap = 0
    defer { free(buf) }
    while getline(&buf, &cap, f) > 0, let b = buf { lines.append(String(cString: b)) }
    var result: [(UInt64, UInt64, String)] = []
    for line in lines {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { continue }
        let range = parts[0].split(separator: "-")
        guard range.count == 2, let s = UInt64(range[0], radix: 16), let e = UInt64(range[1], radix: 16) else { continue }
        if s < hi && e > lo { result.append((s, e, String(parts[1]))) }
    }
    return result
}

final class X64ExecutionTests: XCTestCase {
    var arena: CodeArena!

    override func setUpWithError() throws {
        arena = try CodeArena(capacity: 1 << 20)
    }

    override func tearDown() {
        if let a = arena { assertWX(a) }
        arena = nil
    }

    /// No page of the arena is ever writable and executable at once.
    func assertWX(_ a: CodeArena, file: StaticString = #filePath, line: UInt = #line) {
        let maps = mappings(overlapping: a.baseAddress, a.baseAddress + UInt64(a.capacity))
        XCTAssertFalse(maps.isEmpty, "arena region not found in /proc/self/maps", file: file, line: line)
        for (s, e, perms) in maps {
            XCTAssertFalse(perms.contains("w") && perms.contains("x"),
                           "W+X mapping \(String(s, radix: 16))-\(String(e, radix: 16)) \(perms)", file: file, line: line)
        }
    }

    func install<F>(_ type: F.Type, _ build: (X64Assembler) -> Void) throws -> F {
        let a = X64Assembler()
        build(a)
        let piece = try arena.install(a)
        return unsafeBitCast(piece.pointer, to: type)
    }

    func testAddTwoDoubles() throws {
        let f = try install(DD_D.self) { a in
            a.addsd(.xmm0, .xmm1)
            a.ret()
        }
        XCTAssertEqual(f(1.5, 2.25), 3.75)
        XCTAssertEqual(f(-1, 1e300), 1e300)
        XCTAssertTrue(f(.nan, 1).isNaN)
        assertWX(arena)
    }

    func testLoopSummingArray() throws {
        // double sum(const double *p /* rdi */, int64 n /* rsi */)
        let f = try install(PN_D.self) { a in
            let loop = a.newLabel(), done = a.newLabel()
            a.xorpd(.xmm0, .xmm0)
            a.zero(.rcx)
            a.test(.rsi, .rsi)
            a.jcc(.le, done)
            a.bind(loop)
            a.addsd(.xmm0, Mem(base: .rdi, index: .rcx, scale: 8))
            a.inc(.rcx)
            a.cmp(.rcx, .rsi)
            a.jcc(.l, loop)
            a.bind(done)
            a.ret()
        }
        let xs = (1...1000).map(Double.init)
        XCTAssertEqual(xs.withUnsafeBufferPointer { f($0.baseAddress!, Int64($0.count)) }, 500500)
        XCTAssertEqual(xs.withUnsafeBufferPointer { f($0.baseAddress!, 0) }, 0)
        XCTAssertEqual(xs.withUnsafeBufferPointer { f($0.baseAddress!, 3) }, 6)
    }

    /// Every condition code, as a branch and as setcc and cmov, against Swift's comparisons.
    func testAllConditionsTakenAndNotTaken() throws {
        func expected(_ c: Cond, _ x: Int64, _ y: Int64) -> Bool {
            let ux = UInt64(bitPattern: x), uy = UInt64(bitPattern: y)
            let (diff, overflow) = x.subtractingReportingOverflow(y)
            switch c {
            case .o: return overflow
            case .no: return !overflow
            case .b: return ux < uy
            case .ae: return ux >= uy
            case .e: return x == y
            case .ne: return x != y
            case .be: return ux <= uy
            case .a: return ux > uy
            case .s: return diff < 0
            case .ns: return diff >= 0
            case .p: return (UInt8(truncatingIfNeeded: diff).nonzeroBitCount & 1) == 0
            case .np: return (UInt8(truncatingIfNeeded: diff).nonzeroBitCount & 1) == 1
            case .l: return x < y
            case .ge: return x >= y
            case .le: return x <= y
            case .g: return x > y
            }
        }
        let pairs: [(Int64, Int64)] = [(0, 0), (1, 2), (2, 1), (-1, 1), (1, -1), (Int64.min, 1), (Int64.max, -1),
                                       (5, 2), (7, 4), (-3, -3), (100, 97)]
        for c in Cond.allCases {
            let branch = try install(II_I.self) { a in
                let taken = a.newLabel()
                a.cmp(.rdi, .rsi)
                a.jcc(c, taken)  // forward: rel32
                a.mov(.rax, 0)
                a.ret()
                a.bind(taken)
                a.mov(.rax, 1)
                a.ret()
            }
            let shortBranch = try install(II_I.self) { a in
                let taken = a.newLabel()
                a.cmp(.rdi, .rsi)
                a.jccShort(c, taken)
                a.mov(.rax, 0)
                a.ret()
                a.bind(taken)
                a.mov(.rax, 1)
                a.ret()
            }
            let set = try install(II_I.self) { a in
                a.cmp(.rdi, .rsi)
                a.setcc(c, .rax)
                a.movzx(.rax, .rax, from: .b, width: .d)
                a.ret()
            }
            let cmov = try install(II_I.self) { a in
                a.mov(.rcx, 1)
                a.mov(.rax, 0)
                a.cmp(.rdi, .rsi)
                a.cmov(c, .rax, .rcx)
                a.ret()
            }
            for (x, y) in pairs {
                let e: Int64 = expected(c, x, y) ? 1 : 0
                XCTAssertEqual(branch(x, y), e, "j\(c.mnemonic) \(x), \(y)")
                XCTAssertEqual(shortBranch(x, y), e, "j\(c.mnemonic) short \(x), \(y)")
                XCTAssertEqual(set(x, y), e, "set\(c.mnemonic) \(x), \(y)")
                XCTAssertEqual(cmov(x, y), e, "cmov\(c.mnemonic) \(x), \(y)")
                XCTAssertEqual(c.negated == c, false)
            }
        }
    }

    func testPatchedJumpRedirectsToAnotherPiece() throws {
        // The "trace" jumps to its exit stub; later the exit is patched to a "side trace".
        let a = X64Assembler()
        let exit = a.newLabel()
        a.mov(.rax, 7)
        let field = a.patchableJump(to: exit)
        a.bind(exit)
        a.mov(.rax, 1)
        a.ret()
        let trace = try arena.install(a)
        let side = try arena.install({ () -> X64Assembler in
            let s = X64Assembler()
            s.add(.rax, 100)  // rax still holds 7 from the trace
            s.ret()
            return s
        }())
        let f = unsafeBitCast(trace.pointer, to: V_I.self)
        XCTAssertEqual(f(), 1)
        try arena.patchRel32(at: trace.address + UInt64(field), target: side.address)
        assertWX(arena)
        XCTAssertEqual(f(), 107)
        // And back to the stub.
        try arena.patchRel32(at: trace.address + UInt64(field), target: trace.address + UInt64(field + 4))
        XCTAssertEqual(f(), 1)
        XCTAssertThrowsError(try arena.patchRel32(at: trace.address + UInt64(field), target: trace.address &+ (1 << 40)))
        XCTAssertThrowsError(try arena.patch(at: arena.baseAddress + UInt64(arena.capacity), bytes: [0]))
    }

    func testPatchedConditionalExit() throws {
        // if rdi == 0 exit to stub (returns -1) else return rdi*2; patch the exit to a side trace.
        let a = X64Assembler()
        let exit = a.newLabel()
        a.test(.rdi, .rdi)
        let field = a.patchableJcc(.e, to: exit)
        a.lea(.rax, Mem(base: .rdi, index: .rdi, scale: 1))
        a.ret()
        a.bind(exit)
        a.mov(.rax, -1)
        a.ret()
        let trace = try arena.install(a)
        let s = X64Assembler()
        s.mov(.rax, 42)
        s.ret()
        let side = try arena.install(s)
        let f = unsafeBitCast(trace.pointer, to: II_I.self)
        XCTAssertEqual(f(0, 0), -1)
        XCTAssertEqual(f(21, 0), 42)
        try arena.patchRel32(at: trace.address + UInt64(field), target: side.address)
        XCTAssertEqual(f(0, 0), 42)
        XCTAssertEqual(f(5, 0), 10)
    }

    func testCallsBetweenPiecesAndThroughRegisters() throws {
        let helper = try arena.install({ () -> X64Assembler in
            let h = X64Assembler()
            h.lea(.rax, Mem(base: .rdi, index: .rsi, scale: 4, disp: 3))  // rdi + 4*rsi + 3
            h.ret()
            return h
        }())
        let viaRel32 = try install(II_I.self) { a in
            a.push(.rbp)           // keep the stack 16-byte aligned across the call
            a.call(absolute: helper.address)
            a.pop(.rbp)
            a.ret()
        }
        let viaReg = try install(II_I.self) { a in
            a.push(.r12)
            a.mov(.r12, bits: helper.address)
            a.call(.r12)
            a.pop(.r12)
            a.ret()
        }
        let viaMem = try install(II_I.self) { a in
            let slot = a.constant(helper.address)
            a.push(.rbx)
            a.call(Mem.rip(slot))
            a.pop(.rbx)
            a.ret()
        }
        let viaLabel = try install(II_I.self) { a in
            let fn = a.newLabel()
            a.push(.rbx)
            a.call(fn)
            a.pop(.rbx)
            a.ret()
            a.bind(fn)
            a.mov(.rax, .rdi)
            a.sub(.rax, .rsi)
            a.ret()
        }
        XCTAssertEqual(viaRel32(10, 5), 33)
        XCTAssertEqual(viaReg(1, -1), 0)
        XCTAssertEqual(viaMem(100, 0), 103)
        XCTAssertEqual(viaLabel(10, 3), 7)
    }

    func testConstantPoolAndSSE() throws {
        let neg = try install(D_D.self) { a in
            a.xorpd(.xmm0, Mem.rip(a.constant128(0x8000_0000_0000_0000, 0)))
            a.ret()
        }
        let abs = try install(D_D.self) { a in
            a.andpd(.xmm0, Mem.rip(a.constant128(0x7FFF_FFFF_FFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF)))
            a.ret()
        }
        let poly = try install(D_D.self) { a in  // 3x^2 + 0.5, constants from the pool
            a.movapd(.xmm9, .xmm0)
            a.mulsd(.xmm9, .xmm0)
            a.mulsd(.xmm9, Mem.rip(a.constant(double: 3)))
            a.addsd(.xmm9, Mem.rip(a.constant(double: 0.5)))
            a.movsd(.xmm0, .xmm9)
            a.ret()
        }
        XCTAssertEqual(neg(2.5), -2.5)
        XCTAssertEqual(neg(0).sign, .minus)
        XCTAssertEqual(abs(-7.25), 7.25)
        XCTAssertEqual(poly(2), 12.5)
        let conv = try install(D_D.self) { a in  // (double)(int64)trunc(x) via GPRs, then sqrt
            a.cvttsd2si(.r11, .xmm0)
            a.imul(.r11, .r11, 1, width: .q)
            a.cvtsi2sd(.xmm14, .r11)
            a.sqrtsd(.xmm0, .xmm14)
            a.ret()
        }
        XCTAssertEqual(conv(16.9), 4)
        let bits = try install(D_D.self) { a in  // flip the sign through integer registers
            a.movq(.rax, .xmm0)
            a.btc63(.rax)
            a.movq(.xmm0, .rax)
            a.ret()
        }
        XCTAssertEqual(bits(1), -1)
        if X64CPU.hasSSE41 {
            let floor = try install(D_D.self) { a in a.roundsd(.xmm0, .xmm0, .floor); a.ret() }
            let ceil = try install(D_D.self) { a in a.roundsd(.xmm1, .xmm0, .ceil); a.movapd(.xmm0, .xmm1); a.ret() }
            XCTAssertEqual(floor(-1.5), -2)
            XCTAssertEqual(floor(2.999), 2)
            XCTAssertEqual(ceil(-1.5), -1)
            XCTAssertEqual(ceil(2.001), 3)
        }
        let maxf = try install(DD_D.self) { a in a.maxsd(.xmm0, .xmm1); a.ret() }
        XCTAssertEqual(maxf(1, 2), 2)
        XCTAssertEqual(maxf(3, 2), 3)
    }

    /// All sixteen GPRs carry values through a computation (callee-saved ones restored).
    func testAllRegistersRoundTrip() throws {
        let callee: [GPR] = [.rbx, .rbp, .r12, .r13, .r14, .r15]
        let f = try install(II_I.self) { a in
            for r in callee { a.push(r) }
            let work: [GPR] = GPR.all.filter { $0 != .rsp && $0 != .rdi }
            for (i, r) in work.enumerated() { a.lea(r, Mem(.rdi, Int32(i + 1))) }  // r = x + i + 1
            a.mov(Mem(.rsp, -8), .rax)  // red zone round trip
            a.mov(.rdi, Mem(.rsp, -8))
            for r in work where r != .rax { a.add(.rdi, r) }
            a.mov(.rax, .rdi)
            for r in callee.reversed() { a.pop(r) }
            a.ret()
        }
        // 14 registers: sum of (x + i + 1) for i in 0..<14 = 14x + 105
        XCTAssertEqual(f(1, 0), 14 + 105)
        XCTAssertEqual(f(-10, 0), -140 + 105)
    }

    func testIntegerOps() throws {
        let divmod = try install(II_I.self) { a in  // (x / y) * 1000 + x % y
            a.mov(.rax, .rdi)
            a.cqo()
            a.idiv(.rsi)
            a.imul(.rax, .rax, 1000)
            a.add(.rax, .rdx)
            a.ret()
        }
        XCTAssertEqual(divmod(47, 5), 9002)
        XCTAssertEqual(divmod(-47, 5), -9002)
        let shifts = try install(II_I.self) { a in  // bit-library style 32-bit ops
            a.mov(.rcx, .rsi)
            a.mov(.rax, .rdi)
            a.shl(.rax, .cl, width: .d)
            a.xor(.rax, 0x0F0F, width: .d)
            a.bswap(.rax, width: .d)
            a.movsxd(.rax, .rax)
            a.ret()
        }
        func ref(_ x: Int64, _ n: Int64) -> Int64 {
            let v = (UInt32(truncatingIfNeeded: x) << UInt32(n & 31)) ^ 0x0F0F
            return Int64(Int32(bitPattern: v.byteSwapped))
        }
        for (x, n) in [(1, 4), (0x1234_5678, 8), (-1, 31), (7, 0)] as [(Int64, Int64)] {
            XCTAssertEqual(shifts(x, n), ref(x, n))
        }
        let bitTest = try install(II_I.self) { a in
            a.zero(.rax)
            a.bt(.rdi, .rsi)
            a.setcc(.c, .rax)
            a.ret()
        }
        XCTAssertEqual(bitTest(0b1010, 1), 1)
        XCTAssertEqual(bitTest(0b1010, 2), 0)
        XCTAssertEqual(bitTest(Int64.min, 63), 1)
    }

    func testArenaBudgetAlignmentAndReset() throws {
        let small = try CodeArena(capacity: 1)
        XCTAssertEqual(small.capacity, small.pageSize)
        XCTAssertEqual(small.used, 0)
        let p1 = try small.install([0xC3])
        let p2 = try small.install([0x90, 0xC3])
        XCTAssertEqual(p1.address % 16, 0)
        XCTAssertEqual(p2.address % 16, 0)
        XCTAssertEqual(p2.address - p1.address, 16)
        XCTAssertEqual(small.used, 18)
        XCTAssertEqual(small.bytes(at: p2.address, size: 2), [0x90, 0xC3])
        XCTAssertThrowsError(try small.allocate(small.pageSize)) { e in
            guard case CodeArenaError.full = e else { return XCTFail("\(e)") }
        }
        assertWX(small)
        XCTAssertTrue(mappings(overlapping: small.baseAddress, small.baseAddress + 1).contains { $0.2.hasPrefix("r-x") })
        small.reset()
        XCTAssertEqual(small.used, 0)
        XCTAssertTrue(mappings(overlapping: small.baseAddress, small.baseAddress + 1).allSatisfy { $0.2.hasPrefix("---") })
        let a = X64Assembler()
        a.mov(.rax, 99)
        a.ret()
        let again = try small.install(a)
        XCTAssertEqual(again.address, small.baseAddress)
        XCTAssertEqual(unsafeBitCast(again.pointer, to: V_I.self)(), 99)
        assertWX(small)
    }

    func testArenaSpanningPagesAndManyPieces() throws {
        // Pieces straddling page boundaries; earlier pieces stay runnable after later writes.
        var fns: [(V_I, Int64)] = []
        for i in 0..<300 {
            let a = X64Assembler()
            a.nop(i % 37)
            a.mov(.rax, Int64(i) * 3)
            a.ret()
            fns.append((unsafeBitCast(try arena.install(a).pointer, to: V_I.self), Int64(i) * 3))
        }
        XCTAssertGreaterThan(arena.used, 2 * arena.pageSize)
        for (f, v) in fns { XCTAssertEqual(f(), v) }
        assertWX(arena)
    }

    func testArenaNearAnAddress() throws {
        // A C-convention closure literal is a plain code pointer into the test binary.
        let cfn: @convention(c) (Int64, Int64) -> Int64 = { $0 &* 10 &+ $1 }
        let target = UInt64(UInt(bitPattern: unsafeBitCast(cfn, to: UnsafeRawPointer.self)))
        let near = try CodeArena(capacity: 1 << 20, near: target)
        let byDefault = try CodeArena(capacity: 1 << 20)
        XCTAssertTrue(byDefault.canReachRel32(target), "default placement near the image")
        XCTAssertTrue(byDefault.canReachRel32(CodeArena.imageAddress))
        let anywhere = try CodeArena(capacity: 1 << 20, near: nil)
        XCTAssertTrue(anywhere.canReachRel32(anywhere.baseAddress))
        XCTAssertTrue(near.canReachRel32(target), "arena at \(String(near.baseAddress, radix: 16)), target \(String(target, radix: 16))")
        let a = X64Assembler()
        a.push(.rbp)
        a.call(absolute: target)
        a.pop(.rbp)
        a.ret()
        let f = unsafeBitCast(try near.install(a).pointer, to: II_I.self)
        XCTAssertEqual(f(4, 2), 42)
        assertWX(near)
    }
}

extension X64Assembler {
    /// `btc r64, 63` (not in the assembler's API: emitted as raw bytes to test `data`).
    func btc63(_ r: GPR) {
        data([0x48 | (r.number >> 3), 0x0F, 0xBA, 0xF8 | (r.number & 7), 63])
    }
}
