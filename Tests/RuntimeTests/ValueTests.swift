import XCTest
import Bytecode
@testable import Runtime

final class ValueTests: XCTestCase {
    func testConstants() {
        XCTAssertTrue(Value.nil.isNil)
        XCTAssertTrue(Value.nil.isFalsy)
        XCTAssertTrue(Value.false.isFalsy)
        XCTAssertFalse(Value.true.isFalsy)
        XCTAssertFalse(Value(0.0).isFalsy)
        XCTAssertTrue(Value(0.0).isTruthy)
        XCTAssertEqual(Value.nil.bits, TJ_VALUE_NIL)
        XCTAssertEqual(Value.false.bits, TJ_VALUE_FALSE)
        XCTAssertEqual(Value.true.bits, TJ_VALUE_TRUE)
        XCTAssertEqual(Value(true).bits, Value.true.bits)
        XCTAssertEqual(Value(false).bits, Value.false.bits)
        XCTAssertTrue(Value.true.boolean)
        XCTAssertFalse(Value.false.boolean)
        XCTAssertTrue(Value.true.isBoolean && Value.false.isBoolean && !Value.nil.isBoolean)
    }

    func testCConstantsAgree() {
        XCTAssertEqual(Int(GCT.string), Int(TJ_GCT_STR))
        XCTAssertEqual(Int(GCT.table), Int(TJ_GCT_TAB))
        XCTAssertEqual(Int(GCT.lfunc), Int(TJ_GCT_LFUNC))
        XCTAssertEqual(Int(GCT.cfunc), Int(TJ_GCT_CFUNC))
        XCTAssertEqual(Int(GCT.upval), Int(TJ_GCT_UPVAL))
        XCTAssertEqual(Int(GCT.thread), Int(TJ_GCT_THREAD))
        XCTAssertEqual(Int(GCT.udata), Int(TJ_GCT_UDATA))
        XCTAssertEqual(Int(GCT.proto), Int(TJ_GCT_PROTO))
        XCTAssertEqual(IType.nil, UInt64(TJ_ITYPE_NIL))
        XCTAssertEqual(IType.string, UInt64(TJ_ITYPE_STR))
        XCTAssertEqual(IType.table, UInt64(TJ_ITYPE_TAB))
        XCTAssertEqual(IType.function, UInt64(TJ_ITYPE_FUNC))
        XCTAssertEqual(IType.deadKey, UInt64(TJ_ITYPE_DEADKEY))
        XCTAssertEqual(MetaEvent.allCases.count, Int(TJ_MM__COUNT))
        XCTAssertEqual(MetaEvent.tostring.rawValue, Int32(TJ_MM_TOSTRING))
        XCTAssertEqual(MemoryLayout<tj_table>.size, 64)
        XCTAssertEqual(MemoryLayout<tj_str>.size, 24)
        XCTAssertEqual(MemoryLayout<tj_node>.stride, 24)
        XCTAssertEqual(MemoryLayout<tj_udata>.size % 16, 0)
        XCTAssertEqual(MemoryLayout<Value>.size, 8)
    }

    /// The field offsets JIT code and the signal handler rely on (documented in tj_vm.h).
    func testLayoutOffsets() {
        XCTAssertEqual(MemoryLayout<tj_table>.offset(of: \tj_table.nomm), 12)
        XCTAssertEqual(MemoryLayout<tj_table>.offset(of: \tj_table.array), 16)
        XCTAssertEqual(MemoryLayout<tj_table>.offset(of: \tj_table.asize), 24)
        XCTAssertEqual(MemoryLayout<tj_table>.offset(of: \tj_table.hmask), 28)
        XCTAssertEqual(MemoryLayout<tj_table>.offset(of: \tj_table.node), 32)
        XCTAssertEqual(MemoryLayout<tj_table>.offset(of: \tj_table.metatable), 48)
        XCTAssertEqual(MemoryLayout<tj_str>.offset(of: \tj_str.hash), 12)
        XCTAssertEqual(MemoryLayout<tj_str>.offset(of: \tj_str.len), 16)
        XCTAssertEqual(MemoryLayout<tj_node>.offset(of: \tj_node.key), 8)
        XCTAssertEqual(MemoryLayout<tj_node>.offset(of: \tj_node.next), 16)
        XCTAssertEqual(MemoryLayout<tj_upval>.offset(of: \tj_upval.v), 16)
        XCTAssertEqual(MemoryLayout<tj_upval>.offset(of: \tj_upval.closed), 24)
        XCTAssertEqual(MemoryLayout<tj_lfunc>.offset(of: \tj_lfunc.proto), 16)
        XCTAssertEqual(MemoryLayout<tj_lfunc>.offset(of: \tj_lfunc.env), 24)
        XCTAssertEqual(MemoryLayout<tj_lfunc>.size, 32)
        XCTAssertEqual(MemoryLayout<tj_cfunc>.offset(of: \tj_cfunc.builtin), 12)
        XCTAssertEqual(MemoryLayout<tj_cfunc>.size, 24)
        XCTAssertEqual(MemoryLayout<tj_proto>.offset(of: \tj_proto.id), 12)
        XCTAssertEqual(MemoryLayout<tj_proto>.offset(of: \tj_proto.code), 40)
        XCTAssertEqual(MemoryLayout<tj_proto>.offset(of: \tj_proto.k), 48)
        XCTAssertEqual(MemoryLayout<tj_thread>.offset(of: \tj_thread.stack), 16)
        XCTAssertEqual(MemoryLayout<tj_thread>.offset(of: \tj_thread.top), 24)
        XCTAssertEqual(MemoryLayout<tj_udata>.offset(of: \tj_udata.metatable), 16)
        XCTAssertEqual(MemoryLayout<tj_udata>.size, 48)
    }

