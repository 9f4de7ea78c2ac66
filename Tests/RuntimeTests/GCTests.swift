import XCTest
import Bytecode
@testable import Runtime

final class GCTests: XCTestCase {
    func testReachableSurvivesUnreachableIsFreed() throws {
        let heap = Heap()
        let base = heap.objectCount
        let baseBytes = heap.totalBytes
        let root = try heap.newTable()
        heap.rootMarker = { h in h.mark(root) }
        for i in 1...100 {
            let t = try heap.newTable()
            try t.set(int: 1, Value(try heap.intern("payload \(i)")), heap)
            if i % 2 == 0 { try root.set(int: i / 2, Value(t), heap) }
        }
        XCTAssertEqual(heap.objectCount, base + 1 + 100 + 100)
        heap.collect()
        XCTAssertEqual(heap.objectCount, base + 1 + 50 + 50)
        for i in 1...50 {
            let t = root.get(int: i).table
            XCTAssertEqual(t.get(int: 1).string.string, "payload \(2 * i)")
        }
        heap.rootMarker = nil
        heap.collect()
        XCTAssertEqual(heap.objectCount, base)
        XCTAssertEqual(heap.totalBytes, baseBytes)
    }

    func testAccountingReturnsToBaseline() throws {
        let heap = Heap()
        let baseBytes = heap.totalBytes
        let base = heap.objectCount
        // Inline (colocated) array parts, grown out of line, shrunk, hash parts, strings.
        for n in [1, 2, 7, 255, 256, 1000] {
            let t = try heap.newTable(narray: n, nhash: n % 5)
            for i in 1...(n * 3) { try t.set(int: i, Value(i), heap) }
            for i in 1...(n * 3) where i % 3 != 0 { try t.set(int: i, .nil, heap) }
            try t.set(Value(try heap.intern("k\(n)")), Value(1), heap)
            for i in 1...(n * 3) { try t.set(num: Double(i) + 0.5, Value(i), heap) }
        }
        _ = try heap.newThread(stackSize: 1000)
        _ = try heap.newUserdata(size: 100)
        heap.collect()
        XCTAssertEqual(heap.totalBytes, baseBytes)
        XCTAssertEqual(heap.objectCount, base)
    }

    func testCyclesAreCollected() throws {
        let heap = Heap()
        let base = heap.objectCount
        let baseBytes = heap.totalBytes
        let a = try heap.newTable(), b = try heap.newTable()
        try a.set(int: 1, Value(b), heap)
        try b.set(int: 1, Value(a), heap)
        a.metatable = b
        b.metatable = a
        try a.set(Value(a), Value(b), heap)
        heap.collect()
        XCTAssertEqual(heap.objectCount, base)
        XCTAssertEqual(heap.totalBytes, baseBytes)
    }

    func testStringsAreCollected() throws {
        let heap = Heap()
        let base = heap.stringCount
        let keep = try heap.intern("keep me")
        heap.rootMarker = { h in h.mark(keep) }
        for i in 0..<1000 { _ = try heap.intern("temp \(i)") }
        XCTAssertEqual(heap.stringCount, base + 1001)
        heap.collect()
        XCTAssertEqual(heap.stringCount, base + 1)
        XCTAssertEqual(try heap.intern("keep me"), keep)
        // Metamethod names are fixed.
        XCTAssertEqual(heap.mmName(.index).string, "__index")
        XCTAssertEqual(try heap.intern("__index"), heap.mmName(.index))
    }

