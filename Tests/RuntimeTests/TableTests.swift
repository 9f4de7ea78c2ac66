import XCTest
@testable import Runtime

final class TableTests: XCTestCase {
    var heap: Heap!
    override func setUp() { heap = Heap() }
    override func tearDown() { heap = nil }

    func s(_ x: String) -> Value { Value(try! heap.intern(x)) }

    func testBasicGetSet() throws {
        let t = try heap.newTable()
        XCTAssertTrue(t.get(int: 1).isNil)
        try t.set(int: 1, Value(10), heap)
        try t.set(s("a"), Value(20), heap)
        try t.set(Value(2.5), Value(30), heap)
        try t.set(Value.true, Value(40), heap)
        let t2 = try heap.newTable()
        try t.set(Value(t2), Value(50), heap)
        XCTAssertEqual(t.get(int: 1).number, 10)
        XCTAssertEqual(t.get(Value(1.0)).number, 10)
        XCTAssertEqual(t.get(s("a")).number, 20)
        XCTAssertEqual(t.get(str: try heap.intern("a")).number, 20)
        XCTAssertEqual(t.get(Value(2.5)).number, 30)
        XCTAssertEqual(t.get(Value.true).number, 40)
        XCTAssertTrue(t.get(Value.false).isNil)
        XCTAssertEqual(t.get(Value(t2)).number, 50)
        XCTAssertTrue(t.get(Value.nil).isNil)
        XCTAssertTrue(t.get(Value(Double.nan)).isNil)
        XCTAssertEqual(t.entryCount(), 5)
    }

    func testNilAndNaNKeys() throws {
        let t = try heap.newTable()
        XCTAssertThrowsError(try t.set(Value.nil, Value(1), heap)) { XCTAssertEqual($0 as? HeapError, .tableIndexIsNil) }
        XCTAssertThrowsError(try t.set(Value(Double.nan), Value(1), heap)) { XCTAssertEqual($0 as? HeapError, .tableIndexIsNaN) }
        XCTAssertEqual(HeapError.tableIndexIsNil.message, "table index is nil")
        XCTAssertEqual(HeapError.tableIndexIsNaN.message, "table index is NaN")
        XCTAssertEqual(t.entryCount(), 0)
    }

    func testZeroAndNegativeZeroAreOneKey() throws {
        let t = try heap.newTable()
        try t.set(Value(-0.0), Value(1), heap)
        XCTAssertEqual(t.get(Value(0.0)).number, 1)
        try t.set(Value(0.0), Value(2), heap)
        XCTAssertEqual(t.get(Value(-0.0)).number, 2)
        XCTAssertEqual(t.entryCount(), 1)
        let k = try t.next(.nil)!.key
        XCTAssertEqual(k.number.bitPattern, 0)  // stored as +0
        XCTAssertNil(try t.next(Value(-0.0)))
    }

    func testFloatKeysWithIntegerValuesUseTheArray() throws {
        let t = try heap.newTable(narray: 4)
        try t.set(Value(3.0), Value(7), heap)
        XCTAssertEqual(t.arrayValues[2].number, 7)
        XCTAssertEqual(t.get(int: 3).number, 7)
        try t.set(Value(3.5), Value(8), heap)
        XCTAssertEqual(t.get(num: 3.5).number, 8)
        XCTAssertEqual(t.get(int: 3).number, 7)
        // Keys outside the array range and negative/huge ones go to the hash.
        for k in [-1.0, 0, 1e20, -1e20, 5, 2147483648] { try t.set(Value(k), Value(k + 1), heap) }
        for k in [-1.0, 0, 1e20, -1e20, 5, 2147483648] { XCTAssertEqual(t.get(Value(k)).number, k + 1) }
        XCTAssertEqual(t.get(int: 5).number, 6)
    }

