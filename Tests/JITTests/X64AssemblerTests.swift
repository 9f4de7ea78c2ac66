// X64Assembler encodings checked byte for byte against GNU as (binutils): every instruction form,
// every register in reg-reg forms, memory operands over the ModRM/SIB special cases. Each test
// method builds one batch and runs `as` once; a mismatch names the instruction.
import XCTest
@testable import JIT

final class X64AssemblerTests: XCTestCase {
    let widths: [Width] = [.b, .w, .d, .q]
    let regs = GPR.all
    /// A spread of registers for forms where the full 16x16 square adds nothing.
    let someRegs: [GPR] = [.rax, .rcx, .rsp, .rbp, .rsi, .rdi, .r8, .r12, .r13, .r15]

    func imms(_ w: Width) -> [Int32] {
        switch w {
        case .b: return [0, 1, 127, -128, -1]
        case .w: return [0, 1, 127, -128, 128, -129, 0x1234, -0x8000]
        case .d, .q: return [0, 1, 127, -128, 128, -129, 0x1234, Int32.max, Int32.min]
        }
    }

    // MARK: Moves

    func testMoves() throws {
        let b = GasBatch()
        for w in widths {
            for d in regs { for s in regs {
                b.add("mov \(d.name(w)), \(s.name(w))") { $0.mov(d, s, width: w) }
            } }
            for r in regs {
                for m in (w == .q ? allTestMems : someTestMems) {
                    b.add("mov \(r.name(w)), \(Intel.ptr(w)) \(Intel.mem(m))") { $0.mov(r, m, width: w) }
                    b.add("mov \(Intel.ptr(w)) \(Intel.mem(m)), \(r.name(w))") { $0.mov(m, r, width: w) }
                }
                for i in imms(w) {
                    b.add("mov \(r.name(w)), \(i)") { $0.mov(r, imm32: i, width: w) }
                }
            }
            for m in someTestMems { for i in imms(w) {
                b.add("mov \(Intel.ptr(w)) \(Intel.mem(m)), \(i)") { $0.mov(m, i, width: w) }
            } }
        }
        for r in regs {
            for v: UInt64 in [0, 5, 0x1234_5678_9ABC_DEF0, UInt64.max] {
                b.add("movabs \(r.name()), \(v)") { $0.movabs(r, v) }
            }
            // The shortest-encoding load of a 64-bit constant.
            b.add("mov \(r.name(.d)), 0") { $0.mov(r, 0) }
            b.add("mov \(r.name(.d)), 4294967295") { $0.mov(r, 0xFFFF_FFFF) }
            b.add("mov \(r.name()), -1") { $0.mov(r, -1) }
            b.add("mov \(r.name()), -2147483648") { $0.mov(r, Int64(Int32.min)) }
            b.add("movabs \(r.name()), 4294967296") { $0.mov(r, 0x1_0000_0000) }
            b.add("movabs \(r.name()), 0x7ff8000000000000") { $0.mov(r, bits: 0x7FF8_0000_0000_0000) }
            b.add("xor \(r.name(.d)), \(r.name(.d))") { $0.zero(r) }
        }
        for d in regs {
            for m in allTestMems {
                b.add("lea \(d.name()), \(Intel.mem(m))") { $0.lea(d, m) }
            }
            for m in someTestMems {
                b.add("lea \(d.name(.d)), \(Intel.mem(m))") { $0.lea(d, m, width: .d) }
            }
            for s in regs {
                for from in [Width.b, .w] {
                    for w in [Width.d, .q] {
                        b.add("movzx \(d.name(w)), \(s.name(from))") { $0.movzx(d, s, from: from, width: w) }
                        b.add("movsx \(d.name(w)), \(s.name(from))") { $0.movsx(d, s, from: from, width: w) }
                    }
                }
                b.add("movsxd \(d.name()), \(s.name(.d))") { $0.movsxd(d, s) }
                for w in [Width.w, .d, .q] where !(w == .d && d == .rax && s == .rax) {
                    b.add("xchg \(d.name(w)), \(s.name(w))") { $0.xchg(d, s, width: w) }
                }
                b.add("xchg \(d.name(.b)), \(s.name(.b))") { $0.xchg(d, s, width: .b) }
            }
            for m in someTestMems {
                for from in [Width.b, .w] {
                    for w in [Width.d, .q] {
                        b.add("movzx \(d.name(w)), \(Intel.ptr(from)) \(Intel.mem(m))") { $0.movzx(d, m, from: from, width: w) }
                        b.add("movsx \(d.name(w)), \(Intel.ptr(from)) \(Intel.mem(m))") { $0.movsx(d, m, from: from, width: w) }
                    }
                }
                b.add("movsxd \(d.name()), DWORD PTR \(Intel.mem(m))") { $0.movsxd(d, m) }
            }
        }
        for d in regs { for s in someRegs {
            b.add("movzx \(d.name(.w)), \(s.name(.b))") { $0.movzx(d, s, from: .b, width: .w) }
            b.add("movsx \(d.name(.w)), \(s.name(.b))") { $0.movsx(d, s, from: .b, width: .w) }
        } }
        b.add("xchg eax, eax") { $0.xchg(.rax, .rax, width: .d) }
        try b.compare()
    }