    func testWeakTables() throws {
        let heap = Heap()
        let strong = try heap.newTable()
        let wk = try heap.newTable(), wv = try heap.newTable(), wkv = try heap.newTable()
        for (t, mode) in [(wk, "k"), (wv, "v"), (wkv, "kv")] {
            let mt = try heap.newTable()
            try mt.set(str: heap.mmName(.mode), Value(try heap.intern(mode)), heap)
            t.metatable = mt
        }
        heap.rootMarker = { h in h.mark(strong); h.mark(wk); h.mark(wv); h.mark(wkv) }
        let live = try heap.newTable()
        try strong.set(int: 1, Value(live), heap)
        let str = Value(try heap.intern("a string"))
        for t in [wk, wv, wkv] {
            try t.set(Value(live), Value(try heap.newTable()), heap)           // live key, dead value
            try t.set(Value(try heap.newTable()), Value(live), heap)           // dead key, live value
            try t.set(Value(try heap.newTable()), Value(try heap.newTable()), heap)  // both dead
            try t.set(str, Value(try heap.newTable()), heap)                   // string key, dead value
            try t.set(int: 1, Value(try heap.newTable()), heap)                // array slot, dead value
            try t.set(int: 2, str, heap)                                       // strings are not weak
            try t.set(Value(try heap.newTable()), str, heap)                   // dead key, string value
        }
        heap.collect()
        // weak keys: only entries whose key is a dead object go.
        XCTAssertFalse(wk.get(Value(live)).isNil)
        XCTAssertFalse(wk.get(str).isNil)
        XCTAssertFalse(wk.get(int: 1).isNil)
        XCTAssertEqual(wk.get(int: 2).bits, str.bits)
        XCTAssertEqual(wk.entryCount(), 4)
        // weak values: entries whose value is a dead object go.
        XCTAssertTrue(wv.get(Value(live)).isNil)
        XCTAssertTrue(wv.get(str).isNil)
        XCTAssertTrue(wv.get(int: 1).isNil)
        XCTAssertEqual(wv.get(int: 2).bits, str.bits)
        XCTAssertEqual(wv.entryCount(), 3)   // dead key->live, 2->str, dead key->str
        // weak keys and values: only entries with both sides alive (or strings).
        XCTAssertEqual(wkv.entryCount(), 1)
        XCTAssertEqual(wkv.get(int: 2).bits, str.bits)
        // Without ephemerons (as 5.1), a value of a cleared weak-key entry survives the collection
        // that cleared it and goes in the next one; after that the heap is stable.
        heap.collect()
        let n = heap.objectCount
        heap.collect()
        XCTAssertEqual(heap.objectCount, n)
        // Weak tables still work afterwards.
        try wk.set(Value(live), Value(7), heap)
        XCTAssertEqual(wk.get(Value(live)).number, 7)
    }

    func testClosuresUpvaluesAndProtos() throws {
        let heap = Heap()
        let base = heap.objectCount
        let proto = Proto(source: "=t", lineDefined: 0, lastLineDefined: 0, numParams: 0, isVararg: true,
                          frameSize: 4, code: [Instruction(.RET0, a: 0, d: 1)],
                          constants: [.string(Array("kconst".utf8)), .number(1.5)],
                          upvalues: [UpvalueDesc(inParentFrame: true, index: 1)], protos: [], debug: nil)
        let p = try heap.newProto(proto)
        XCTAssertEqual(p.pointee.nk, 2)
        XCTAssertEqual(p.constants[0].string.string, "kconst")
        XCTAssertEqual(p.constants[1].number, 1.5)
        XCTAssertEqual(p.code[0], Instruction(.RET0, a: 0, d: 1).raw)
        XCTAssertTrue(p.upvalueDesc(0) == (true, 1))
        XCTAssertTrue(p.source === proto)
        let th = try heap.newThread(stackSize: 256)
        let stack = th.stackValues
        stack[1] = Value(try heap.newTable())
        th.pointee.top = 4
        let f = try heap.newLuaFunction(p, env: nil)
        let uv = try heap.findUpvalue(th, slot: stack + 1)
        XCTAssertEqual(try heap.findUpvalue(th, slot: stack + 1), uv)
        f.upvalues[0] = uv
        heap.rootMarker = { h in h.mark(f) }   // the thread is not a root: only the closure is
        heap.collect()
        // The thread died: its open upvalue was closed and keeps the table alive.
        XCTAssertEqual(uv.pointee.isclosed, 1)
        XCTAssertTrue(uv.value.isTable)
        XCTAssertEqual(uv.value.table.entryCount(), 0)
        XCTAssertEqual(f.upvalues[0], uv)
        XCTAssertEqual(p.constants[0].string.string, "kconst")   // proto constants are marked
        heap.rootMarker = nil
        heap.collect()
        XCTAssertEqual(heap.objectCount, base)
    }

