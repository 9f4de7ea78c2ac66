// CSE: sharing of pure instructions and guards, memory epochs for loads, store-to-load forwarding.
import XCTest
@testable import JIT

final class PassTestsCSE: XCTestCase {
    func testPureAndCommutedShare() {
        let (t, b) = makeTrace()
        b.snap()
        let x = b.sload(0, .num), y = b.sload(1, .num)
        let a1 = b.bin(.ADD, x, y)
        XCTAssertEqual(b.bin(.ADD, x, y), a1)
        XCTAssertNotEqual(b.bin(.ADD, y, x), a1)          // NaN + NaN keeps the first NaN: no reorder
        let i1 = b.intSlot(4), i2 = b.intSlot(5)
        XCTAssertEqual(b.bin(.BAND, i2, i1, .int), b.bin(.BAND, i1, i2, .int))   // canonical order meets in CSE
        XCTAssertNotEqual(b.bin(.SUB, y, x), b.bin(.SUB, x, y))
        XCTAssertEqual(b.sload(0, .num), x)
        // Same op, other type: not shared.
        let i = b.intSlot(2)
        XCTAssertNotEqual(b.bin(.ADDI, i, b.int(1), .int), b.bin(.ADDI, i, b.int(2), .int))
        XCTAssertEqual(t.ins.count, 15)
        assertVerifies(t)
    }

    func testGuardsShareAcrossSnapshots() {
        let (t, b) = makeTrace()
        b.snap()
        let x = b.sload(0, .num), y = b.sload(1, .num)
        let g = b.guardOp(.LT, x, y)
        b.snap([(2, x)])
        XCTAssertEqual(b.guardOp(.LT, x, y), g)           // already checked
        XCTAssertNotEqual(b.guardOp(.LE, x, y), g)
        XCTAssertEqual(t.count(.LT), 1)
        // An unguarded load may reuse a guarded one; a guarded one needs its own check.
        let u = b.sload(3, .num, guarded: false)
        let gd = b.sload(3, .num, guarded: true)
        XCTAssertNotEqual(u, gd)
        XCTAssertEqual(b.sload(3, .num, guarded: false), gd)
        assertVerifies(t)
    }