    // MARK: ALU, test, multiply, unary, shifts, bits

    func testArithmetic() throws {
        let b = GasBatch()
        for op in ALUOp.allCases {
            let n = op.mnemonic
            for w in widths {
                for d in regs {
                    for s in (w == .q ? regs : someRegs) {
                        b.add("\(n) \(d.name(w)), \(s.name(w))") { $0.alu(op, d, s, width: w) }
                    }
                    for i in imms(w) {
                        b.add("\(n) \(d.name(w)), \(i)") { $0.alu(op, d, i, width: w) }
                    }
                }
                for m in (w == .q && (op == .add || op == .cmp) ? allTestMems : someTestMems) {
                    for r in [GPR.rax, .rdx, .rsi, .r11] {
                        b.add("\(n) \(r.name(w)), \(Intel.ptr(w)) \(Intel.mem(m))") { $0.alu(op, r, m, width: w) }
                        b.add("\(n) \(Intel.ptr(w)) \(Intel.mem(m)), \(r.name(w))") { $0.alu(op, m, r, width: w) }
                    }
                    for i in imms(w) {
                        b.add("\(n) \(Intel.ptr(w)) \(Intel.mem(m)), \(i)") { $0.alu(op, m, i, width: w) }
                    }
                }
            }
        }
        // The named wrappers reach the same encoder.
        b.add("add rax, rcx") { $0.add(.rax, .rcx) }
        b.add("or r8, 5") { $0.or(.r8, 5) }
        b.add("adc rdx, QWORD PTR [rsp+8]") { $0.adc(.rdx, Mem(.rsp, 8)) }
        b.add("sbb DWORD PTR [r13], r9d") { $0.sbb(Mem(.r13), .r9, width: .d) }
        b.add("and QWORD PTR [rbp-16], -8") { $0.and(Mem(.rbp, -16), -8) }
        b.add("sub r15, 1000") { $0.sub(.r15, 1000) }
        b.add("xor esi, esi") { $0.xor(.rsi, .rsi, width: .d) }
        b.add("cmp r12, QWORD PTR [rax+rcx*8]") { $0.cmp(.r12, Mem(base: .rax, index: .rcx, scale: 8)) }

        for w in widths {
            for a in regs {
                for c in (w == .q ? regs : someRegs) {
                    b.add("test \(a.name(w)), \(c.name(w))") { $0.test(a, c, width: w) }
                }
                for i in imms(w) {
                    b.add("test \(a.name(w)), \(i)") { $0.test(a, i, width: w) }
                }
            }
            for m in someTestMems {
                b.add("test \(Intel.ptr(w)) \(Intel.mem(m)), \(GPR.r10.name(w))") { $0.test(m, .r10, width: w) }
                b.add("test \(Intel.ptr(w)) \(Intel.mem(m)), 77") { $0.test(m, 77, width: w) }
            }
            let unary: [(String, (X64Assembler, GPR) -> Void, (X64Assembler, Mem) -> Void)] = [
                ("not", { $0.not($1, width: w) }, { $0.not($1, width: w) }),
                ("neg", { $0.neg($1, width: w) }, { $0.neg($1, width: w) }),
                ("inc", { $0.inc($1, width: w) }, { $0.inc($1, width: w) }),
                ("dec", { $0.dec($1, width: w) }, { $0.dec($1, width: w) }),
            ]
            for (n, fr, fm) in unary {
                for r in regs { b.add("\(n) \(r.name(w))") { fr($0, r) } }
                for m in someTestMems { b.add("\(n) \(Intel.ptr(w)) \(Intel.mem(m))") { fm($0, m) } }
            }
            for r in regs {
                b.add("mul \(r.name(w))") { $0.mul(r, width: w) }
                b.add("div \(r.name(w))") { $0.div(r, width: w) }
                b.add("idiv \(r.name(w))") { $0.idiv(r, width: w) }
            }
            for op in ShiftOp.allCases {
                for r in regs {
                    for c: UInt8 in [1, 2, 31, 63] {
                        b.add("\(op.mnemonic) \(r.name(w)), \(c)") { $0.shift(op, r, .imm(c), width: w) }
                    }
                    b.add("\(op.mnemonic) \(r.name(w)), cl") { $0.shift(op, r, .cl, width: w) }
                }
                for m in someTestMems.prefix(6) {
                    b.add("\(op.mnemonic) \(Intel.ptr(w)) \(Intel.mem(m)), 1") { $0.shift(op, m, 1, width: w) }
                    b.add("\(op.mnemonic) \(Intel.ptr(w)) \(Intel.mem(m)), 5") { $0.shift(op, m, 5, width: w) }
                    b.add("\(op.mnemonic) \(Intel.ptr(w)) \(Intel.mem(m)), cl") { $0.shift(op, m, .cl, width: w) }
                }
            }
        }
        b.add("shl rax, 3") { $0.shl(.rax, 3) }
        b.add("shr r9d, cl") { $0.shr(.r9, .cl, width: .d) }
        b.add("sar r14, 63") { $0.sar(.r14, 63) }
        b.add("rol bx, 8") { $0.rol(.rbx, 8, width: .w) }
        b.add("ror r12, 1") { $0.ror(.r12, 1) }

        for w in [Width.w, .d, .q] {
            for d in regs {
                for s in regs {
                    b.add("imul \(d.name(w)), \(s.name(w))") { $0.imul(d, s, width: w) }
                }
                for s in someRegs {
                    for i in imms(w) {
                        b.add("imul \(d.name(w)), \(s.name(w)), \(i)") { $0.imul(d, s, i, width: w) }
                    }
                }
                for m in someTestMems {
                    b.add("imul \(d.name(w)), \(Intel.ptr(w)) \(Intel.mem(m))") { $0.imul(d, m, width: w) }
                    b.add("imul \(d.name(w)), \(Intel.ptr(w)) \(Intel.mem(m)), 3") { $0.imul(d, m, 3, width: w) }
                    b.add("imul \(d.name(w)), \(Intel.ptr(w)) \(Intel.mem(m)), 1000") { $0.imul(d, m, 1000, width: w) }
                }
                for s in regs {
                    b.add("bt \(d.name(w)), \(s.name(w))") { $0.bt(d, s, width: w) }
                }
                for i: UInt8 in [0, 3, 15] {
                    b.add("bt \(d.name(w)), \(i)") { $0.bt(d, i, width: w) }
                }
            }
        }
        for r in regs {
            b.add("bswap \(r.name(.d))") { $0.bswap(r, width: .d) }
            b.add("bswap \(r.name(.q))") { $0.bswap(r) }
            b.add("push \(r.name())") { $0.push(r) }
            b.add("pop \(r.name())") { $0.pop(r) }
        }
        for i: Int32 in [0, 1, -1, 127, -128, 128, 0x1234, Int32.min, Int32.max] {
            b.add("push \(i)") { $0.push(i) }
        }
        for w in [Width.w, .d, .q] {
            for (d, s) in zip(regs, regs.reversed()) + [(.rax, .rax), (.r8, .r9)] {
                b.add("bts \(d.name(w)), \(s.name(w))") { $0.bts(d, s, width: w) }
                b.add("btr \(d.name(w)), \(s.name(w))") { $0.btr(d, s, width: w) }
                b.add("btc \(d.name(w)), \(s.name(w))") { $0.btc(d, s, width: w) }
                b.add("bts \(d.name(w)), 7") { $0.bts(d, 7, width: w) }
                b.add("btr \(d.name(w)), 1") { $0.btr(d, 1, width: w) }
                b.add("btc \(d.name(w)), 15") { $0.btc(d, 15, width: w) }
                b.add("bsf \(d.name(w)), \(s.name(w))") { $0.bsf(d, s, width: w) }
                b.add("bsr \(d.name(w)), \(s.name(w))") { $0.bsr(d, s, width: w) }
                b.add("popcnt \(d.name(w)), \(s.name(w))") { $0.popcnt(d, s, width: w) }
                b.add("tzcnt \(d.name(w)), \(s.name(w))") { $0.tzcnt(d, s, width: w) }
                b.add("lzcnt \(d.name(w)), \(s.name(w))") { $0.lzcnt(d, s, width: w) }
            }
            for m in someTestMems {
                b.add("test \(Intel.ptr(w)) \(Intel.mem(m)), \(GPR.r13.name(w))") { $0.test(.r13, m, width: w) }
            }
        }
        b.add("leave") { $0.leave() }
        b.add("cqo") { $0.cqo() }
        b.add("cdq") { $0.cdq() }
        b.add("cpuid") { $0.cpuid() }
        try b.compare()
    }