    func testThreadStacksAndUpvalueClosing() throws {
        let heap = Heap()
        let th = try heap.newThread(stackSize: 1024)
        heap.rootMarker = { h in h.mark(th) }
        let s = th.stackValues
        for i in 0..<10 { s[i] = Value(try heap.newTable()) }
        th.pointee.top = 5
        let u3 = try heap.findUpvalue(th, slot: s + 3)
        let u7 = try heap.findUpvalue(th, slot: s + 7)
        let u1 = try heap.findUpvalue(th, slot: s + 1)
        // Sorted by descending slot.
        XCTAssertEqual(th.pointee.openupval, u7)
        XCTAssertEqual(u7.pointee.nextopen, u3)
        XCTAssertEqual(u3.pointee.nextopen, u1)
        heap.collect()
        // Slots 0..4 are live; 7 is held through its open upvalue (marked as the thread's).
        XCTAssertEqual(s[3].table.entryCount(), 0)
        XCTAssertTrue(u7.value.isTable)
        heap.closeUpvalues(th, level: s + 3)
        XCTAssertEqual(th.pointee.openupval, u1)
        XCTAssertEqual(u3.pointee.isclosed, 1)
        XCTAssertEqual(u3.value.bits, s[3].bits)
        u3.value = Value(42)
        XCTAssertEqual(u3.value.number, 42)
        XCTAssertTrue(s[3].isTable)    // closed: no longer aliases the stack
        u1.value = Value(9)
        XCTAssertEqual(s[1].number, 9) // open: writes go to the stack
    }

    func testFreedThreadStacksAreReusedClean() throws {
        let heap = Heap()
        for _ in 0..<3 {
            for _ in 0..<10 {
                let th = try heap.newThread(stackSize: 1024)
                let s = th.stackValues
                // Fresh from mmap or reused: every slot reads as 0 (the double 0.0), never a stale
                // reference, wherever the cache colouring puts slot 0 this time.
                let m = Heap.pageStart(UnsafeMutableRawPointer(s)).assumingMemoryBound(to: Value.self)
                var bad = 0
                for i in 0..<(s - m + 600) where m[i].bits != 0 { bad += 1 }
                XCTAssertEqual(bad, 0)
                let t = try heap.newTable()
                for i in 0..<500 { s[i] = Value(t) }
                th.pointee.top = 500
            }
            heap.collect()   // no roots: threads and tables are freed, the stacks kept
            XCTAssertGreaterThan(heap.st.pointee.spareCount, 0)
        }
        // A kept stack is handed out again for the same size only.
        let before = heap.st.pointee.spareCount
        _ = try heap.newThread(stackSize: 2048)
        XCTAssertEqual(heap.st.pointee.spareCount, before)
        _ = try heap.newThread(stackSize: 1024)
        XCTAssertEqual(heap.st.pointee.spareCount, before - 1)
    }

    func testMemoryCeilingLeavesHeapUsable() throws {
        let heap = Heap(maxMemory: 2 * 1024 * 1024)
        let root = try heap.newTable()
        heap.rootMarker = { h in h.mark(root) }
        heap.allocMayCollect = true
        var hit = false
        var i = 1
        while i < 1_000_000 {
            do {
                try root.set(int: i, Value(try heap.newTable(narray: 8)), heap)
            } catch {
                XCTAssertEqual(error as? HeapError, .outOfMemory)
                hit = true
                break
            }
            i += 1
        }
        XCTAssertTrue(hit)
        XCTAssertLessThanOrEqual(heap.totalBytes, 2 * 1024 * 1024)
        // Everything stored before the failure is intact.
        for j in 1..<i { XCTAssertTrue(root.get(int: j).isTable) }
        // Drop the data: allocation works again.
        for j in 1..<i { try root.set(int: j, .nil, heap) }
        heap.collect()
        let t = try heap.newTable(narray: 100)
        try root.set(int: 1, Value(t), heap)
        XCTAssertTrue(root.get(int: 1).isTable)
    }

