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
            (2147483648, "2147483648"), (1e14, "1e+14"), (123456789012345, "1.2345678901234e+14"),
            (99999999999999, "99999999999999"), (Double.leastNonzeroMagnitude, "4.9406564584125e-324"),
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
            ("1.5e3", 1500), ("1E2", 100), ("inf", .infinity), ("infinity", .infinity), ("-7", -7),
            ("  -.5e-1", -0.05), ("0", 0),
        ]
        for (s, d) in ok { XCTAssertEqual(NumberText.parse(s), d, s) }
        XCTAssertTrue(NumberText.parse("nan")!.isNaN)
        XCTAssertTrue(Value(NumberText.parse("-nan(0xfffffffffffff)") ?? 0).isNumber)
        let bad = ["1e", "0x", "1e+", "1 2", "12a", "", "  ", "- 1", "--1", "0x-1", "0b1", "1\0", "abc", "1..2",
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