    func testArrayHashMigration() throws {
        let t = try heap.newTable()
        // Filling 1..n in order keeps everything in the array part.
        for i in 1...1000 { try t.set(int: i, Value(i), heap) }
        XCTAssertGreaterThanOrEqual(t.arraySize, 1000)
        XCTAssertEqual(t.hashSize, 0)
        XCTAssertEqual(t.length(), 1000)
        // Sparse keys live in the hash part.
        let u = try heap.newTable()
        for i in 1...100 { try u.set(int: i * 1000, Value(i), heap) }
        XCTAssertEqual(u.arraySize, 0)
        XCTAssertGreaterThanOrEqual(u.hashSize, 100)
        // Then filling the gaps migrates keys into the array part.
        for i in 1...100_000 { try u.set(int: i, Value(-i), heap) }
        XCTAssertGreaterThanOrEqual(u.arraySize, 100_000)
        for i in stride(from: 1, through: 100_000, by: 997) { XCTAssertEqual(u.get(int: i).number, Double(-i)) }
        XCTAssertEqual(u.length(), 100_000)
        // Filling in reverse order also ends in the array part.
        let r = try heap.newTable()
        for i in stride(from: 500, through: 1, by: -1) { try r.set(int: i, Value(i), heap) }
        XCTAssertEqual(r.length(), 500)
        for i in 1...500 { XCTAssertEqual(r.get(int: i).number, Double(i)) }
    }

    func testThousandsOfMixedKeys() throws {
        let t = try heap.newTable()
        var keys: [Value] = []
        for i in 0..<5000 {
            keys.append(s("k\(i)"))
            keys.append(Value(Double(i) + 0.5))
            keys.append(Value(i * 3))
        }
        for (n, k) in keys.enumerated() { try t.set(k, Value(n), heap) }
        for (n, k) in keys.enumerated() { XCTAssertEqual(t.get(k).number, Double(n)) }
        XCTAssertEqual(t.entryCount(), keys.count)
        // Delete half; the rest is still there.
        for (n, k) in keys.enumerated() where n % 2 == 0 { try t.set(k, .nil, heap) }
        for (n, k) in keys.enumerated() {
            if n % 2 == 0 { XCTAssertTrue(t.get(k).isNil) } else { XCTAssertEqual(t.get(k).number, Double(n)) }
        }
        XCTAssertEqual(t.entryCount(), keys.count / 2)
        // Re-insert after deletion.
        for (n, k) in keys.enumerated() where n % 2 == 0 { try t.set(k, Value(-n), heap) }
        for (n, k) in keys.enumerated() { XCTAssertEqual(t.get(k).number, Double(n % 2 == 0 ? -n : n)) }
    }

    func testNextVisitsEverythingOnce() throws {
        let t = try heap.newTable()
        for i in 1...50 { try t.set(int: i, Value(i), heap) }
        for i in 0..<200 { try t.set(s("x\(i)"), Value(i), heap) }
        var seen = Set<UInt64>()
        var k = Value.nil
        while let (key, _) = try t.next(k) {
            XCTAssertTrue(seen.insert(key.bits).inserted)
            k = key
        }
        XCTAssertEqual(seen.count, 250)
    }

    func testDeletionAndAssignmentDuringTraversal() throws {
        let t = try heap.newTable()
        for i in 1...20 { try t.set(int: i, Value(i), heap) }
        for i in 0..<300 { try t.set(s("f\(i)"), Value(i), heap) }
        var k = Value.nil
        var visited = 0
        while let (key, _) = try t.next(k) {
            visited += 1
            try t.set(key, .nil, heap)                 // delete the current key
            k = key
        }
        XCTAssertEqual(visited, 320)
        XCTAssertEqual(t.entryCount(), 0)
        // Assigning existing fields during traversal keeps it stable.
        for i in 0..<300 { try t.set(s("g\(i)"), Value(i), heap) }
        k = .nil
        visited = 0
        while let (key, v) = try t.next(k) {
            visited += 1
            try t.set(key, Value(v.number * 2), heap)
            k = key
        }
        XCTAssertEqual(visited, 300)
        for i in 0..<300 { XCTAssertEqual(t.get(s("g\(i)")).number, Double(2 * i)) }
    }

    func testNextAfterGCTurnedDeletedKeysDead() throws {
        let t = try heap.newTable()
        var objs: [TableRef] = []
        for _ in 0..<10 { let o = try heap.newTable(); objs.append(o); try t.set(Value(o), Value(1), heap) }
        heap.rootMarker = { h in h.mark(t) }
        var k = Value.nil
        var n = 0
        while let (key, _) = try t.next(k) {
            try t.set(key, .nil, heap)
            heap.collect()               // the deleted key object is freed; its node keeps a dead key
            k = key
            n += 1
        }
        XCTAssertEqual(n, 10)
    }