    func testFreeListsAreTrimmedAfterABigPhase() throws {
        let heap = Heap()
        heap.isRunning = false
        for _ in 0..<300_000 { _ = try heap.newTable(narray: 8) }   // ~40 MB of small blocks
        heap.collect()                                               // all garbage
        XCTAssertLessThan(heap.st.pointee.freeListBytes, 16 << 20)
        let t = try heap.newTable(narray: 8)                         // still allocates fine
        XCTAssertEqual(t.arraySize, 8)
    }

    func testHugeRequestsFailCleanly() throws {
        let heap = Heap()
        XCTAssertThrowsError(try heap.newTable(narray: 1 << 40))
        XCTAssertThrowsError(try heap.newTable(nhash: Int.max / 2))
        let t = try heap.newTable()
        XCTAssertThrowsError(try heap.reserveArray(t, Int.max / 4))
        XCTAssertThrowsError(try heap.newUserdata(size: Int.max - 10))
        XCTAssertThrowsError(try heap.newThread(stackSize: Int.max / 4))
        XCTAssertThrowsError(try heap.newThread(stackSize: 1 << 44))
        XCTAssertNoThrow(try heap.newTable(narray: 10))
    }

    func testTinyCeilingStillHasMetamethodNames() throws {
        let heap = Heap(maxMemory: 100)
        XCTAssertEqual(heap.mmName(.index).string, "__index")
        XCTAssertThrowsError(try heap.newTable(narray: 100)) { XCTAssertEqual($0 as? HeapError, .outOfMemory) }
    }

    func testCeilingWithoutAllocCollectThrowsEvenForGarbage() throws {
        let heap = Heap(maxMemory: 512 * 1024)
        var threw = false
        for _ in 0..<100_000 {
            do { _ = try heap.newTable(narray: 16) } catch { threw = true; break }
        }
        XCTAssertTrue(threw)
        heap.collect()
        XCTAssertNoThrow(try heap.newTable(narray: 16))
    }

    func testSafePointsCollectBeforeTheCeiling() throws {
        // allocMayCollect is off: only checkGC() collects, and it must do so before the ceiling.
        let heap = Heap(maxMemory: 1024 * 1024)
        let root = try heap.newTable()
        heap.rootMarker = { h in h.mark(root) }
        heap.setPause(1000)   // live * pause / 100 alone would be past the ceiling
        try root.set(int: 1, Value(try heap.newTable(narray: 25_000)), heap)   // ~200 KB live
        for _ in 0..<200_000 {
            _ = try heap.newTable(narray: 8)    // garbage
            heap.checkGC()
        }
        XCTAssertGreaterThan(heap.collections, 0)
        XCTAssertTrue(root.get(int: 1).isTable)
    }

    func testAutomaticCollectionAtSafePoints() throws {
        let heap = Heap()
        let before = heap.collections
        for _ in 0..<20000 {
            _ = try heap.newTable(narray: 4)
            heap.checkGC()
        }
        XCTAssertGreaterThan(heap.collections, before)
        XCTAssertLessThan(heap.totalBytes, 4 * 1024 * 1024)
        heap.isRunning = false
        let c = heap.collections
        for _ in 0..<20000 { _ = try heap.newTable(narray: 4); heap.checkGC() }
        XCTAssertEqual(heap.collections, c)
        heap.isRunning = true
        heap.checkGC()
        XCTAssertEqual(heap.collections, c + 1)
        XCTAssertTrue(heap.step(0))
        XCTAssertEqual(heap.setPause(150), 200)
        XCTAssertEqual(heap.setStepMul(300), 200)
        XCTAssertEqual(heap.countKB, Double(heap.totalBytes) / 1024)
    }