    // MARK: Control flow

    func testControlFlow() throws {
        let b = GasBatch()
        // Backward targets: near (rel8 chosen automatically) and far (rel32).
        let top = b.asm.newLabel()
        let topName = b.bindHere(top)
        b.add("nop") { $0.nop() }
        for c in Cond.allCases {
            b.add("j\(c.mnemonic) \(topName)") { $0.jcc(c, top) }
        }
        b.add("jmp \(topName)") { $0.jmp(top) }
        for c in Cond.allCases {
            b.add("{disp32} j\(c.mnemonic) \(topName)") { $0.jcc32(c, top) }
        }
        b.add("{disp32} jmp \(topName)") { $0.jmp32(top) }
        // Forward targets: rel32 by default, rel8 when asked (a second label keeps them in reach).
        let fwd = b.asm.newLabel(), near = b.asm.newLabel()
        var longForms: [(String, (X64Assembler) -> Void)] = []
        var shortForms: [(String, (X64Assembler) -> Void)] = []
        for c in Cond.allCases {
            longForms.append(("{disp32} j\(c.mnemonic)", { $0.jcc(c, fwd) }))
            shortForms.append(("j\(c.mnemonic)", { $0.jccShort(c, near) }))
        }
        longForms.append(("{disp32} jmp", { $0.jmp(fwd) }))
        longForms.append(("{disp32} jmp", { $0.patchableJump(to: fwd) }))
        longForms.append(("{disp32} jne", { $0.patchableJcc(.ne, to: fwd) }))
        longForms.append(("call", { $0.call(fwd) }))
        shortForms.append(("jmp", { $0.jmpShort(near) }))
        let fwdName = "m\(b.texts.count + longForms.count + shortForms.count)"
        for (t, f) in longForms { b.add("\(t) \(fwdName)", f) }
        for (t, f) in shortForms { b.add("\(t) \(fwdName)", f) }
        _ = b.bindHere(fwd)
        b.asm.bind(near)
        b.add("call \(topName)") { $0.call(top) }
        // Far backward: more than 128 bytes back.
        for _ in 0..<20 { b.add("nop") { $0.nop() } }
        for _ in 0..<12 { b.add("movabs rax, 0") { $0.movabs(.rax, 0) } }
        b.add("jmp \(topName)") { $0.jmp(top) }
        b.add("je \(topName)") { $0.jcc(.e, top) }
        for r in regs {
            b.add("call \(r.name())") { $0.call(r) }
            b.add("jmp \(r.name())") { $0.jmp(r) }
        }
        for m in someTestMems {
            b.add("call QWORD PTR \(Intel.mem(m))") { $0.call(m) }
            b.add("jmp QWORD PTR \(Intel.mem(m))") { $0.jmp(m) }
        }
        for c in Cond.allCases {
            for r in regs {
                b.add("set\(c.mnemonic) \(r.name(.b))") { $0.setcc(c, r) }
            }
            for w in [Width.w, .d, .q] {
                for (d, s) in zip(regs, regs.reversed()) {
                    b.add("cmov\(c.mnemonic) \(d.name(w)), \(s.name(w))") { $0.cmov(c, d, s, width: w) }
                }
                for m in someTestMems.prefix(5) {
                    b.add("cmov\(c.mnemonic) \(GPR.r9.name(w)), \(Intel.ptr(w)) \(Intel.mem(m))") { $0.cmov(c, .r9, m, width: w) }
                }
            }
        }
        for d in regs { for s in regs {
            b.add("cmovl \(d.name()), \(s.name())") { $0.cmov(.l, d, s) }
        } }
        b.add("ret") { $0.ret() }
        b.add("int3") { $0.int3() }
        b.add("ud2") { $0.ud2() }
        try b.compare()
    }