    func testInvalidKeyToNext() throws {
        let t = try heap.newTable()
        try t.set(s("a"), Value(1), heap)
        XCTAssertThrowsError(try t.next(s("zzz"))) { XCTAssertEqual($0 as? HeapError, .invalidKeyToNext) }
        XCTAssertThrowsError(try t.next(Value(99))) { XCTAssertEqual($0 as? HeapError, .invalidKeyToNext) }
        XCTAssertEqual(HeapError.invalidKeyToNext.message, "invalid key to 'next'")
        XCTAssertNil(try t.next(s("a")))
        let e = try heap.newTable()
        XCTAssertNil(try e.next(.nil))
    }

    func testLengthBorders() throws {
        // Cases checked against LuaJIT 2.1 (see also the randomized luajit comparison below).
        func build(_ keys: [Int]) throws -> Int {
            let t = try heap.newTable()
            for k in keys { try t.set(int: k, Value(k), heap) }
            return t.length()
        }
        XCTAssertEqual(try build([2]), 2)
        XCTAssertEqual(try build([3]), 0)
        XCTAssertEqual(try build([4]), 0)
        XCTAssertEqual(try build([2, 3]), 3)
        XCTAssertEqual(try build([3, 4]), 0)
        XCTAssertEqual(try build([5]), 0)
        XCTAssertEqual(try build([2, 4]), 4)
        XCTAssertEqual(try build([1, 3]), 1)
        XCTAssertEqual(try build([1, 4]), 4)
        XCTAssertEqual(try build([1, 5]), 1)
        XCTAssertEqual(try build([1, 2, 4]), 4)
        XCTAssertEqual(try build([1, 2, 5]), 2)
        XCTAssertEqual(try build([1, 2, 3, 5]), 3)
        XCTAssertEqual(try build([1, 2, 3, 6]), 3)
        XCTAssertEqual(try build([1, 2, 3, 4, 6]), 6)
        XCTAssertEqual(try build([1, 2, 3, 4, 7]), 4)
        // Constructor-style: TNEW with an array hint, then stores (incl. nil holes).
        let t = try heap.newTable(narray: 4)
        for (i, v) in [Value(1), Value(2), .nil, Value(4)].enumerated() { try t.set(int: i + 1, v, heap) }
        XCTAssertEqual(t.length(), 4)
        let u = try heap.newTable(narray: 4)
        for (i, v) in [Value(1), .nil, Value(3), .nil].enumerated() { try u.set(int: i + 1, v, heap) }
        XCTAssertEqual(u.length(), 1)
        let w = try heap.newTable()
        for i in 1...10 { try w.set(int: i, Value(i), heap) }
        try w.set(int: 5, .nil, heap)
        XCTAssertEqual(w.length(), 10)
        try w.set(int: 10, .nil, heap)
        XCTAssertEqual(w.length(), 9)
        // A string key before an integer key.
        let x = try heap.newTable()
        try x.set(s("x"), Value(1), heap)
        try x.set(int: 2, Value(2), heap)
        XCTAssertEqual(x.length(), 0)
        XCTAssertEqual(try heap.newTable().length(), 0)
    }

    func testLengthMatchesLuaJIT() throws {
        guard let luajit = findExecutable("luajit") else { throw XCTSkip("luajit not installed") }
        var rng = SplitMix(seed: 12345)
        var scenarios: [[(Int, Bool)]] = []    // (key, set non-nil?) sequences
        for _ in 0..<1500 {
            let n = Int(rng.next() % 40) + 1
            let range = [8, 20, 70][Int(rng.next() % 3)]
            var ops: [(Int, Bool)] = []
            for _ in 0..<n { ops.append((Int(rng.next() % UInt64(range)) + 1, rng.next() % 5 != 0)) }
            scenarios.append(ops)
        }
        var lua = "local r = {}\n"
        for ops in scenarios {
            lua += "do local t = {} "
            for (k, set) in ops { lua += set ? "t[\(k)]=\(k) " : "t[\(k)]=nil " }
            lua += "r[#r+1] = #t end\n"
        }
        lua += "print(table.concat(r, ' '))\n"
        let expected = try runLua(luajit, lua).split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        XCTAssertEqual(expected.count, scenarios.count)
        var mismatches = 0
        for (i, ops) in scenarios.enumerated() {
            let t = try heap.newTable()
            for (k, set) in ops { try t.set(int: k, set ? Value(k) : .nil, heap) }
            if t.length() != expected[i] {
                mismatches += 1
                if mismatches < 5 { XCTFail("scenario \(i) \(ops): ours \(t.length()) luajit \(expected[i])") }
            }
        }
        XCTAssertEqual(mismatches, 0)
    }

