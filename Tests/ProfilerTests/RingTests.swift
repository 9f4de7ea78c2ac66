import CSampler
import CVM
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
    func walk(_ vm: FakeVM, layout: FrameLayout? = FakeVM.layout, max: Int32 = 64) -> tj_sample {
        var s = tj_sample()
        var l = layout?.c ?? tj_frame_layout()
        tj_walk_lua_frames(vm.state, &l, &s, max)
        return s
    }

    func frames(_ s: tj_sample) -> [[UInt32]] {
        withUnsafeBytes(of: s.lua) { b in
            let f = b.bindMemory(to: tj_lua_frame.self)
            return (0..<Int(s.n_lua)).map { [f[$0].proto_id, f[$0].pc] }
        }
    }

    func testWalkIsInnermostFirstFromTheCallRecords() {
        let vm = FakeVM()
        vm.setStack([(0, 10), (1, 20), (nil, 0), (2, 30)])  // main -> work -> pcall (native) -> hot
        let s = walk(vm)
        XCTAssertEqual(frames(s), [[2, 30], [1, 20], [0, 10]])
        XCTAssertEqual(s.state, UInt32(TJ_VMSTATE_INTERP))
        XCTAssertEqual(s.flags & UInt32(TJ_SAMPLE_LUA_TRUNCATED), 0)
    }

    func testWalkMarksTruncation() {
        let vm = FakeVM()
        vm.setStack((0..<10).map { (Optional($0 % 4), $0) })
        let s = walk(vm, max: 4)
        XCTAssertEqual(s.n_lua, 4)
        XCTAssertEqual(frames(s).map { $0[1] }, [9, 8, 7, 6])
        XCTAssertNotEqual(s.flags & UInt32(TJ_SAMPLE_LUA_TRUNCATED), 0)
    }

    func testLibraryAndTraceStatesCarryTheirNumber() {
        let vm = FakeVM()
        vm.setStack([(0, 3), (nil, 0)])  // main chunk calling a builtin
        vm.state.pointee.tag = UInt32(TJ_VMSTATE_LIBRARY)
        vm.state.pointee.libfunc = 17
        var s = walk(vm)
        XCTAssertEqual(s.aux, 17)
        XCTAssertEqual(frames(s), [[0, 3]])
        vm.state.pointee.tag = UInt32(TJ_VMSTATE_TRACE)
        vm.state.pointee.trace = 5
        s = walk(vm)
        XCTAssertEqual(s.state, UInt32(TJ_VMSTATE_TRACE))
        XCTAssertEqual(s.aux, 5)
    }

    func testCallerOfABuiltinUsesItsSavedPc() {
        let vm = FakeVM()
        vm.setStack([(0, 10), (1, 20), (nil, 0)])  // proto 1 called a builtin at pc 20
        vm.state.pointee.tag = UInt32(TJ_VMSTATE_LIBRARY)
        vm.state.pointee.pc = UnsafePointer(vm.code[1] + 5)  // published at an earlier back-edge
        XCTAssertEqual(frames(walk(vm)), [[1, 20], [0, 10]])
    }

    func testMidCallSwitchKeepsTheCallStructure() {
        let vm = FakeVM()
        vm.setStack([(0, 10), (1, 20)])
        // the callee's record is pushed, vm_state still names the caller, its pc not yet written
        vm.records[2] = FakeVM.CallRecord(pc: nil, closure: vm.closures[2], flags: FakeVM.luaFlag)
        vm.co.pointee.count = 3
        XCTAssertEqual(frames(walk(vm)), [[2, TJ_PC_UNKNOWN], [1, 20], [0, 10]])
    }

    /// A coroutine's frames go on with those of the thread that resumed it (in the "normal" state),
    /// after a boundary entry; a resumer in any other state, or a thread naming itself, ends the
    /// walk; the depth limit counts the boundary.
    func testCoroutineFramesGoOnWithTheResumersFrames() {
        let resumer = FakeVM(), vm = FakeVM()
        resumer.setStack([(0, 10), (3, 4), (nil, 0)])  // main -> f, which called coroutine.resume
        resumer.thread.pointee.status = UInt8(TJ_CO_NORMAL)
        vm.setStack([(1, 5), (2, 7)])
        vm.thread.pointee.resumer = resumer.thread
        let b = TJ_PROTO_COROUTINE_BOUNDARY
        XCTAssertEqual(frames(walk(vm)), [[2, 7], [1, 5], [b, 0], [3, 4], [0, 10]])
        let s = walk(vm, max: 3)
        XCTAssertEqual(frames(s), [[2, 7], [1, 5], [b, 0]])
        XCTAssertNotEqual(s.flags & UInt32(TJ_SAMPLE_LUA_TRUNCATED), 0)
        resumer.thread.pointee.status = UInt8(TJ_CO_RUNNING)  // not resuming anything: not followed
        XCTAssertEqual(frames(walk(vm)), [[2, 7], [1, 5]])
        vm.thread.pointee.status = UInt8(TJ_CO_NORMAL)
        vm.thread.pointee.resumer = vm.thread
        XCTAssertEqual(frames(walk(vm)), [[2, 7], [1, 5]])
    }

    func testWithoutLayoutOnlyTheRunningFrameAndTornStateIsSafe() {
        let vm = FakeVM()
        vm.setStack([(0, 10), (1, 20)])
        XCTAssertEqual(frames(walk(vm, layout: nil)), [[1, 20]])
        // pc outside the prototype's code (mid-update): recorded as unknown, not dereferenced
        vm.state.pointee.pc = UnsafePointer(vm.code[0])
        XCTAssertEqual(frames(walk(vm)), [[1, TJ_PC_UNKNOWN], [0, 10]])
        // no running proto, no thread, negative count: no crash, short stacks
        vm.state.pointee.proto = nil
        XCTAssertEqual(frames(walk(vm)), [[1, 20], [0, 10]])
        vm.co.pointee.count = -3
        XCTAssertEqual(frames(walk(vm)), [])
        vm.state.pointee.thread = nil
        XCTAssertEqual(frames(walk(vm)), [])
        var s = tj_sample()
        XCTAssertEqual(tj_walk_lua_frames(nil, nil, &s, 64), 0)
    }
}