    // MARK: SSE

    func testSSE() throws {
        let b = GasBatch()
        let xs = XMM.all
        let rr: [(String, (X64Assembler, XMM, XMM) -> Void)] = [
            ("movsd", { $0.movsd($1, $2) }), ("movapd", { $0.movapd($1, $2) }),
            ("addsd", { $0.addsd($1, $2) }), ("subsd", { $0.subsd($1, $2) }),
            ("mulsd", { $0.mulsd($1, $2) }), ("divsd", { $0.divsd($1, $2) }),
            ("sqrtsd", { $0.sqrtsd($1, $2) }), ("minsd", { $0.minsd($1, $2) }),
            ("maxsd", { $0.maxsd($1, $2) }), ("ucomisd", { $0.ucomisd($1, $2) }),
            ("comisd", { $0.comisd($1, $2) }), ("xorpd", { $0.xorpd($1, $2) }),
            ("andpd", { $0.andpd($1, $2) }), ("andnpd", { $0.andnpd($1, $2) }),
            ("orpd", { $0.orpd($1, $2) }), ("pxor", { $0.pxor($1, $2) }),
        ]
        for (n, f) in rr { for d in xs { for s in xs {
            b.add("\(n) \(d), \(s)") { f($0, d, s) }
        } } }
        let rm: [(String, String, (X64Assembler, XMM, Mem) -> Void)] = [
            ("movsd", "QWORD", { $0.movsd($1, $2) }), ("movapd", "XMMWORD", { $0.movapd($1, $2) }),
            ("movupd", "XMMWORD", { $0.movupd($1, $2) }),
            ("addsd", "QWORD", { $0.addsd($1, $2) }), ("subsd", "QWORD", { $0.subsd($1, $2) }),
            ("mulsd", "QWORD", { $0.mulsd($1, $2) }), ("divsd", "QWORD", { $0.divsd($1, $2) }),
            ("sqrtsd", "QWORD", { $0.sqrtsd($1, $2) }), ("minsd", "QWORD", { $0.minsd($1, $2) }),
            ("maxsd", "QWORD", { $0.maxsd($1, $2) }), ("ucomisd", "QWORD", { $0.ucomisd($1, $2) }),
            ("comisd", "QWORD", { $0.comisd($1, $2) }), ("xorpd", "XMMWORD", { $0.xorpd($1, $2) }),
            ("andpd", "XMMWORD", { $0.andpd($1, $2) }), ("andnpd", "XMMWORD", { $0.andnpd($1, $2) }),
            ("orpd", "XMMWORD", { $0.orpd($1, $2) }), ("pxor", "XMMWORD", { $0.pxor($1, $2) }),
        ]
        for (n, p, f) in rm {
            for d in [XMM.xmm0, .xmm7, .xmm8, .xmm15] {
                for m in (n == "movsd" ? allTestMems : someTestMems) {
                    b.add("\(n) \(d), \(p) PTR \(Intel.mem(m))") { f($0, d, m) }
                }
            }
        }
        for s in xs {
            for m in allTestMems.prefix(40) {
                b.add("movsd QWORD PTR \(Intel.mem(m)), \(s)") { $0.movsd(m, s) }
            }
            for m in someTestMems {
                b.add("movapd XMMWORD PTR \(Intel.mem(m)), \(s)") { $0.movapd(m, s) }
                b.add("movupd XMMWORD PTR \(Intel.mem(m)), \(s)") { $0.movupd(m, s) }
            }
        }
        for x in xs { for r in regs {
            b.add("movq \(x), \(r.name())") { $0.movq(x, r) }
            b.add("movq \(r.name()), \(x)") { $0.movq(r, x) }
            b.add("movd \(x), \(r.name(.d))") { $0.movd(x, r) }
            b.add("movd \(r.name(.d)), \(x)") { $0.movd(r, x) }
            b.add("movmskpd \(r.name(.d)), \(x)") { $0.movmskpd(r, x) }
            for w in [Width.d, .q] {
                b.add("cvtsi2sd \(x), \(r.name(w))") { $0.cvtsi2sd(x, r, width: w) }
                b.add("cvttsd2si \(r.name(w)), \(x)") { $0.cvttsd2si(r, x, width: w) }
                b.add("cvtsd2si \(r.name(w)), \(x)") { $0.cvtsd2si(r, x, width: w) }
            }
        } }
        for m in someTestMems {
            for w in [Width.d, .q] {
                b.add("cvtsi2sd xmm9, \(Intel.ptr(w)) \(Intel.mem(m))") { $0.cvtsi2sd(.xmm9, m, width: w) }
                b.add("cvttsd2si \(GPR.r10.name(w)), QWORD PTR \(Intel.mem(m))") { $0.cvttsd2si(.r10, m, width: w) }
                b.add("cvtsd2si \(GPR.rdx.name(w)), QWORD PTR \(Intel.mem(m))") { $0.cvtsd2si(.rdx, m, width: w) }
            }
            b.add("roundsd xmm3, QWORD PTR \(Intel.mem(m)), 9") { $0.roundsd(.xmm3, m, .floor) }
            b.add("roundsd xmm12, QWORD PTR \(Intel.mem(m)), 4") { $0.roundsd(.xmm12, m, imm: 4) }
        }
        for d in xs { for s in xs {
            b.add("roundsd \(d), \(s), 10") { $0.roundsd(d, s, .ceil) }
        } }
        for d in xs { for s in xs {
            b.add("xorps \(d), \(s)") { $0.xorps(d, s) }
            b.add("andps \(d), \(s)") { $0.andps(d, s) }
            b.add("orps \(d), \(s)") { $0.orps(d, s) }
            b.add("movaps \(d), \(s)") { $0.movaps(d, s) }
            b.add("cvtsd2ss \(d), \(s)") { $0.cvtsd2ss(d, s) }
            b.add("cvtss2sd \(d), \(s)") { $0.cvtss2sd(d, s) }
        } }
        for p in CmpPredicate.allCases {
            for (d, s) in zip(xs, xs.reversed()) {
                b.add("cmpsd \(d), \(s), \(p.rawValue)") { $0.cmpsd(d, s, p) }
            }
            for m in someTestMems.prefix(5) {
                b.add("cmpsd xmm11, QWORD PTR \(Intel.mem(m)), \(p.rawValue)") { $0.cmpsd(.xmm11, m, p) }
            }
        }
        for m in someTestMems {
            b.add("xorps xmm1, XMMWORD PTR \(Intel.mem(m))") { $0.xorps(.xmm1, m) }
            b.add("andps xmm9, XMMWORD PTR \(Intel.mem(m))") { $0.andps(.xmm9, m) }
            b.add("orps xmm15, XMMWORD PTR \(Intel.mem(m))") { $0.orps(.xmm15, m) }
        }
        b.add("roundsd xmm0, xmm1, 8") { $0.roundsd(.xmm0, .xmm1, .nearest) }
        b.add("roundsd xmm0, xmm1, 11") { $0.roundsd(.xmm0, .xmm1, .trunc) }
        try b.compare()
    }