    func testSizeHints() throws {
        let t = try heap.newTable(narray: 10, nhash: 5)
        XCTAssertEqual(t.arraySize, 10)
        XCTAssertEqual(t.hashSize, 8)
        XCTAssertEqual(try heap.newTable(nhash: 1).hashSize, 2)
        try heap.reserveArray(t, 100)
        XCTAssertEqual(t.arraySize, 100)
        try t.set(int: 100, Value(1), heap)
        XCTAssertEqual(t.hashSize, 8)
    }

    func testSlotAccess() throws {
        let t = try heap.newTable()
        let k = try heap.intern("field")
        XCTAssertNil(t.slot(str: k))
        try t.set(str: k, Value(1), heap)
        let p = try XCTUnwrap(t.slot(str: k))
        p.pointee = Value(2)
        XCTAssertEqual(t.get(str: k).number, 2)
        XCTAssertEqual(t.slot(Value(k))?.pointee.number, 2)
        try t.set(int: 1, Value(5), heap)
        XCTAssertEqual(t.slot(Value(1))?.pointee.number, 5)
    }

    func testMetamethodCache() throws {
        let mt = try heap.newTable()
        XCTAssertTrue(heap.metamethod(mt, .index).isNil)
        XCTAssertNotEqual(mt.pointee.nomm & (1 << UInt32(MetaEvent.index.rawValue)), 0)
        // A store into the metatable invalidates the cache.
        let f = try heap.newNativeFunction(builtin: 1)
        try mt.set(Value(heap.mmName(.index)), Value(f), heap)
        XCTAssertEqual(heap.metamethod(mt, .index).bits, Value(f).bits)
        XCTAssertTrue(heap.metamethod(mt, .newindex).isNil)
        try mt.set(str: heap.mmName(.newindex), Value(f), heap)
        XCTAssertEqual(heap.metamethod(mt, .newindex).bits, Value(f).bits)
        try mt.set(str: heap.mmName(.index), .nil, heap)
        XCTAssertTrue(heap.metamethod(mt, .index).isNil)
        let t = try heap.newTable()
        t.metatable = mt
        XCTAssertEqual(heap.metamethod(of: Value(t), .newindex).bits, Value(f).bits)
        XCTAssertTrue(heap.metamethod(of: Value(1), .newindex).isNil)
        XCTAssertEqual(heap.mmName(.index).string, "__index")
        XCTAssertEqual(heap.mmName(.tostring).string, "__tostring")
    }

    func testStoresFailingAtTheCeilingLeaveTheTableIntact() throws {
        let t = try heap.newTable()
        for i in 1...64 { try t.set(s("k\(i)"), Value(i), heap) }
        let keys = (65...5000).map { s("k\($0)") }
        let after = s("after")
        heap.maxMemory = heap.totalBytes + 100
        var failed = false
        for (i, k) in keys.enumerated() {
            do { try t.set(k, Value(i), heap) } catch { XCTAssertEqual(error as? HeapError, .outOfMemory); failed = true; break }
        }
        XCTAssertTrue(failed)
        heap.maxMemory = .max
        for i in 1...64 { XCTAssertEqual(t.get(s("k\(i)")).number, Double(i)) }
        try t.set(after, Value(1), heap)
        XCTAssertEqual(t.get(after).number, 1)
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func findExecutable(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

func runLua(_ exe: String, _ source: String) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tj-runtime-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).lua")
    try source.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = [file.path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