    func testStressMode() throws {
        let heap = Heap()
        heap.stress = true   // every safe point collects
        let root = try heap.newTable()
        heap.rootMarker = { h in h.mark(root) }
        var expected: [String] = []
        for i in 0..<300 {
            let key = try heap.intern("k\(i % 50)")
            try root.set(str: key, Value(try heap.intern("v\(i)")), heap)
            if i >= 250 { expected.append("v\(i)") }
            heap.checkGC()
        }
        XCTAssertGreaterThanOrEqual(heap.collections, 300)
        for i in 0..<50 {
            let v = root.get(str: try heap.intern("k\(i)"))
            XCTAssertEqual(v.string.string, "v\(250 + i)")
        }
    }

    func testStressModeCollectsInAllocationWhenAllowed() throws {
        let heap = Heap()
        let root = try heap.newTable(narray: 1)
        heap.rootMarker = { h in h.mark(root) }
        heap.stress = true
        heap.allocMayCollect = true
        // Each new object is stored into the rooted table before the next allocation.
        for i in 1...200 {
            let t = try heap.newTable()
            try root.set(int: 1, Value(t), heap)
            try t.set(int: 1, Value(i), heap)
        }
        XCTAssertGreaterThanOrEqual(heap.collections, 200)
        XCTAssertEqual(root.get(int: 1).table.get(int: 1).number, 200)
    }

    func testUserdataAndNativeFunctionsTraced() throws {
        let heap = Heap()
        let base = heap.objectCount
        let mt = try heap.newTable()
        let u = try heap.newUserdata(size: 40, metatable: mt)
        let f = try heap.newNativeFunction(builtin: 3, upvalues: 1)
        f.upvalues[0] = Value(u)
        u.payload.storeBytes(of: 0xDEAD_BEEF, as: UInt64.self)
        XCTAssertEqual(Int(bitPattern: u.payload) % 16, 0)
        heap.rootMarker = { h in h.mark(Value(f)) }
        heap.collect()
        XCTAssertEqual(heap.objectCount, base + 3)
        XCTAssertEqual(u.payload.load(as: UInt64.self), 0xDEAD_BEEF)
        heap.rootMarker = nil
        heap.collect()
        XCTAssertEqual(heap.objectCount, base)
    }

    func testUserdataFinalizers() throws {
        let heap = Heap()
        let base = heap.objectCount
        let mt = try heap.newTable()
        let gcfn = try heap.newNativeFunction(builtin: 99)
        try mt.set(str: heap.mmName(.gc), Value(gcfn), heap)
        let plain = try heap.newTable()   // a metatable without __gc
        var finalized: [UdataRef] = []
        var sawPayload: [UInt64] = []
        heap.finalizer = { u, f in
            XCTAssertEqual(f.bits, Value(gcfn).bits)
            finalized.append(u)
            sawPayload.append(u.payload.load(as: UInt64.self))
            // What the userdata references is still alive while it is finalized.
            if finalized.count == 1 { XCTAssertEqual(u.pointee.env?.get(int: 1).number, 5) }
        }
        heap.rootMarker = { h in h.mark(mt); h.mark(gcfn); h.mark(plain) }
        let u1 = try heap.newUserdata(size: 8, metatable: mt)
        u1.payload.storeBytes(of: 11, as: UInt64.self)
        let env = try heap.newTable()
        try env.set(int: 1, Value(5), heap)
        u1.pointee.env = env
        _ = try heap.newUserdata(size: 8, metatable: plain)   // no __gc: just freed
        heap.collect()
        XCTAssertEqual(finalized, [u1])
        XCTAssertEqual(sawPayload, [11])
        XCTAssertEqual(heap.objectCount, base + 3 + 2)   // mt, gcfn, plain + u1 and its env (resurrected)
        heap.collect()                                   // now really freed, finalizer not called again
        XCTAssertEqual(finalized.count, 1)
        XCTAssertEqual(heap.objectCount, base + 3)
        // Finalizers queued by an allocation-time collection run at the next safe point.
        heap.allocMayCollect = true
        heap.stress = true
        _ = try heap.newUserdata(size: 8, metatable: mt)
        _ = try heap.newTable()        // collects (stress + allocMayCollect): the userdata is queued
        XCTAssertEqual(finalized.count, 1)
        heap.stress = false
        heap.checkGC()
        XCTAssertEqual(finalized.count, 2)
    }

