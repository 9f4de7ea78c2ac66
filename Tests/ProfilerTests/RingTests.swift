import CSampler
import XCTest

@testable import Profiler

final class RingTests: XCTestCase {
    func sample(_ i: Int, weight: UInt32 = 1) -> tj_sample {
        var s = tj_sample()
        s.state = UInt32(i)
        s.weight = weight
        s.n_lua = 1
        s.lua.0 = tj_lua_frame(proto_id: UInt32(i), pc: UInt32(i * 2))
        s.n_native = 2
        s.native.0 = UInt64(i)
        s.native.1 = UInt64(i) &+ 1000
        return s
    }

    func testCapacityIsRoundedToPowerOfTwo() {
        let r = tj_ring_create(5)!
        defer { tj_ring_destroy(r) }
        XCTAssertEqual(tj_ring_capacity(r), 8)
    }

    func testFullRingDropsAndCountsWeight() {
        let r = tj_ring_create(4)!
        defer { tj_ring_destroy(r) }
        for i in 0..<4 { var s = sample(i); XCTAssertEqual(tj_ring_push(r, &s), 1) }
        var extra = sample(99, weight: 3)
        XCTAssertEqual(tj_ring_push(r, &extra), 0)
        XCTAssertEqual(tj_ring_push(r, &extra), 0)
        XCTAssertEqual(tj_ring_dropped(r), 2)
        XCTAssertEqual(tj_ring_dropped_weight(r), 6)
        XCTAssertEqual(tj_ring_count(r), 4)
        var out = tj_sample()
        for i in 0..<4 {
            XCTAssertEqual(tj_ring_pop(r, &out), 1)
            XCTAssertEqual(Int(out.state), i)
        }
        XCTAssertEqual(tj_ring_pop(r, &out), 0)
    }

    func testWraparoundKeepsOrderAndContents() {
        let r = tj_ring_create(8)!
        defer { tj_ring_destroy(r) }
        var next = 0, expect = 0
        var out = tj_sample()
        // push 5, pop 3 repeatedly: head and tail wrap the 8 slots many times
        for _ in 0..<1000 {
            for _ in 0..<5 where tj_ring_count(r) < 8 {
                var s = sample(next)
                XCTAssertEqual(tj_ring_push(r, &s), 1)
                next += 1
            }
            for _ in 0..<3 {
                XCTAssertEqual(tj_ring_pop(r, &out), 1)
                XCTAssertEqual(Int(out.state), expect)
                XCTAssertEqual(out.lua.0.pc, UInt32(expect * 2))
                XCTAssertEqual(out.native.1, UInt64(expect) + 1000)
                expect += 1
            }
        }
        while tj_ring_pop(r, &out) != 0 {
            XCTAssertEqual(Int(out.state), expect)
            expect += 1
        }
        XCTAssertEqual(expect, next)
        XCTAssertEqual(tj_ring_dropped(r), 0)
    }

    func testConcurrentProducerAndConsumer() {
        let r = tj_ring_create(16)!
        defer { tj_ring_destroy(r) }
        let n = 20000
        nonisolated(unsafe) let ring = r
        let producer = Thread {
            for i in 0..<n {
                var s = tj_sample()
                s.state = UInt32(i)
                s.native.0 = UInt64(i)
                _ = tj_ring_push(ring, &s)
            }
        }
        producer.start()
        var out = tj_sample()
        var got = 0, last = -1
        while got + Int(tj_ring_dropped(r)) < n {
            if tj_ring_pop(r, &out) != 0 {
                XCTAssertGreaterThan(Int(out.state), last)  // in order, nothing duplicated
                XCTAssertEqual(out.native.0, UInt64(out.state))
                last = Int(out.state)
                got += 1
            }
        }
        while tj_ring_pop(r, &out) != 0 { got += 1 }
        XCTAssertEqual(got + Int(tj_ring_dropped(r)), n)
    }

    func testAggregatorMergesIdenticalRecords() {
        let r = tj_ring_create(8)!
        defer { tj_ring_destroy(r) }
        var a = sample(1, weight: 2), b = sample(1, weight: 1), c = sample(2)
        tj_ring_push(r, &a); tj_ring_push(r, &b); tj_ring_push(r, &c)
        var agg = SampleAggregator()
        let buf = UnsafeMutablePointer<tj_sample>.allocate(capacity: 1)
        defer { buf.deallocate() }
        agg.drain(r, buffer: buf)
        XCTAssertEqual(agg.profile.samples.count, 2)
        XCTAssertEqual(agg.profile.weights, [3, 1])
        XCTAssertEqual(agg.profile.counts, [2, 1])
        XCTAssertEqual(agg.profile.samples[0].lua, [RawSample.luaFrame(proto: 1, pc: 2)])
        XCTAssertEqual(agg.profile.samples[0].native, [1, 1001])
    }
}

final class LuaFrameWalkTests: XCTestCase {
    func testWalkIsInnermostFirstAndMarksTruncation() {
        let frames = UnsafeMutablePointer<tj_lua_frame_link>.allocate(capacity: 3)
        defer { frames.deallocate() }
        frames[0] = tj_lua_frame_link(caller: nil, proto_id: 0, pc: 10)           // main chunk
        frames[1] = tj_lua_frame_link(caller: frames, proto_id: 1, pc: 20)
        frames[2] = tj_lua_frame_link(caller: frames + 1, proto_id: 2, pc: 30)  // innermost
        let src = SampleSource()
        src.pointer.pointee.state = UInt32(TJ_VM_INTERP)
        src.pointer.pointee.frame = UnsafePointer(frames + 2)
        var s = tj_sample()
        XCTAssertEqual(tj_walk_lua_frames(src.pointer, &s, 64), 3)
        XCTAssertEqual([s.lua.0.proto_id, s.lua.1.proto_id, s.lua.2.proto_id], [2, 1, 0])
        XCTAssertEqual([s.lua.0.pc, s.lua.1.pc, s.lua.2.pc], [30, 20, 10])
        XCTAssertEqual(s.flags & UInt32(TJ_SAMPLE_LUA_TRUNCATED), 0)

        var t = tj_sample()
        XCTAssertEqual(tj_walk_lua_frames(src.pointer, &t, 2), 2)
        XCTAssertEqual(t.n_lua, 2)
        XCTAssertNotEqual(t.flags & UInt32(TJ_SAMPLE_LUA_TRUNCATED), 0)

        src.pointer.pointee.frame = nil
        var u = tj_sample()
        XCTAssertEqual(tj_walk_lua_frames(src.pointer, &u, 64), 0)
        XCTAssertEqual(tj_walk_lua_frames(nil, &u, 64), 0)
    }
}