    func testNumbersRoundTrip() {
        let samples: [Double] = [0, -0.0, 1, -1, 0.1, 1e308, -1e308, .infinity, -.infinity,
                                 .greatestFiniteMagnitude, 2e53, 123456789.125, .leastNonzeroMagnitude]
        for d in samples {
            let v = Value(d)
            XCTAssertTrue(v.isNumber, "\(d)")
            XCTAssertEqual(v.number.bitPattern, d.bitPattern)
            XCTAssertEqual(v.typeName, "number")
            XCTAssertEqual(v.kind, .number)
            XCTAssertFalse(v.isNil || v.isString || v.isTable || v.isFunction || v.isCollectable)
        }
    }

    func testHardwareNaNsAreNumbers() {
        let zero = Double(bitPattern: 0)   // keep the division at run time
        let a = zero / zero                // x86 default NaN: 0xFFF8000000000000
        let b = -a
        XCTAssertTrue(Value(a).isNumber)
        XCTAssertTrue(Value(b).isNumber)
        XCTAssertTrue(Value(bits: 0x7FF8_0000_0000_0000).isNumber)
        XCTAssertTrue(Value(bits: 0xFFF8_0000_0000_0000).isNumber)
        XCTAssertTrue(Value(bits: 0x7FFF_FFFF_FFFF_FFFF).isNumber)
        XCTAssertTrue(Value(bits: 0xFFF8_FFFF_FFFF_FFFF).isNumber)
        XCTAssertFalse(Value(bits: 0xFFF9_0000_0000_0000).isNumber)
        // A NaN of unknown origin with a payload in the tag space is canonicalized.
        let evil = Double(bitPattern: 0xFFFF_FFFF_FFFF_FFFF)
        XCTAssertTrue(Value(canonicalizing: evil).isNumber)
        XCTAssertTrue(Value(canonicalizing: evil).number.isNaN)
        XCTAssertEqual(Value(canonicalizing: 2.5).number, 2.5)
        XCTAssertFalse(Value(a).isFalsy)
        XCTAssertFalse(Value.rawEqual(Value(a), Value(a)))
        XCTAssertTrue((Value(a) + 0).isNumber)
    }

    func testEquality() {
        XCTAssertTrue(Value.rawEqual(Value(0.0), Value(-0.0)))
        XCTAssertTrue(Value.rawEqual(Value(1.5), Value(1.5)))
        XCTAssertFalse(Value.rawEqual(Value(1.0), Value(2.0)))
        XCTAssertTrue(Value.rawEqual(Value.nil, Value.nil))
        XCTAssertFalse(Value.rawEqual(Value.nil, Value.false))
        XCTAssertFalse(Value.rawEqual(Value(0.0), Value.false))
        let nan = Value(Double.nan)
        XCTAssertFalse(Value.rawEqual(nan, nan))
        XCTAssertTrue(Value(0.0) == Value(-0.0))
    }

    func testObjectsBoxAndUnbox() throws {
        let heap = Heap()
        let t = try heap.newTable()
        let s = try heap.intern("hello")
        let f = try heap.newNativeFunction(builtin: 7, upvalues: 2)
        let th = try heap.newThread(stackSize: 64)
        let u = try heap.newUserdata(size: 24)
        let p = try heap.newProto(Proto(source: "=t", lineDefined: 0, lastLineDefined: 0, numParams: 0,
                                        isVararg: true, frameSize: 2, code: [], constants: [],
                                        upvalues: [], protos: [], debug: nil))
        let lf = try heap.newLuaFunction(p, env: t)
        let cases: [(Value, String, LuaType)] = [
            (Value(t), "table", .table), (Value(s), "string", .string), (Value(f), "function", .function),
            (Value(lf), "function", .function), (Value(th), "thread", .thread), (Value(u), "userdata", .userdata),
            (Value(lightUserdata: 0x1234), "userdata", .lightUserdata),
        ]
        for (v, name, kind) in cases {
            XCTAssertFalse(v.isNumber)
            XCTAssertFalse(v.isFalsy)
            XCTAssertEqual(v.typeName, name)
            XCTAssertEqual(v.kind, kind)
            XCTAssertEqual(v.isCollectable, kind != .lightUserdata)
        }
        XCTAssertEqual(Value(t).table, t)
        XCTAssertEqual(Value(s).string, s)
        XCTAssertEqual(Value(f).nativeFunction, f)
        XCTAssertEqual(Value(lf).luaFunction, lf)
        XCTAssertEqual(Value(th).thread, th)
        XCTAssertEqual(Value(u).userdata, u)
        XCTAssertTrue(Value(lf).isLuaFunction && !Value(lf).isNativeFunction)
        XCTAssertTrue(Value(f).isNativeFunction && !Value(f).isLuaFunction)
        XCTAssertEqual(Value(lightUserdata: 0x1234).payload, 0x1234)
        XCTAssertEqual(f.pointee.builtin, 7)
        XCTAssertTrue(f.upvalues[1].isNil)
        XCTAssertEqual(lf.pointee.env, t)
        XCTAssertTrue(Value(t).isTable && !Value(t).isString)
        XCTAssertEqual(Value(3).exactInt, 3)
        XCTAssertNil(Value(3.5).exactInt)
        XCTAssertNil(Value(1e300).exactInt)
        XCTAssertNil(Value.nil.exactInt)
    }
}

private func + (a: Value, b: Double) -> Value { Value(a.number + b) }