    func testStoresStartNewEpochs() {
        let (t, b) = makeTrace()
        b.snap()
        let tab = b.sload(0, .tab)
        let arr = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
        let idx = b.int(3)
        let ref = b.bin(.AREF, arr, idx, .ptr)
        let v1 = b.emit(IRIns(.ALOAD, .num, a: ref, guarded: true))
        XCTAssertEqual(b.emit(IRIns(.ALOAD, .num, a: ref, guarded: true)), v1)
        let k = b.str(0x1000)
        let h1 = b.emit(IRIns(.HLOAD, .num, a: tab, b: k, guarded: true))
        XCTAssertEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: k, guarded: true)), h1)
        let len1 = b.un(.LEN, tab, .int)
        // A store with an unknown key: every table load is done again; SLOAD and pure ops are not.
        b.emit(IRIns(.TSET, .void, a: tab, b: b.str(0x2000), c: b.num(1), guarded: true))
        XCTAssertNotEqual(b.emit(IRIns(.ALOAD, .num, a: ref, guarded: true)), v1)
        XCTAssertNotEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: k, guarded: true)), h1)
        XCTAssertNotEqual(b.un(.LEN, tab, .int), len1)
        let arr2 = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
        XCTAssertNotEqual(arr2, arr)                      // the array may have moved
        XCTAssertEqual(b.sload(0, .tab), tab)
        XCTAssertEqual(b.bin(.AREF, arr, idx, .ptr), ref)
        // Allocation also starts an epoch.
        let u = b.emit(IRIns(.UGET, .num, a: b.sload(-1, .fn), c: 0, guarded: true))
        _ = b.emit(IRIns(.TNEW, .tab, b: 0, c: 0))
        XCTAssertNotEqual(b.emit(IRIns(.UGET, .num, a: b.sload(-1, .fn), c: 0, guarded: true)), u)
        assertVerifies(t)
    }

    func testArrayStoreKeepsTableShape() {
        let (t, b) = makeTrace()
        b.snap()
        let tab = b.sload(0, .tab)
        let arr = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
        let asize = b.emit(IRIns(.FLOAD, .int, a: tab, b: IRField.tabAsize.rawValue))
        let ref = b.bin(.AREF, arr, b.int(0), .ptr)
        let h = b.emit(IRIns(.HLOAD, .num, a: tab, b: b.str(0x40), guarded: true))
        b.emit(IRIns(.ASTORE, .void, a: ref, b: b.num(1)))
        // The array's address and size stay, and string keys live in the hash part.
        XCTAssertEqual(b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue)), arr)
        XCTAssertEqual(b.emit(IRIns(.FLOAD, .int, a: tab, b: IRField.tabAsize.rawValue)), asize)
        XCTAssertEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: b.str(0x40), guarded: true)), h)
        // USET: upvalues and stack slots (open upvalues) change, tables do not.
        let fn = b.sload(-1, .fn)
        let u = b.emit(IRIns(.UGET, .num, a: fn, c: 0, guarded: true))
        let h2 = b.emit(IRIns(.HLOAD, .num, a: tab, b: b.str(0x40), guarded: true))
        b.emit(IRIns(.USET, .void, a: fn, b: b.num(2), c: 1))
        XCTAssertNotEqual(b.emit(IRIns(.UGET, .num, a: fn, c: 0, guarded: true)), u)
        XCTAssertNotEqual(b.sload(0, .tab), tab)
        XCTAssertEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: b.str(0x40), guarded: true)), h2)
        assertVerifies(t)
    }

    func testImmutableFieldsIgnoreStores() {
        let (t, b) = makeTrace()
        let s = b.sload(0, .str), f = b.sload(1, .fn), tab = b.sload(2, .tab)
        let len = b.emit(IRIns(.FLOAD, .int, a: s, b: IRField.strLen.rawValue))
        let pr = b.emit(IRIns(.FLOAD, .ptr, a: f, b: IRField.fnProto.rawValue))
        b.emit(IRIns(.TSET, .void, a: tab, b: b.num(1), c: b.num(2), guarded: true))
        XCTAssertEqual(b.emit(IRIns(.FLOAD, .int, a: s, b: IRField.strLen.rawValue)), len)
        XCTAssertEqual(b.emit(IRIns(.FLOAD, .ptr, a: f, b: IRField.fnProto.rawValue)), pr)
        _ = t
    }

    func testStoreToLoadForwarding() {
        let (t, b) = makeTrace()
        b.snap()
        let tab = b.sload(0, .tab)
        let fn = b.sload(-1, .fn)
        let v = b.sload(1, .num)
        let arr = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
        let ref = b.bin(.AREF, arr, b.int(2), .ptr)
        b.emit(IRIns(.ASTORE, .void, a: ref, b: v))
        XCTAssertEqual(b.emit(IRIns(.ALOAD, .num, a: ref, guarded: true)), v)
        XCTAssertEqual(b.emit(IRIns(.ALOAD, .num, a: ref)), v)
        // A load of another type is not forwarded (its type check would fail).
        let other = b.emit(IRIns(.ALOAD, .str, a: ref, guarded: true))
        XCTAssertGreaterThanOrEqual(other, 0)
        let k = b.str(0x5000)
        b.emit(IRIns(.HSTORE, .void, a: tab, b: b.num(7), c: k))
        XCTAssertEqual(t.numConst(b.emit(IRIns(.HLOAD, .num, a: tab, b: k, guarded: true))), 7)
        b.emit(IRIns(.TSET, .void, a: tab, b: v, c: tab, guarded: true))
        XCTAssertEqual(b.emit(IRIns(.TGET, .tab, a: tab, b: v, guarded: true)), tab)
        b.emit(IRIns(.USET, .void, a: fn, b: v, c: 1))
        XCTAssertEqual(b.emit(IRIns(.UGET, .num, a: fn, c: 1, guarded: true)), v)
        XCTAssertNotEqual(b.emit(IRIns(.UGET, .num, a: fn, c: 2, guarded: true)), v)
        // A second store to another slot ends the forwarding window.
        b.emit(IRIns(.ASTORE, .void, a: b.bin(.AREF, arr, b.int(3), .ptr), b: v))
        XCTAssertNotEqual(b.emit(IRIns(.ALOAD, .num, a: ref, guarded: true)), v)
        assertVerifies(t)
    }

    func testEffectsAndGCStepNeverShared() {
        let (t, b) = makeTrace()
        b.snap()
        let tab = b.sload(0, .tab)
        b.emit(IRIns(.HSTORE, .void, a: tab, b: b.num(1), c: b.str(0x10)))
        b.emit(IRIns(.HSTORE, .void, a: tab, b: b.num(1), c: b.str(0x10)))
        XCTAssertEqual(t.count(.HSTORE), 2)
        b.emit(IRIns(.GCSTEP, .void))
        b.emit(IRIns(.GCSTEP, .void))
        XCTAssertEqual(t.count(.GCSTEP), 2)
        XCTAssertNotEqual(b.emit(IRIns(.TNEW, .tab, b: 0, c: 0)), b.emit(IRIns(.TNEW, .tab, b: 0, c: 0)))
    }

    func testCSEOff() {
        var o = PassOptions(); o.cse = false
        let (t, b) = makeTrace(o)
        let x = b.sload(0, .num)
        XCTAssertNotEqual(b.bin(.ADD, x, x), b.bin(.ADD, x, x))
        XCTAssertEqual(t.ins.count, 3)
    }
}

