import XCTest
@testable import Runtime

final class StringTests: XCTestCase {
    func testInterningIdentity() throws {
        let heap = Heap()
        let a = try heap.intern("hello")
        let b = try heap.intern(Array("hello".utf8))
        let c = try heap.intern(String(["h", "e", "l", "l", "o"]))
        XCTAssertEqual(a, b)
        XCTAssertEqual(a, c)
        XCTAssertNotEqual(a, try heap.intern("hellO"))
        XCTAssertEqual(a.count, 5)
        XCTAssertEqual(a.string, "hello")
        XCTAssertEqual(a.bytes[5], 0)
        let e1 = try heap.intern("")
        let e2 = try heap.intern([])
        XCTAssertEqual(e1, e2)
        XCTAssertEqual(e1.count, 0)
        // Arbitrary bytes, embedded NULs.
        let raw: [UInt8] = [0, 1, 255, 0, 7]
        XCTAssertEqual(try heap.intern(raw), try heap.intern(raw))
        XCTAssertEqual(try heap.intern(raw).array, raw)
        XCTAssertNotEqual(try heap.intern([0, 1, 255, 0]), try heap.intern(raw))
    }

    func testManyStringsAndTableGrowth() throws {
        let heap = Heap()
        var refs: [StringRef] = []
        for i in 0..<20000 { refs.append(try heap.intern("key\(i)")) }
        for i in stride(from: 0, to: 20000, by: 7) { XCTAssertEqual(refs[i], try heap.intern("key\(i)")) }
        XCTAssertEqual(Set(refs.map { UInt(bitPattern: $0) }).count, 20000)
        // Hash spread: low bits of the hashes of similar strings are well distributed.
        var buckets = [Int](repeating: 0, count: 256)
        for r in refs { buckets[Int(r.pointee.hash & 255)] += 1 }
        XCTAssertLessThan(buckets.max()!, 20000 / 256 * 2)
    }

    func testLongStrings() throws {
        let heap = Heap()
        var big = [UInt8](repeating: 65, count: 100_000)
        let a = try heap.intern(big)
        big[50_001] = 66    // a byte the hash may not sample: still a different string
        let b = try heap.intern(big)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(b, try heap.intern(big))
        XCTAssertEqual(b.count, 100_000)
        // Hash is seeded per heap but deterministic within one.
        XCTAssertEqual(Heap.hashBytes(big, big.count, seed: 1), Heap.hashBytes(big, big.count, seed: 1))
        XCTAssertNotEqual(Heap.hashBytes(big, big.count, seed: 1), Heap.hashBytes(big, big.count, seed: 2))
    }

    func testNumberFormatting() {
        let zero = Double(bitPattern: 0)
        let cases: [(Double, String)] = [
            (zero / zero, "nan"), (-(zero / zero), "nan"), (1 / zero, "inf"), (-1 / zero, "-inf"),
            (1e15, "1e+15"), (9007199254740992, "9.007199254741e+15"), (0.1, "0.1"), (-0.0, "-0"),
            (0, "0"), (1, "1"), (-1.5, "-1.5"), (100, "100"), (1e100, "1e+100"),
            (123456789012345680, "1.2345678901235e+17"), (1e-5, "1e-05"), (3.14159265358979, "3.1415926535898"),
            (2147483648, "2147483648"), (1e14, "1e+14"), (123456789012345, "1.2345678901235e+14"), (12345678901234.5, "12345678901235"),
            (99999999999999, "99999999999999"), (Double.leastNonzeroMagnitude, "4.9406564584125e-324"),
            (-99999999999999, "-99999999999999"), (-100000000000000, "-1e+14"), (12, "12"), (-7, "-7"),
            (2.5, "2.5"), (-2147483648, "-2147483648"),
        ]
        for (d, s) in cases { XCTAssertEqual(NumberText.format(d), s, "\(d)") }
    }

    func testNumberToStringInterned() throws {
        let heap = Heap()
        XCTAssertEqual(try heap.numberToString(42), try heap.intern("42"))
        XCTAssertEqual(try heap.numberToString(0.5).string, "0.5")
    }