    func testGCStatePublished() throws {
        let heap = Heap()
        var seen: UInt32 = 0
        heap.rootMarker = { _ in seen = tj_vm_state.tag }
        tj_vm_state.tag = UInt32(truncatingIfNeeded: TJ_VMSTATE_INTERP)
        heap.collect()
        XCTAssertEqual(seen, UInt32(truncatingIfNeeded: TJ_VMSTATE_GC))
        XCTAssertEqual(tj_vm_state.tag, UInt32(truncatingIfNeeded: TJ_VMSTATE_INTERP))
        tj_vm_state.tag = 0
    }
}

/// Random object graphs: after a collection exactly the objects reachable from the roots remain,
/// with their contents intact.
final class GCGraphTests: XCTestCase {
    func testRandomGraphs() throws {
        var rng = SplitMix(seed: 2024)
        for round in 0..<12 {
            let heap = Heap()
            let base = heap.objectCount - heap.stringCount
            let baseStrings = heap.stringCount
            let roots = try heap.newTable()
            heap.rootMarker = { h in h.mark(roots) }
            var tables: [TableRef] = []
            let n = 200 + Int(rng.next() % 800)
            for _ in 0..<n { tables.append(try heap.newTable(narray: Int(rng.next() % 4))) }
            var strings = 0
            for (i, t) in tables.enumerated() {
                let edges = Int(rng.next() % 4)
                for e in 0..<edges {
                    let target = tables[Int(rng.next() % UInt64(n))]
                    switch rng.next() % 4 {
                    case 0: try t.set(int: e + 1, Value(target), heap)
                    case 1: try t.set(Value(target), Value(i), heap)             // object as key
                    case 2: t.metatable = target
                    default:
                        try t.set(str: try heap.intern("e\(round)_\(i)_\(e)"), Value(target), heap)
                        strings += 1
                    }
                }
                try t.set(str: try heap.intern("id"), Value(i), heap)
            }
            for r in 0..<Int(rng.next() % 5) { try roots.set(int: r + 1, Value(tables[Int(rng.next() % UInt64(n))]), heap) }
            // Reachability computed independently, through the table API.
            var reach = Set<UInt>()
            var work: [TableRef] = [roots]
            reach.insert(UInt(bitPattern: roots))
            var liveStrings = Set<UInt>()
            while let t = work.popLast() {
                var next: [Value] = []
                if let m = t.metatable { next.append(Value(m)) }
                var k = Value.nil
                while let (key, v) = try t.next(k) { next.append(key); next.append(v); k = key }
                for v in next {
                    if v.isTable, reach.insert(UInt(bitPattern: v.table)).inserted { work.append(v.table) }
                    if v.isString { liveStrings.insert(UInt(bitPattern: v.string)) }
                }
            }
            heap.collect()
            XCTAssertEqual(heap.objectCount - heap.stringCount, base + reach.count, "round \(round)")
            XCTAssertEqual(heap.stringCount, baseStrings + liveStrings.count, "round \(round)")
            for (i, t) in tables.enumerated() where reach.contains(UInt(bitPattern: t)) {
                XCTAssertEqual(t.get(str: try heap.intern("id")).number, Double(i))
            }
            heap.rootMarker = nil
            heap.collect()
            XCTAssertEqual(heap.objectCount - heap.stringCount, base)
            XCTAssertEqual(heap.stringCount, baseStrings)
            _ = strings
        }
    }
}