final class PassTestsCSEAlias: XCTestCase {
    func testHashKeysDoNotAlias() {
        let (t, b) = makeTrace()
        b.snap()
        let tab = b.sload(0, .tab), other = b.sload(1, .tab)
        let kx = b.str(0x100), ky = b.str(0x200)
        let x = b.emit(IRIns(.HLOAD, .num, a: tab, b: kx, guarded: true))
        let y = b.emit(IRIns(.HLOAD, .num, a: tab, b: ky, guarded: true))
        let meta = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabMeta.rawValue))
        let len = b.un(.LEN, tab, .int)
        let arr = b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue))
        let a1 = b.emit(IRIns(.ALOAD, .num, a: b.bin(.AREF, arr, b.int(0), .ptr), guarded: true))
        let sum = b.bin(.ADD, x, y)
        b.emit(IRIns(.HSTORE, .void, a: tab, b: sum, c: kx))        // t.x = t.x + t.y
        XCTAssertEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: kx, guarded: true)), sum)   // forwarded
        XCTAssertEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: ky, guarded: true)), y)     // other key
        XCTAssertEqual(b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabMeta.rawValue)), meta)
        XCTAssertEqual(b.emit(IRIns(.ALOAD, .num, a: b.bin(.AREF, arr, b.int(0), .ptr), guarded: true)), a1)
        XCTAssertNotEqual(b.un(.LEN, tab, .int), len)                // a rehash may change the border
        XCTAssertNotEqual(b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabArray.rawValue)), arr)
        // Another table, same key: may be the same table.
        b.emit(IRIns(.HSTORE, .void, a: other, b: b.num(5), c: ky))
        XCTAssertNotEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: ky, guarded: true)), y)
        XCTAssertEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: kx, guarded: true)), sum)
        // Number keys: 0 and -0 are one key, and a number key may live in the array part.
        let k0 = b.num(0), kn0 = b.num(-0.0)
        let h0 = b.emit(IRIns(.HLOAD, .num, a: tab, b: k0, guarded: true))
        b.emit(IRIns(.HSTORE, .void, a: tab, b: b.num(1), c: kn0))
        XCTAssertNotEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: k0, guarded: true)), h0)
        let h1 = b.emit(IRIns(.HLOAD, .num, a: tab, b: b.num(1), guarded: true))
        b.emit(IRIns(.ASTORE, .void, a: b.bin(.AREF, arr, b.int(0), .ptr), b: b.num(9)))
        XCTAssertNotEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: b.num(1), guarded: true)), h1)
        // TSET: unknown key, everything in tables is re-read.
        let hx = b.emit(IRIns(.HLOAD, .num, a: tab, b: kx, guarded: true))
        b.emit(IRIns(.TSET, .void, a: other, b: b.sload(2, .num), c: b.num(1), guarded: true))
        XCTAssertNotEqual(b.emit(IRIns(.HLOAD, .num, a: tab, b: kx, guarded: true)), hx)
        XCTAssertEqual(b.emit(IRIns(.FLOAD, .ptr, a: tab, b: IRField.tabMeta.rawValue)), meta)
        assertVerifies(t)
    }

    func testTGETSeesEveryHashStore() {
        let (t, b) = makeTrace()
        b.snap()
        let tab = b.sload(0, .tab), key = b.sload(1, .str)
        let g = b.emit(IRIns(.TGET, .num, a: tab, b: key, guarded: true))
        XCTAssertEqual(b.emit(IRIns(.TGET, .num, a: tab, b: key, guarded: true)), g)
        b.emit(IRIns(.HSTORE, .void, a: tab, b: b.num(1), c: b.str(0x300)))   // key may equal `key`
        XCTAssertNotEqual(b.emit(IRIns(.TGET, .num, a: tab, b: key, guarded: true)), g)
        assertVerifies(t)
    }
}