    // MARK: RIP-relative operands

    func testRIPRelative() throws {
        let b = GasBatch()
        let back = b.asm.newLabel()
        let backName = b.bindHere(back)
        b.add("nop") { $0.nop() }
        let fwd = b.asm.newLabel()
        var forms: [(String, (X64Assembler, Mem) -> Void)] = [
            ("mov rax, QWORD PTR @", { $0.mov(.rax, $1) }),
            ("mov QWORD PTR @, r9", { $0.mov($1, .r9) }),
            ("mov QWORD PTR @, 7", { $0.mov($1, 7) }),
            ("mov DWORD PTR @, 100000", { $0.mov($1, 100000, width: .d) }),
            ("mov BYTE PTR @, 1", { $0.mov($1, 1, width: .b) }),
            ("mov WORD PTR @, 300", { $0.mov($1, 300, width: .w) }),
            ("lea r12, @", { $0.lea(.r12, $1) }),
            ("cmp QWORD PTR @, 5", { $0.cmp($1, 5) }),
            ("cmp QWORD PTR @, 500", { $0.cmp($1, 500) }),
            ("test DWORD PTR @, 500", { $0.test($1, 500, width: .d) }),
            ("imul rcx, QWORD PTR @, 500", { $0.imul(.rcx, $1, 500) }),
            ("shl QWORD PTR @, 3", { $0.shift(.shl, $1, 3) }),
            ("movsd xmm13, QWORD PTR @", { $0.movsd(.xmm13, $1) }),
            ("addsd xmm1, QWORD PTR @", { $0.addsd(.xmm1, $1) }),
            ("xorpd xmm2, XMMWORD PTR @", { $0.xorpd(.xmm2, $1) }),
            ("roundsd xmm2, QWORD PTR @, 9", { $0.roundsd(.xmm2, $1, .floor) }),
            ("call QWORD PTR @", { $0.call($1) }),
            ("jmp QWORD PTR @", { $0.jmp($1) }),
        ]
        forms.append(("ucomisd xmm8, QWORD PTR @", { $0.ucomisd(.xmm8, $1) }))
        for (t, f) in forms {
            for d: Int32 in [0, 8, -16] {
                b.add(t.replacingOccurrences(of: "@", with: Intel.mem(Mem(.rax, d), ripName: backName))) { f($0, .rip(back, disp: d)) }
            }
        }
        let fwdName = "m\(b.texts.count + forms.count)"
        for (t, f) in forms {
            b.add(t.replacingOccurrences(of: "@", with: Intel.mem(Mem(.rax, 8), ripName: fwdName))) { f($0, .rip(fwd, disp: 8)) }
        }
        _ = b.bindHere(fwd)
        b.add("nop") { $0.nop() }
        try b.compare()
    }
}