    func testStringToNumber() {
        let ok: [(String, Double)] = [
            ("0x10", 16), (" 0x10 ", 16), ("  12  ", 12), ("0X1F", 31), ("-0x10", -16), ("+0x10", 16),
            ("0x1.8", 1.5), ("0x1p4", 16), (".5", 0.5), ("5.", 5), ("1e308", 1e308), ("1e309", .infinity),
            ("-1e309", -.infinity), ("0x7fffffffffffffff", 9223372036854775808),
            ("0xffffffffffffffffff", 4.722366482869645e21), ("\t\n12\u{0B}\u{0C}\r", 12), ("+5", 5),
            ("1.5e3", 1500), ("1E2", 100), ("0b1", 1), ("-0B101", -5), ("inf", .infinity), ("infinity", .infinity), ("-7", -7),
            ("  -.5e-1", -0.05), ("0", 0), ("-0", -0.0), ("007", 7), ("123456789012345", 123456789012345),
            ("1234567890123456789", 1.2345678901234568e18),
        ]
        for (s, d) in ok { XCTAssertEqual(NumberText.parse(s), d, s) }
        XCTAssertTrue(NumberText.parse("nan")!.isNaN)
        XCTAssertTrue(Value(NumberText.parse("-nan(0xfffffffffffff)") ?? 0).isNumber)
        let bad = ["+", "-", "1e", "0x", "1e+", "1 2", "12a", "", "  ", "- 1", "--1", "0x-1", "0b2", "0b", "1\0", "abc", "1..2",
                   "0x1g", "1e5x", "\u{0B}"]
        for s in bad { XCTAssertNil(NumberText.parse(s), s) }
        // Long inputs go through the heap-buffer path.
        XCTAssertEqual(NumberText.parse(String(repeating: " ", count: 100) + "42" + String(repeating: "0", count: 70)), 42e70)
    }

    func testConcat() throws {
        let heap = Heap()
        let a = Value(try heap.intern("x="))
        var vals = [a, Value(1.5), Value(try heap.intern("!")), Value(-0.0)]
        let s = try vals.withUnsafeMutableBufferPointer { try heap.concat($0.baseAddress!, count: 4) }
        XCTAssertEqual(s?.string, "x=1.5!-0")
        XCTAssertEqual(s, try heap.intern("x=1.5!-0"))
        XCTAssertNil(try heap.concat(a, Value.true))
        XCTAssertEqual(try heap.concat(Value(1), Value(2))?.string, "12")
    }
}

final class NumberTextOracleTests: XCTestCase {
    /// tostring of many numbers compared with luajit's.
    func testFormattingMatchesLuaJIT() throws {
        guard let luajit = findExecutable("luajit") else { throw XCTSkip("luajit not installed") }
        var rng = SplitMix(seed: 7)
        var nums: [Double] = [0, -0.0, 1e14, -1e14, 1e14 - 1, 99999999999999.5, 1e15, 1e16, 2.5e-7, 0.1 + 0.2]
        for _ in 0..<600 {
            switch rng.next() % 5 {
            case 0: nums.append(Double(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 63)))
            case 1: nums.append(Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF))
            case 2: nums.append(Double(rng.next() % 100_000) / 64)
            case 3: nums.append(Double(rng.next() % 1000) * pow(10, Double(Int(rng.next() % 40) - 20)))
            default: nums.append(-Double(rng.next() % 1_000_000_000_000_000))
            }
        }
        var lua = "local t = {\n"
        for d in nums { lua += "  \(d.isNaN ? "0/0" : String(format17(d))),\n" }
        lua += "}\nfor i = 1, #t do io.write(tostring(t[i]), '\\n') end\n"
        let out = try runLua(luajit, lua).split(separator: "\n").map(String.init)
        XCTAssertEqual(out.count, nums.count)
        for (i, d) in nums.enumerated() where i < out.count {
            XCTAssertEqual(NumberText.format(d), out[i], "bits \(String(d.bitPattern, radix: 16))")
        }
    }

    /// tonumber of assorted strings compared with luajit's.
    func testParsingMatchesLuaJIT() throws {
        guard let luajit = findExecutable("luajit") else { throw XCTSkip("luajit not installed") }
        let inputs = ["1", "-1", "+1", " 1 ", "1.", ".1", "1e1", "1E+1", "1e-1", "0x1F", "0XaB", "-0x10", "0x",
                      "0x.8", "0x1p-2", "1e", "e1", ".", "-.", "1.2.3", "12abc", "0x1g", "  0x10  ", "\t5\n",
                      "inf", "-inf", "nan", "1e400", "-1e400", "00012", "1_000", "1,5", "0b101", "0o7", "--1",
                      "999999999999999", "9999999999999999", "123456789012345678901234567890", "4.9e-324",
                      "1e-400", "0x7fffffffffffffff", "0x10000000000000000", "  ", "", "+-1", "1 1", "0x 1"]
        var lua = "local t = {\n"
        for s in inputs { lua += "  \"\(s.replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n"))\",\n" }
        lua += "}\nfor i = 1, #t do local n = tonumber(t[i]) io.write(n == nil and 'nil' or string.format('%.17g', n), '\\n') end\n"
        let out = try runLua(luajit, lua).split(separator: "\n").map(String.init)
        XCTAssertEqual(out.count, inputs.count)
        for (i, s) in inputs.enumerated() where i < out.count {
            let ours = NumberText.parse(s).map { format17($0) } ?? "nil"
            XCTAssertEqual(ours, out[i], "input \"\(s)\"")
        }
    }
}

/// "%.17g" (round-trips a double), via libc.
func format17(_ d: Double) -> String {
    var buf = [CChar](repeating: 0, count: 64)
    _ = withVaList([d]) { vsnprintf(&buf, 64, "%.17g", $0) }
    return String(cString: buf)
}
