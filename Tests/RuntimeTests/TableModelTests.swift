import XCTest
@testable import Runtime

/// Randomized differential tests: a table against a dictionary model, with collections in between.
final class TableModelTests: XCTestCase {
    /// The model's key: numbers normalized (-0 -> 0), everything else by bits.
    func modelKey(_ k: Value) -> UInt64 { k.isNumber && k.number == 0 ? 0 : k.bits }

    func testRandomOperationsMatchAModel() throws {
        let heap = Heap()
        var rng = SplitMix(seed: 99)
        let anchor = try heap.newTable()          // keeps key objects and the tables under test alive
        heap.rootMarker = { h in h.mark(anchor) }
        var pool: [Value] = []
        for i in 0..<64 { pool.append(Value(try heap.intern("s\(i)"))) }
        for i in 0..<40 { pool.append(Value(i)) }
        for i in 0..<16 { pool.append(Value(Double(i) + 0.25)) }
        for i in 0..<8 { pool.append(Value(-Double(i))) }
        for i in 0..<8 { pool.append(Value(Double(1 << 30) * Double(i + 1))) }
        pool.append(Value(-0.0))
        pool.append(.true)
        pool.append(.false)
        for _ in 0..<16 { pool.append(Value(try heap.newTable())) }
        for (i, v) in pool.enumerated() { try anchor.set(int: i + 1, v, heap) }
        for round in 0..<40 {
            let t = try heap.newTable(narray: Int(rng.next() % 8), nhash: Int(rng.next() % 8))
            try anchor.set(int: 1000 + round, Value(t), heap)
            var model: [UInt64: Value] = [:]
            let ops = 200 + Int(rng.next() % 2000)
            for op in 0..<ops {
                let k = pool[Int(rng.next() % UInt64(pool.count))]
                let r = rng.next() % 10
                if r < 6 {
                    let v = Value(Double(op))
                    try t.set(k, v, heap)
                    model[modelKey(k)] = v
                } else if r < 8 {
                    try t.set(k, .nil, heap)
                    model[modelKey(k)] = nil
                } else if r == 8 {
                    XCTAssertEqual(t.get(k).bits, model[modelKey(k)]?.bits ?? Value.nil.bits)
                } else if rng.next() % 50 == 0 {
                    heap.collect()
                }
            }
            // Every key reads back as the model says, through every accessor.
            for k in pool {
                let expect = model[modelKey(k)]?.bits ?? Value.nil.bits
                XCTAssertEqual(t.get(k).bits, expect)
                if k.isString { XCTAssertEqual(t.get(str: k.string).bits, expect) }
                if let i = k.exactInt { XCTAssertEqual(t.get(int: i).bits, expect) }
                if k.isNumber { XCTAssertEqual(t.get(num: k.number).bits, expect) }
            }
            // next() visits exactly the model's entries, once each.
            var seen: [UInt64: Value] = [:]
            var key = Value.nil
            while let (nk, nv) = try t.next(key) {
                XCTAssertNil(seen[modelKey(nk)], "duplicate key in traversal")
                seen[modelKey(nk)] = nv
                key = nk
            }
            XCTAssertEqual(seen.count, model.count)
            for (mk, mv) in model { XCTAssertEqual(seen[mk]?.bits, mv.bits) }
            // # is a border.
            let n = t.length()
            if n == 0 { XCTAssertTrue(t.get(int: 1).isNil) } else {
                XCTAssertFalse(t.get(int: n).isNil)
                XCTAssertTrue(t.get(int: n + 1).isNil)
            }
            // Deleting everything during a traversal works and empties the table.
            key = .nil
            while let (nk, _) = try t.next(key) {
                try t.set(nk, .nil, heap)
                if rng.next() % 7 == 0 { heap.collect() }
                key = nk
            }
            XCTAssertEqual(t.entryCount(), 0)
        }
    }
}
